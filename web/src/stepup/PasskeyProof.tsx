import { startAuthentication } from '@simplewebauthn/browser';
import { useState } from 'react';
import { stepUpApi } from '../api/stepup';
import { ErrorAlert } from '../components/ErrorAlert';
import { t } from '../i18n';
import { isAbort, webauthnFailure } from '../lib/webauthn';
import { ProofActions } from './ProofActions';
import { useProof, type ProofHandlers } from './useProof';

/**
 * A passkey or security key: options bound to this user, the browser's ceremony, then the
 * waiting request again with `{method: "webauthn", credential}`.
 */
export function PasskeyProof({ onCancel, ...handlers }: ProofHandlers & { onCancel: () => void }) {
  const proof = useProof(handlers);
  const [waiting, setWaiting] = useState(false);
  const [ceremonyError, setCeremonyError] = useState<unknown>(null);

  const run = async () => {
    setCeremonyError(null);
    proof.setError(null);
    setWaiting(true);
    let credential;
    try {
      const optionsJSON = await stepUpApi.webauthnOptions();
      credential = await startAuthentication({ optionsJSON });
    } catch (e) {
      if (!isAbort(e)) setCeremonyError(webauthnFailure(e));
      return;
    } finally {
      setWaiting(false);
    }
    await proof.submit({ method: 'webauthn', credential });
  };

  return (
    <div className="stack" data-testid="step-up-form-webauthn">
      <p>{t('mfa.webauthnHint')}</p>
      <ErrorAlert error={ceremonyError ?? proof.error} testId="step-up-error" />
      <ProofActions busy={waiting || proof.busy} onCancel={onCancel} onConfirm={() => void run()} label={waiting ? t('mfa.webauthnWaiting') : t('mfa.webauthnButton')} autoFocus />
    </div>
  );
}
