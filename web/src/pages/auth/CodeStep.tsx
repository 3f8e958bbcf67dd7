import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { authApi } from '../../api/auth';
import type { SignedInResponse, VerifyMethod } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/ErrorAlert';
import { CodeField, cleanCode } from '../../components/Field';
import { t } from '../../i18n';
import { sendFailure } from '../../lib/errors';
import { formatWait } from '../../lib/format';

interface Props {
  method: Exclude<VerifyMethod, 'webauthn'>;
  mfaToken: string;
  trust: boolean;
  /** The "trust this browser" checkbox, placed before the button that uses it. */
  trustControl: ReactNode;
  onSignedIn: (response: SignedInResponse) => Promise<void>;
  onFatal: (e: unknown) => boolean;
}

const LABEL = { totp: 'mfa.totpLabel', email: 'mfa.emailLabel', sms: 'mfa.smsLabel', backup_code: 'mfa.backupCodeLabel' } as const;
const HINT = { totp: 'mfa.totpHint', email: 'mfa.emailHint', sms: 'mfa.smsHint', backup_code: 'mfa.backupCodeHint' } as const;

/** A typed code: authenticator app, a code sent by email or SMS ("Send code"), or a backup code. */
export function CodeStep({ method, mfaToken, trust, trustControl, onSignedIn, onFatal }: Props) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const channel = method === 'email' || method === 'sms' ? method : null;

  const sendCode = async () => {
    if (!channel) return;
    setError(null);
    setBusy(true);
    try {
      const res = await authApi.sendChallenge(mfaToken, channel);
      const expires = res?.expires_in ? formatWait(Date.now() + res.expires_in * 1000) : null;
      setSent(t(channel === 'email' ? 'mfa.emailSent' : 'mfa.smsSent') + (expires ? ' ' + t('mfa.codeExpiresIn', { wait: expires }) : ''));
      input.current?.focus();
    } catch (e) {
      if (!onFatal(e)) setError(sendFailure(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const response = await authApi.verify({ mfa_token: mfaToken, method, code: cleanCode(code), ...(trust ? { trust_device: true } : {}) });
      await onSignedIn(response);
    } catch (err) {
      setBusy(false);
      if (onFatal(err)) return;
      setError(err);
      setCode('');
      input.current?.focus();
    }
  };

  return (
    <form onSubmit={submit} className="stack" data-testid={`mfa-form-${method}`}>
      {channel && (
        <div className="send-row">
          <button type="button" className="btn" onClick={sendCode} disabled={busy} data-testid="mfa-send-code">
            {sent ? t('mfa.resendCode') : t('mfa.sendCode')}
          </button>
        </div>
      )}
      <Notice testId="mfa-sent">{sent}</Notice>
      <CodeField
        ref={input}
        kind={method === 'backup_code' ? 'backup' : 'numeric'}
        label={t(LABEL[method])}
        hint={t(HINT[method])}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        testId="mfa-code"
        autoFocus={!channel}
      />
      {trustControl}
      <ErrorAlert error={error} />
      <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="mfa-submit">
        {busy ? t('common.working') : t('mfa.verify')}
      </button>
    </form>
  );
}
