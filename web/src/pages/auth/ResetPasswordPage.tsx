import { useEffect, useState, type FormEvent } from 'react';
import { authApi } from '../../api/auth';
import { AuthCard } from '../../components/AuthCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { t } from '../../i18n';
import { Link, navigate } from '../../router/router';
import { useSession } from '../../session/SessionProvider';

const MIN_PASSWORD = 8;

/** Sets a new password with the single-use token from the mailed link (`?token=`). */
export function ResetPasswordPage() {
  const session = useSession();
  // Read the token once, then take it out of the address bar (history, screenshots, shoulders).
  const [token] = useState(() => new URLSearchParams(window.location.search).get('token'));
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (token) window.history.replaceState(null, '', '/reset-password');
  }, [token]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (password.length < MIN_PASSWORD) return setError(t('signUp.tooShort', { min: MIN_PASSWORD }));
    if (password !== confirm) return setError(t('password.mismatch'));
    if (!token) return;
    setBusy(true);
    try {
      await authApi.resetPassword(token, password);
      session.setFlash(t('reset.done'));
      navigate('/sign-in');
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  if (!token) {
    return (
      <AuthCard title={t('reset.title')} footer={<Link to="/sign-in">{t('common.backToSignIn')}</Link>}>
        <ErrorAlert error={t('reset.noToken')} />
        <p>
          <Link to="/forgot-password">{t('reset.requestNew')}</Link>
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('reset.title')} lead={t('reset.lead')} footer={<Link to="/forgot-password">{t('reset.requestNew')}</Link>}>
      <form onSubmit={submit} className="stack">
        <Field
          label={t('field.newPassword')}
          hint={t('signUp.passwordHint', { min: MIN_PASSWORD })}
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          testId="reset-password"
        />
        <Field label={t('field.confirmPassword')} type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} testId="reset-confirm" />
        <ErrorAlert error={error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="reset-submit">
          {busy ? t('common.working') : t('reset.submit')}
        </button>
      </form>
    </AuthCard>
  );
}
