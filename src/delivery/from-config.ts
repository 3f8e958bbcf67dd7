/**
 * Build the mailer and SMS sender from parsed configuration. The names in error messages are
 * the environment variables of API.md "Running it", so an operator reading a start-up error
 * knows which setting to fix. (Values come in as arguments: this layer never reads the env.)
 */
import type { Mailer, SmsSender } from '../core/ports.js';
import { createConsoleMailer } from './mail-console.js';
import { createSmtpMailer } from './mail-smtp.js';
import { createConsoleSmsSender } from './sms-console.js';
import { createTwilioSender } from './sms-twilio.js';
import { createWebhookSender } from './sms-webhook.js';

export interface MailConfig {
  /** SMTP_URL; unset means print mail to the console. */
  smtpUrl?: string;
  /** MAIL_FROM; needed with SMTP_URL. */
  mailFrom?: string;
  /** Where the console mailer prints. */
  write: (line: string) => void;
}

export function createMailerFromConfig(cfg: MailConfig): Mailer & { close(): void } {
  if (!cfg.smtpUrl) return createConsoleMailer(cfg.write);
  if (!cfg.mailFrom) throw new Error('SMTP_URL needs MAIL_FROM (the sender address, e.g. "Twofold <no-reply@example.com>")');
  return createSmtpMailer({ url: cfg.smtpUrl, from: cfg.mailFrom });
}

export type SmsProvider = 'console' | 'twilio' | 'webhook';

export interface SmsConfig {
  /** SMS_PROVIDER. @default 'console' */
  provider?: SmsProvider | string;
  twilio?: {
    accountSid?: string;
    authToken?: string;
    from?: string;
    /** TWILIO_API_BASE. @default 'https://api.twilio.com' */
    apiBase?: string;
  };
  webhookUrl?: string;
  webhookSecret?: string;
  write: (line: string) => void;
  fetchImpl?: typeof fetch;
}

export function createSmsFromConfig(cfg: SmsConfig): SmsSender {
  const provider = cfg.provider ?? 'console';
  switch (provider) {
    case 'console':
      return createConsoleSmsSender(cfg.write);
    case 'twilio': {
      const t = cfg.twilio ?? {};
      const missing = (
        [
          ['TWILIO_ACCOUNT_SID', t.accountSid],
          ['TWILIO_AUTH_TOKEN', t.authToken],
          ['TWILIO_FROM', t.from],
        ] as const
      ).filter(([, v]) => !v);
      if (missing.length) throw new Error(`SMS_PROVIDER=twilio needs ${missing.map(([n]) => n).join(', ')}`);
      return createTwilioSender({
        accountSid: t.accountSid!,
        authToken: t.authToken!,
        from: t.from!,
        apiBase: t.apiBase || undefined,
        fetchImpl: cfg.fetchImpl,
      });
    }
    case 'webhook':
      if (!cfg.webhookUrl) throw new Error('SMS_PROVIDER=webhook needs SMS_WEBHOOK_URL');
      return createWebhookSender({ url: cfg.webhookUrl, secret: cfg.webhookSecret || undefined, fetchImpl: cfg.fetchImpl });
    default:
      throw new Error(`SMS_PROVIDER must be console, twilio or webhook (got "${provider}")`);
  }
}
