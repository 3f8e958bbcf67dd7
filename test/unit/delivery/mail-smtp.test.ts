import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError, createSmtpMailer, renderMessage } from '../../../src/delivery/index.js';
import { freePort, startSmtpServer, type TestSmtpServer } from '../../helpers/smtp-server.js';

const FROM = 'Twofold <no-reply@twofold.test>';
const CREDS = { user: 'mailer', pass: 's3cret p@ss/wörd' };

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(opts: Parameters<typeof startSmtpServer>[0] = {}): Promise<TestSmtpServer> {
  const s = await startSmtpServer(opts);
  cleanups.push(() => s.close());
  return s;
}

function mailer(url: string) {
  const m = createSmtpMailer({ url, from: FROM });
  cleanups.push(() => m.close());
  return m;
}

const otp = renderMessage('otp_code', {
  code: '482913',
  name: 'Ada',
  at: '2026-03-03T14:05:00Z',
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  appUrl: 'https://auth.example.test',
});

describe('SMTP mailer', () => {
  it('delivers text and HTML bodies to a real SMTP server, logging in with the URL credentials', async () => {
    const smtp = await server({ auth: CREDS });
    await mailer(smtp.url(CREDS)).send({ to: 'ada@example.test', subject: otp.subject, text: otp.text, html: otp.html });

    const got = await smtp.waitFor((m) => m.to.includes('ada@example.test'));
    expect(got.user).toBe('mailer');
    expect(got.subject).toBe('Your Twofold verification code');
    expect(got.from).toBe('no-reply@twofold.test');
    expect(got.rcptTo).toEqual(['ada@example.test']);
    const code = /^\s+(\d{6})$/m.exec(got.text)?.[1];
    expect(code).toBe('482913');
    expect(got.html).toContain('482913');
    expect(got.html).toContain('<html');
    expect(got.text).toContain('203.0.113.7');
  });

  it('upgrades with STARTTLS when the server offers it', async () => {
    const smtp = await server({ tls: 'starttls', auth: CREDS });
    // The test server's certificate is self-signed; nodemailer takes TLS options from the URL query.
    await mailer(smtp.url(CREDS, 'tls.rejectUnauthorized=false')).send({ to: 'a@example.test', subject: 's', text: 't', html: '<p>t</p>' });
    const got = await smtp.waitFor(() => true);
    expect(got.secure).toBe(true);
    expect(got.user).toBe('mailer');
  });

  it('refuses an untrusted certificate during STARTTLS instead of sending in the clear', async () => {
    const smtp = await server({ tls: 'starttls' });
    await expect(mailer(smtp.url()).send({ to: 'a@example.test', subject: 's', text: 't', html: 't' })).rejects.toBeInstanceOf(DeliveryError);
    expect(smtp.messages).toHaveLength(0);
  });

  it('speaks implicit TLS for smtps:// URLs', async () => {
    const smtp = await server({ tls: 'implicit' });
    expect(smtp.url()).toMatch(/^smtps:/);
    await mailer(smtp.url(undefined, 'tls.rejectUnauthorized=false')).send({ to: 'b@example.test', subject: 's', text: 't', html: 't' });
    expect((await smtp.waitFor(() => true)).secure).toBe(true);
  });

  it('a wrong password rejects the send without the password in the error, even when the server echoes it', async () => {
    const smtp = await server({ auth: CREDS, echoPasswordOnFailure: true });
    const wrong = { user: 'mailer', pass: 'hunter2-Wrong!' };
    const err = await mailer(smtp.url(wrong))
      .send({ to: 'ada@example.test', subject: 's', text: 't', html: 't' })
      .then(() => undefined, (e: unknown) => e);

    expect(err).toBeInstanceOf(DeliveryError);
    const e = err as DeliveryError;
    expect(e.message).toMatch(/SMTP send via smtp:\/\/127\.0\.0\.1:\d+ failed/);
    expect(e.message).toMatch(/535|Invalid/);
    for (const text of [e.message, String(e.stack), JSON.stringify(e)]) {
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain(encodeURIComponent(wrong.pass));
    }
    // A bad login is fixable by the operator: worth retrying, not a permanent failure.
    expect(e.permanent).toBe(false);
    expect(smtp.messages).toHaveLength(0);
  });

  it('a server that is down gives a retryable DeliveryError', async () => {
    const port = await freePort();
    const err = await mailer(`smtp://127.0.0.1:${port}`)
      .send({ to: 'a@example.test', subject: 's', text: 't', html: 't' })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).permanent).toBe(false);
    expect((err as Error).message).toMatch(/ECONNREFUSED|connect/i);
  });

  it('a recipient the server refuses (550) is a permanent failure', async () => {
    const smtp = await server({ rejectRecipient: (a) => a.startsWith('gone@') });
    const err = await mailer(smtp.url())
      .send({ to: 'gone@example.test', subject: 's', text: 't', html: 't' })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).permanent).toBe(true);
    expect((err as DeliveryError).status).toBe(550);
  });

  it('refuses a URL that is not smtp:// or smtps://', () => {
    expect(() => createSmtpMailer({ url: 'http://mail.example.test', from: FROM })).toThrow(/SMTP_URL must start with smtp:\/\//);
  });
});
