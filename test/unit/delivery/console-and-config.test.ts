import { describe, expect, it } from 'vitest';
import {
  createConsoleMailer,
  createConsoleSmsSender,
  createMailerFromConfig,
  createSmsFromConfig,
  renderMessage,
} from '../../../src/delivery/index.js';

describe('console senders', () => {
  it('the console mailer prints to, subject and the text body', async () => {
    const lines: string[] = [];
    const r = renderMessage('otp_code', { code: '777123' });
    await createConsoleMailer((l) => lines.push(l)).send({ to: 'dev@example.test', subject: r.subject, text: r.text, html: r.html });
    const out = lines.join('\n');
    expect(out).toContain('dev@example.test');
    expect(out).toContain('Subject: Your Twofold verification code');
    expect(out).toContain('777123');
    expect(out).not.toContain('<html');
  });

  it('the console SMS sender prints number and text', async () => {
    const lines: string[] = [];
    await createConsoleSmsSender((l) => lines.push(l)).send('+14155550123', 'Your Twofold code is 1.');
    expect(lines.join('\n')).toMatch(/\+14155550123[\s\S]*Your Twofold code is 1\./);
  });
});

describe('from configuration', () => {
  const write = () => {};

  it('prints mail without SMTP_URL, and needs MAIL_FROM with it', async () => {
    const lines: string[] = [];
    await createMailerFromConfig({ write: (l) => lines.push(l) }).send({ to: 'a@b.test', subject: 's', text: 't', html: 'h' });
    expect(lines).toHaveLength(1);
    expect(() => createMailerFromConfig({ smtpUrl: 'smtp://127.0.0.1:2525', write })).toThrow(/SMTP_URL needs MAIL_FROM/);
    const m = createMailerFromConfig({ smtpUrl: 'smtp://127.0.0.1:2525', mailFrom: 'x@y.test', write });
    m.close();
    expect(() => createMailerFromConfig({ smtpUrl: 'mail.example.test', mailFrom: 'x@y.test', write })).toThrow(/SMTP_URL must start/);
  });

  it('names each missing Twilio setting', () => {
    expect(() => createSmsFromConfig({ provider: 'twilio', write })).toThrow(
      'SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM',
    );
    expect(() => createSmsFromConfig({ provider: 'twilio', twilio: { accountSid: 'AC1', from: '+1500' }, write })).toThrow(
      'SMS_PROVIDER=twilio needs TWILIO_AUTH_TOKEN',
    );
    expect(createSmsFromConfig({ provider: 'twilio', twilio: { accountSid: 'AC1', authToken: 't', from: '+1500' }, write })).toHaveProperty('send');
  });

  it('needs SMS_WEBHOOK_URL for the webhook, defaults to the console, refuses unknown providers', () => {
    expect(() => createSmsFromConfig({ provider: 'webhook', write })).toThrow('SMS_PROVIDER=webhook needs SMS_WEBHOOK_URL');
    expect(createSmsFromConfig({ provider: 'webhook', webhookUrl: 'https://hooks.example.test/sms', write })).toHaveProperty('send');
    expect(createSmsFromConfig({ write })).toHaveProperty('send');
    expect(() => createSmsFromConfig({ provider: 'carrier-pigeon', write })).toThrow(/SMS_PROVIDER must be console, twilio or webhook/);
  });
});
