import { mfaApi } from '../../api/mfa';
import { ErrorAlert } from '../../components/ErrorAlert';
import { t, tn } from '../../i18n';
import { useAction } from '../../lib/useAction';
import { useStepUp } from '../../stepup/StepUpProvider';

const LOW = 3; // Fewer left than this and the user is nudged to make new ones.

/** How many backup codes are left, and making a new set (which voids the old one). */
export function BackupCodesSection({ remaining, onNewCodes }: { remaining: number; onNewCodes: (codes: string[]) => void }) {
  const withStepUp = useStepUp();
  const { busy, error, run } = useAction();
  const regenerate = () =>
    void run(async () => {
      const { backup_codes } = await withStepUp((proof) => mfaApi.regenerateBackupCodes(proof));
      onNewCodes(backup_codes);
    });

  return (
    <section className="card" aria-labelledby="backup-title">
      <h2 id="backup-title">{t('backup.sectionTitle')}</h2>
      <p data-testid="backup-codes-remaining" data-count={remaining}>
        {tn('backup.remaining.one', 'backup.remaining.other', remaining)}
      </p>
      {remaining <= LOW && <p className="warn-text">{t('backup.low')}</p>}
      <p className="muted">{t('backup.regenerateExplain')}</p>
      <ErrorAlert error={error} />
      <button type="button" className="btn" onClick={regenerate} disabled={busy} data-testid="backup-codes-regenerate">
        {busy ? t('common.working') : t('backup.regenerate')}
      </button>
    </section>
  );
}
