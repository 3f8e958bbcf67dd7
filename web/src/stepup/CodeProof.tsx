import { useRef, useState, type FormEvent } from 'react';
import { CodeField, cleanCode } from '../components/Field';
import { ErrorAlert, Notice } from '../components/ErrorAlert';
import { t } from '../i18n';
import { ProofActions } from './ProofActions';
import type { StepUpOption } from './options';
import { useProof, type ProofHandlers } from './useProof';
import { useSendCode } from './useSendCode';

type CodeMethod = 'totp' | 'backup_code' | 'email' | 'sms';

const LABEL = { totp: 'mfa.totpLabel', email: 'mfa.emailLabel', sms: 'mfa.smsLabel', backup_code: 'mfa.backupCodeLabel' } as const;
const HINT = { totp: 'mfa.totpHint', email: 'mfa.emailHint', sms: 'mfa.smsHint', backup_code: 'mfa.backupCodeHint' } as const;

/**
 * A typed code: from the authenticator app, a backup code, or one sent on request by email or
 * SMS ("Send code" asks `POST /mfa/step-up/challenge` for it).
 */
export function CodeProof({ option, onCancel, ...handlers }: ProofHandlers & { option: StepUpOption & { method: CodeMethod }; onCancel: () => void }) {
  const method = option.method;
  const channel = method === 'email' || method === 'sms' ? method : null;
  const [code, setCode] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const proof = useProof(handlers);
  const sender = useSendCode(channel, option.methodId);

  const sendCode = async () => {
    proof.setError(null);
    if (await sender.send()) input.current?.focus();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    sender.clearError();
    if (!(await proof.submit({ method, code: cleanCode(code) }))) {
      setCode('');
      input.current?.focus();
    }
  };

  return (
    <form onSubmit={submit} className="stack" data-testid={`step-up-form-${method}`}>
      {channel && (
        <div className="send-row">
          <button type="button" className="btn" onClick={sendCode} disabled={sender.sending || sender.waiting} data-testid="step-up-send-code" autoFocus>
            {sender.sent ? t('mfa.resendCode') : t('mfa.sendCode')}
          </button>
        </div>
      )}
      <Notice testId="step-up-sent">{sender.sent}</Notice>
      <CodeField
        ref={input}
        kind={method === 'backup_code' ? 'backup' : 'numeric'}
        label={t(LABEL[method])}
        hint={t(HINT[method])}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        testId="step-up-code"
        autoFocus={!channel}
      />
      <ErrorAlert error={sender.error ?? proof.error} testId="step-up-error" />
      <ProofActions busy={proof.busy} onCancel={onCancel} />
    </form>
  );
}
