import type { ReactNode } from 'react';
import { t } from '../i18n';
import { useAction } from '../lib/useAction';
import { Dialog } from './Dialog';
import { ErrorAlert } from './ErrorAlert';

interface Props {
  title: ReactNode;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  testId?: string;
}

/** "Are you sure?" with the consequence spelled out; stays open to show a failure. */
export function ConfirmDialog({ title, children, confirmLabel, danger, onConfirm, onClose, testId }: Props) {
  const { busy, error, run } = useAction();
  const confirm = async () => {
    if (await run(onConfirm)) onClose();
  };
  return (
    <Dialog title={title} onClose={onClose} testId={testId}>
      <div className="stack">
        {children}
        <ErrorAlert error={error} testId="dialog-error" />
        <div className="actions">
          <button type="button" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} onClick={confirm} disabled={busy} data-testid="confirm-button">
            {busy ? t('common.working') : confirmLabel}
          </button>
          <button type="button" className="btn" onClick={onClose} data-autofocus>
            {t('common.cancel')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
