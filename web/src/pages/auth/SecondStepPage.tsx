import { useEffect, useState } from 'react';
import { isApiError } from '../../api/problem';
import type { SignedInResponse, VerifyMethod } from '../../api/types';
import { AuthCard } from '../../components/AuthCard';
import { t } from '../../i18n';
import { METHOD_ORDER, methodLabel } from '../../lib/methods';
import { navigate } from '../../router/router';
import { useSession } from '../../session/SessionProvider';
import { CodeStep } from './CodeStep';
import { WebAuthnStep } from './WebAuthnStep';

const TRUST_DAYS = 30; // API.md "Defaults": trusted device, 30 days.

/**
 * The second step of sign-in: one of the methods the login response offered, plus
 * "trust this browser". The MFA-pending token lives only in memory; a reload starts over.
 */
export function SecondStepPage() {
  const session = useSession();
  const { pending, abandonSecondStep, completeSignIn } = session;
  const methods = METHOD_ORDER.filter((m) => pending?.methods.includes(m));
  const [method, setMethod] = useState<VerifyMethod | null>(methods.includes('totp') ? 'totp' : (methods[0] ?? null));
  const [trust, setTrust] = useState(false);

  useEffect(() => {
    if (!pending) navigate('/sign-in', { replace: true });
  }, [pending]);

  // The step lives 5 minutes; when it is over, say so rather than fail on the next try.
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => abandonSecondStep(t('error.mfaTokenInvalid')), Math.max(0, pending.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [pending, abandonSecondStep]);

  if (!pending) return null;

  const done = (response: SignedInResponse) => completeSignIn(response, pending.email, pending.next);
  /** Returns true when the error ended the step (and the page is leaving). */
  const onFatal = (e: unknown): boolean => {
    if (isApiError(e, 'mfa_token_invalid')) {
      abandonSecondStep(t('error.mfaTokenInvalid'));
      return true;
    }
    return false;
  };

  const trustControl = (
    <label className="checkbox">
      <input type="checkbox" checked={trust} onChange={(e) => setTrust(e.target.checked)} data-testid="mfa-trust" />
      <span>
        {t('mfa.trust', { days: TRUST_DAYS })}
        <span className="hint">{t('mfa.trustHint')}</span>
      </span>
    </label>
  );

  return (
    <AuthCard
      title={t('mfa.title')}
      lead={t('mfa.lead')}
      footer={
        <button type="button" className="btn-link" onClick={() => abandonSecondStep()} data-testid="mfa-cancel">
          {t('mfa.startOver')}
        </button>
      }
    >
      {methods.length > 1 && (
        <fieldset className="method-tabs">
          <legend>{t('mfa.chooseMethod')}</legend>
          {methods.map((m) => (
            <label key={m} className={`method-tab ${method === m ? 'selected' : ''}`}>
              <input type="radio" name="mfa-method" value={m} checked={method === m} onChange={() => setMethod(m)} data-testid={`mfa-method-${m}`} />
              <span>{methodLabel(m)}</span>
            </label>
          ))}
        </fieldset>
      )}

      {method === 'webauthn' ? (
        <WebAuthnStep key={method} mfaToken={pending.mfaToken} trust={trust} trustControl={trustControl} onSignedIn={done} onFatal={onFatal} />
      ) : method ? (
        <CodeStep key={method} method={method} mfaToken={pending.mfaToken} trust={trust} trustControl={trustControl} onSignedIn={done} onFatal={onFatal} />
      ) : (
        <p>{t('mfa.noMethods')}</p>
      )}
    </AuthCard>
  );
}
