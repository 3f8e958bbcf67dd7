import { t } from '../i18n';

/** Confirm and Cancel at the foot of each kind of proof. */
interface Props {
  busy: boolean;
  onCancel: () => void;
  /** For a proof that is not a form (a passkey): what the main button does. */
  onConfirm?: () => void;
  label?: string;
  autoFocus?: boolean;
}

export function ProofActions({ busy, onCancel, onConfirm, label, autoFocus }: Props) {
  return (
    <div className="actions">
      <button type={onConfirm ? 'button' : 'submit'} onClick={onConfirm} className="btn btn-primary" disabled={busy} autoFocus={autoFocus} data-testid="step-up-submit">
        {label ?? (busy ? t('common.working') : t('stepUp.confirm'))}
      </button>
      <button type="button" className="btn" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}
