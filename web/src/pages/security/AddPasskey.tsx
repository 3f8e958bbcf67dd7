import { browserSupportsWebAuthn, startRegistration } from '@simplewebauthn/browser';
import { useState, type FormEvent } from 'react';
import { mfaApi } from '../../api/mfa';
import { ErrorAlert, Notice } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { t } from '../../i18n';
import { useAction } from '../../lib/useAction';
import { webauthnFailure } from '../../lib/webauthn';
import { useStepUp } from '../../stepup/StepUpProvider';

/** Registers a passkey or security key: options, the browser's ceremony, verification. */
export function AddPasskey({ onAdded }: { onAdded: (backupCodes?: string[]) => void }) {
  const withStepUp = useStepUp();
  const [name, setName] = useState(t('passkey.defaultName'));
  const [added, setAdded] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const supported = browserSupportsWebAuthn();

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    const label = name.trim() || undefined;
    await run(async () => {
      const optionsJSON = await withStepUp((proof) => mfaApi.webauthnRegisterOptions(label, proof));
      let credential;
      try {
        credential = await startRegistration({ optionsJSON });
      } catch (err) {
        throw webauthnFailure(err);
      }
      const result = await withStepUp((proof) => mfaApi.webauthnRegisterVerify(credential, label, proof));
      setAdded(t('passkey.added', { name: result.method?.name ?? label ?? '' }));
      onAdded(result.backup_codes);
    });
  };

  return (
    <form className="add-option" onSubmit={add}>
      <h3>{t('method.webauthn')}</h3>
      <p>{t('passkey.explain')}</p>
      {supported ? (
        <>
          <Field label={t('passkey.nameLabel')} value={name} maxLength={64} onChange={(e) => setName(e.target.value)} testId="passkey-name" />
          <ErrorAlert error={error} testId="passkey-error" />
          <Notice testId="passkey-added">{added}</Notice>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="passkey-add">
            {busy ? t('passkey.waiting') : t('passkey.add')}
          </button>
        </>
      ) : (
        <p className="muted">{t('passkey.unsupported')}</p>
      )}
    </form>
  );
}
