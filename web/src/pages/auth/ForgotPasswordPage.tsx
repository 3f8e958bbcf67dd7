import { useState, type FormEvent } from 'react';
import { authApi } from '../../api/auth';
import { AuthCard } from '../../components/AuthCard';
import { ErrorAlert, Notice } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { t } from '../../i18n';
import { Link } from '../../router/router';

/** Asks for a reset link. The answer is the same whether or not the account exists. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await authApi.forgotPassword(email.trim());
      setSentTo(email.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={t('forgot.title')} lead={t('forgot.lead')} footer={<Link to="/sign-in">{t('common.backToSignIn')}</Link>}>
      <Notice testId="forgot-sent">{sentTo && t('forgot.sent', { email: sentTo })}</Notice>
      <form onSubmit={submit} className="stack">
        <Field label={t('field.email')} type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} testId="forgot-email" />
        <ErrorAlert error={error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="forgot-submit">
          {busy ? t('common.working') : t('forgot.submit')}
        </button>
      </form>
    </AuthCard>
  );
}
