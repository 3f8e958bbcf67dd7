import { useId, useState, type FormEvent } from 'react';
import { adminApi } from '../../api/admin';
import type { AdminUser } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { t } from '../../i18n';
import { useAction } from '../../lib/useAction';

/** Removes all of a user's factors, devices and sessions; the reason goes to the audit log. */
export function ResetMfaDialog({ user, onClose, onDone }: { user: AdminUser; onClose: () => void; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const reasonId = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => adminApi.resetMfa(user.id, reason.trim()))) {
      onClose();
      onDone();
    }
  };
  return (
    <Dialog title={t('resetMfa.title', { email: user.email })} description={t('resetMfa.explain')} onClose={onClose} testId="reset-mfa-dialog">
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor={reasonId}>{t('resetMfa.reasonLabel')}</label>
          <p className="hint" id={`${reasonId}-hint`}>
            {t('resetMfa.reasonHint')}
          </p>
          <textarea id={reasonId} aria-describedby={`${reasonId}-hint`} required minLength={3} maxLength={500} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="reset-reason" data-autofocus />
        </div>
        <ErrorAlert error={error} />
        <div className="actions">
          <button type="submit" className="btn btn-danger" disabled={busy || reason.trim().length < 3} data-testid="reset-confirm">
            {busy ? t('common.working') : t('resetMfa.confirm')}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
