import { startAuthentication } from '@simplewebauthn/browser';
import { useState, type ReactNode } from 'react';
import { authApi } from '../../api/auth';
import type { SignedInResponse } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { t } from '../../i18n';
import { isAbort, webauthnFailure } from '../../lib/webauthn';

interface Props {
  mfaToken: string;
  trust: boolean;
  /** The "trust this browser" checkbox, placed before the button that uses it. */
  trustControl: ReactNode;
  onSignedIn: (response: SignedInResponse) => Promise<void>;
  onFatal: (e: unknown) => boolean;
}

/** The second step with a passkey or security key registered to this account. */
export function WebAuthnStep({ mfaToken, trust, trustControl, onSignedIn, onFatal }: Props) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setError(null);
    setBusy(true);
    try {
      const optionsJSON = await authApi.webauthnOptions(mfaToken);
      const credential = await startAuthentication({ optionsJSON });
      const response = await authApi.verify({ mfa_token: mfaToken, method: 'webauthn', credential, ...(trust ? { trust_device: true } : {}) });
      await onSignedIn(response);
    } catch (e) {
      setBusy(false);
      if (onFatal(e) || isAbort(e)) return;
      setError(webauthnFailure(e));
    }
  };

  return (
    <div className="stack" data-testid="mfa-form-webauthn">
      <p>{t('mfa.webauthnHint')}</p>
      {trustControl}
      <ErrorAlert error={error} />
      <button type="button" className="btn btn-primary btn-block" onClick={run} disabled={busy} data-testid="mfa-webauthn">
        {busy ? t('mfa.webauthnWaiting') : t('mfa.webauthnButton')}
      </button>
    </div>
  );
}
