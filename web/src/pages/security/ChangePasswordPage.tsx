import { useState, type FormEvent } from 'react';
import { authApi } from '../../api/auth';
import { ErrorAlert, Notice } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { t } from '../../i18n';
import { useAction } from '../../lib/useAction';
import { useSession } from '../../session/SessionProvider';
import { useStepUp } from '../../stepup/StepUpProvider';

const MIN_PASSWORD = 8;

/** Change password (with step-up); other sessions are signed out by the service. */
export function ChangePasswordPage() {
  const { user } = useSession();
  const withStepUp = useStepUp();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, setError, run } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    if (next.length < MIN_PASSWORD) return setError(t('signUp.tooShort', { min: MIN_PASSWORD }));
    if (next !== confirm) return setError(t('password.mismatch'));
    const ok = await run(() => withStepUp((proof) => authApi.changePassword({ current_password: current, new_password: next }, proof)));
    if (ok) {
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(true);
    }
  };

  return (
    <div className="narrow">
      <PageHeading lead={t('password.lead')}>{t('password.title')}</PageHeading>
      <form className="card stack" onSubmit={submit}>
        <input type="email" name="username" autoComplete="username" value={user?.email ?? ''} readOnly hidden aria-hidden="true" tabIndex={-1} />
        <Field label={t('field.currentPassword')} type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} testId="password-current" />
        <Field
          label={t('field.newPassword')}
          hint={t('signUp.passwordHint', { min: MIN_PASSWORD })}
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          value={next}
          onChange={(e) => setNext(e.target.value)}
          testId="password-new"
        />
        <Field label={t('field.confirmPassword')} type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} testId="password-confirm" />
        <ErrorAlert error={error} />
        <Notice testId="password-changed">{done && t('password.changed')}</Notice>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="password-submit">
            {busy ? t('common.working') : t('password.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
