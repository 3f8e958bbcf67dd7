import { useState, type FormEvent } from 'react';
import { authApi } from '../../api/auth';
import { AuthCard } from '../../components/AuthCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { t } from '../../i18n';
import { Link } from '../../router/router';
import { useSession } from '../../session/SessionProvider';

const MIN_PASSWORD = 8; // API.md: passwords are checked for length (>= 8).

/** Creates an account, then signs straight in so the user can add a second factor. */
export function SignUpPage() {
  const session = useSession();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (password.length < MIN_PASSWORD) {
      setError(t('signUp.tooShort', { min: MIN_PASSWORD }));
      return;
    }
    setBusy(true);
    try {
      await authApi.register({ email: email.trim(), password, ...(name.trim() ? { name: name.trim() } : {}) });
    } catch (err) {
      setError(err);
      setBusy(false);
      return;
    }
    try {
      const response = await authApi.login({ email: email.trim(), password });
      if (response.mfa_required) session.beginSecondStep(response, email.trim(), null);
      else await session.completeSignIn(response, email.trim(), '/security?welcome=1');
    } catch {
      // Where registration hides whether the address was taken, signing in may not work yet.
      session.abandonSecondStep(t('signUp.created'));
    }
  };

  return (
    <AuthCard
      title={t('signUp.title')}
      lead={t('signUp.lead')}
      footer={
        <p>
          {t('signUp.haveAccount')} <Link to="/sign-in">{t('signUp.signIn')}</Link>
        </p>
      }
    >
      <form onSubmit={submit} className="stack">
        <Field label={t('field.nameOptional')} name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} testId="signup-name" />
        <Field label={t('field.email')} type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} testId="signup-email" />
        <Field
          label={t('field.newPassword')}
          hint={t('signUp.passwordHint', { min: MIN_PASSWORD })}
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          testId="signup-password"
        />
        <ErrorAlert error={error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="signup-submit">
          {busy ? t('common.working') : t('signUp.submit')}
        </button>
      </form>
    </AuthCard>
  );
}
