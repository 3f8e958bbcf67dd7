import { useState } from 'react';
import { stepUpApi } from '../api/stepup';
import { t } from '../i18n';
import { formatWait } from '../lib/format';
import { sendFailure } from '../lib/errors';
import { useRetryAfter } from '../lib/useRetryAfter';

/** "Send code" for an email or SMS step-up: what was sent, and when another may be asked for. */
export function useSendCode(channel: 'email' | 'sms' | null, methodId?: string) {
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const retry = useRetryAfter();

  const send = async (): Promise<boolean> => {
    if (!channel) return false;
    setSending(true);
    setError(null);
    try {
      const res = await stepUpApi.sendCode(channel, methodId);
      const expires = res?.expires_in ? ' ' + t('mfa.codeExpiresIn', { wait: formatWait(Date.now() + res.expires_in * 1000) }) : '';
      setSent(t(channel === 'email' ? 'mfa.emailSent' : 'mfa.smsSent') + expires);
      return true;
    } catch (e) {
      retry.note(e);
      setError(sendFailure(e));
      return false;
    } finally {
      setSending(false);
    }
  };

  return { send, sending, sent, error, clearError: () => setError(null), waiting: retry.waiting };
}
