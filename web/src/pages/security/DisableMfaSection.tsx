import { useState } from 'react';
import { mfaApi } from '../../api/mfa';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { t } from '../../i18n';
import { useStepUp } from '../../stepup/StepUpProvider';

/** Turning two-step verification off: every method and backup code goes. */
export function DisableMfaSection({ required, onDisabled }: { required: boolean; onDisabled: () => void }) {
  const withStepUp = useStepUp();
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="card card-danger" aria-labelledby="disable-title">
      <h2 id="disable-title">{t('disable.title')}</h2>
      <p>{required ? t('disable.requiredExplain') : t('disable.explain')}</p>
      {!required && (
        <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)} data-testid="mfa-disable">
          {t('disable.button')}
        </button>
      )}
      {confirming && (
        <ConfirmDialog
          title={t('disable.confirmTitle')}
          confirmLabel={t('disable.confirm')}
          danger
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            await withStepUp((proof) => mfaApi.disable(proof));
            onDisabled();
          }}
          testId="disable-dialog"
        >
          <p>{t('disable.confirmText')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
