import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, startAuthentication, WebAuthnAbortService, type AuthenticationResponseJSON } from '@simplewebauthn/browser';
import { useEffect, useState, type FormEvent } from 'react';
import { authApi } from '../../api/auth';
import { AuthCard } from '../../components/AuthCard';
import { ErrorAlert, Notice } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { KeyIcon } from '../../components/icons';
import { t } from '../../i18n';
import { isAbort, webauthnFailure } from '../../lib/webauthn';
import { Link, safeNext, useLocation } from '../../router/router';
import { useSession } from '../../session/SessionProvider';

/** Email and password, a passkey button, and passkey autofill (conditional UI) where supported. */
export function SignInPage() {
  const session = useSession();
  const next = safeNext(useLocation().search.get('next'));
  const [flash] = useState(session.flash);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { setFlash, completeSignIn, beginSecondStep } = session;

  useEffect(() => setFlash(null), [setFlash]);

  const finishPasskey = async (credential: AuthenticationResponseJSON) => {
    setBusy(true);
    try {
      const response = await authApi.passkeyVerify(credential);
      await completeSignIn(response, '', next);
    } finally {
      setBusy(false);
    }
  };

  // Conditional UI: the browser offers saved passkeys in the email field's autofill list.
  // Failing to set it up is silent (the form still works); failing a chosen passkey is not.
  useEffect(() => {
    let live = true;
    (async () => {
      if (!(await browserSupportsWebAuthnAutofill())) return;
      let credential: AuthenticationResponseJSON;
      try {
        const optionsJSON = await authApi.passkeyOptions();
        if (!live) return;
        credential = await startAuthentication({ optionsJSON, useBrowserAutofill: true });
      } catch {
        return;
      }
      if (live) await finishPasskey(credential);
    })().catch((e: unknown) => {
      if (live && !isAbort(e)) setError(webauthnFailure(e));
    });
    return () => {
      live = false;
      WebAuthnAbortService.cancelCeremony();
    };
    // Once per visit to the page: the ceremony waits in the background until used or aborted.
  }, []);

  const signInWithPassword = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const response = await authApi.login({ email: email.trim(), password });
      if (response.mfa_required) beginSecondStep(response, email.trim(), next);
      else await completeSignIn(response, email.trim(), next);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const signInWithPasskey = async () => {
    setError(null);
    try {
      const optionsJSON = await authApi.passkeyOptions();
      const credential = await startAuthentication({ optionsJSON });
      await finishPasskey(credential);
    } catch (err) {
      if (!isAbort(err)) setError(webauthnFailure(err));
    }
  };

  return (
    <AuthCard
      title={t('signIn.title')}
      lead={t('signIn.lead')}
      footer={
        <p>
          {t('signIn.noAccount')} <Link to="/sign-up">{t('signIn.createAccount')}</Link>
        </p>
      }
    >
      <Notice testId="flash">{flash}</Notice>
      <form onSubmit={signInWithPassword} className="stack" noValidate={false}>
        <Field
          label={t('field.email')}
          type="email"
          name="email"
          autoComplete="username webauthn"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          testId="signin-email"
        />
        <Field
          label={t('field.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          testId="signin-password"
        />
        <p className="field-aside">
          <Link to="/forgot-password">{t('signIn.forgot')}</Link>
        </p>
        <ErrorAlert error={error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="signin-submit">
          {busy ? t('common.working') : t('signIn.submit')}
        </button>
      </form>
      {browserSupportsWebAuthn() && (
        <>
          <div className="divider" role="separator">
            <span>{t('common.or')}</span>
          </div>
          <button type="button" className="btn btn-block" onClick={signInWithPasskey} disabled={busy} data-testid="signin-passkey">
            <KeyIcon /> {t('signIn.passkey')}
          </button>
        </>
      )}
    </AuthCard>
  );
}
