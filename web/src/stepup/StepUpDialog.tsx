import { browserSupportsWebAuthn } from '@simplewebauthn/browser';
import { useMemo, useState } from 'react';
import { mfaApi } from '../api/mfa';
import type { StepUpProof } from '../api/types';
import { Dialog } from '../components/Dialog';
import { ErrorAlert } from '../components/ErrorAlert';
import { t } from '../i18n';
import { useLoader } from '../lib/useLoader';
import { CodeProof } from './CodeProof';
import { defaultOption, stepUpOptions, type StepUpOption } from './options';
import { PasskeyProof } from './PasskeyProof';
import { PasswordProof } from './PasswordProof';

interface Props {
  send: (proof?: StepUpProof) => Promise<unknown>;
  onDone: (value: unknown) => void;
  onFail: (error: unknown) => void;
  onCancel: () => void;
}

/**
 * Asks for a fresh proof that it's the user, with any method they have (authenticator code,
 * backup code, email or SMS code on request, passkey, or the password without MFA), then
 * resends the waiting request with that proof merged into its body.
 */
export function StepUpDialog({ send, onDone, onFail, onCancel }: Props) {
  const status = useLoader(() => mfaApi.status());
  const options = useMemo(() => (status.data ? stepUpOptions(status.data, browserSupportsWebAuthn()) : []), [status.data]);
  const [chosenKey, setChosenKey] = useState<string | null>(null);
  const chosen = options.find((o) => o.key === chosenKey) ?? defaultOption(options);
  const handlers = { send: (proof: StepUpProof) => send(proof), onDone, onFail, onCancel };

  return (
    <Dialog title={t('stepUp.title')} description={t('stepUp.description')} onClose={onCancel} testId="step-up-dialog">
      {status.loading && !status.data && <p className="muted">{t('common.loading')}</p>}
      <ErrorAlert error={status.error} testId="step-up-error" />
      {status.data && options.length === 0 && <p>{t('stepUp.noMethod')}</p>}
      {options.length > 1 && (
        <fieldset className="choice-row step-up-methods">
          <legend>{t('stepUp.method')}</legend>
          {options.map((o) => (
            <label key={o.key} className="choice">
              <input
                type="radio"
                name="step-up-method"
                value={o.key}
                checked={chosen?.key === o.key}
                onChange={() => setChosenKey(o.key)}
                data-testid={`step-up-method-${o.key}`}
              />
              {o.label}
            </label>
          ))}
        </fieldset>
      )}
      {chosen && <Proof key={chosen.key} option={chosen} {...handlers} />}
    </Dialog>
  );
}

function Proof({ option, ...handlers }: { option: StepUpOption; send: (proof: StepUpProof) => Promise<unknown>; onDone: (v: unknown) => void; onFail: (e: unknown) => void; onCancel: () => void }) {
  switch (option.method) {
    case 'password':
      return <PasswordProof {...handlers} />;
    case 'webauthn':
      return <PasskeyProof {...handlers} />;
    default:
      return <CodeProof option={{ ...option, method: option.method }} {...handlers} />;
  }
}
