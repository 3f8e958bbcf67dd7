/**
 * Security notifications end to end (NIST SP 800-63B rev 4: tell the user about every
 * authenticator and account change): each change queues a mail in the persisted outbox; the
 * test drains it into a real SMTP server and reads what arrived: what happened, when, from
 * which IP address and browser, and what to do if it was not them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../src/delivery/templates/locales/en.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { nextMail } from '../helpers/codes.js';
import { call, STRONG, type Res } from '../helpers/http.js';
import { codeAt, nextStep, uniqueEmail } from '../helpers/mfa.js';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../helpers/smtp-server.js';

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const IP = '127.0.0.1';
const MAIL_FROM = 'Twofold <security@twofold.test>';

let smtp: TestSmtpServer;
let t: TestApp;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await startTestApp({ env: { SMTP_URL: smtp.url(), MAIL_FROM } });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

/** A request from the browser the mails should name. */
const req = (method: 'GET' | 'POST' | 'DELETE', url: string, opts: { token?: string; body?: unknown } = {}): Promise<Res> =>
  call(t.app, method, url, { ...opts, headers: { 'user-agent': UA } });

/** Deliver the outbox now, then the first mail to `to` with this subject after `since`. */
async function delivered(to: string, subject: RegExp, since: number): Promise<ReceivedMail> {
  await t.composed.deps.outbox.drain();
  return nextMail(smtp, to, since, subject);
}

/** What every notice must say besides what happened: when, where from, and what to do. */
function expectOccurrence(mail: ReceivedMail, at: number): void {
  expect(mail.from).toBe('security@twofold.test');
  expect(mail.text).toContain(`When: ${en.dateTime(at)}`);
  expect(mail.text).toContain(`IP address: ${IP}`);
  expect(mail.text).toContain('Browser: Firefox on Linux');
  expect(mail.text).toContain(`User agent: ${UA}`);
  expect(mail.text).toContain('If this was not you, someone else may be using your account: reset your password right away');
  expect(mail.html).toContain('Firefox on Linux');
}

interface Enrolled {
  email: string;
  access: string;
  secret: string;
  methodId: string;
  backupCodes: string[];
}

/** Register, sign in and enrol TOTP, all from the browser UA. */
async function enrolled(prefix: string): Promise<Enrolled> {
  const email = uniqueEmail(prefix);
  expect((await req('POST', '/auth/register', { body: { email, password: STRONG } })).status).toBe(201);
  const access = (await req('POST', '/auth/login', { body: { email, password: STRONG } })).body.access_token;
  const setup = await req('POST', '/mfa/totp/setup', { token: access, body: { name: 'Work phone' } });
  const done = await req('POST', '/mfa/totp/verify', { token: access, body: { enrollment_id: setup.body.enrollment_id, code: codeAt(t, setup.body.secret) } });
  expect(done.status).toBe(200);
  return { email, access, secret: setup.body.secret, methodId: done.body.method.id, backupCodes: done.body.backup_codes };
}

async function mfaToken(email: string): Promise<string> {
  return (await req('POST', '/auth/login', { body: { email, password: STRONG } })).body.mfa_token;
}

describe('a notification mail for every security change', () => {
  it('a factor added', async () => {
    const since = smtp.messages.length;
    const at = t.clock.now();
    const u = await enrolled('added');
    const mail = await delivered(u.email, /method was added/, since);
    expect(mail.subject).toBe('A sign-in method was added to your Twofold account');
    expect(mail.text).toContain('A two-step verification method was added to your account: authenticator app “Work phone”.');
    expectOccurrence(mail, at);
  });

  it('a factor removed', async () => {
    const u = await enrolled('removed');
    nextStep(t);
    const since = smtp.messages.length;
    const res = await req('DELETE', `/mfa/methods/${u.methodId}`, { token: u.access, body: { method: 'totp', code: codeAt(t, u.secret) } });
    expect(res.status).toBe(204);
    const mail = await delivered(u.email, /method was removed/, since);
    expect(mail.text).toContain('was removed from your account: authenticator app “Work phone”.');
    expectOccurrence(mail, t.clock.now());
  });

  it('MFA disabled', async () => {
    const u = await enrolled('disabled');
    const since = smtp.messages.length;
    expect((await req('POST', '/mfa/disable', { token: u.access, body: { method: 'backup_code', code: u.backupCodes[0] } })).status).toBe(204);
    const mail = await delivered(u.email, /turned off/, since);
    expect(mail.subject).toBe('Two-step verification was turned off for your Twofold account');
    expect(mail.text).toContain('your password alone now lets someone sign in');
    expectOccurrence(mail, t.clock.now());
  });

  it('backup codes regenerated', async () => {
    const u = await enrolled('regen');
    const since = smtp.messages.length;
    expect((await req('POST', '/mfa/backup-codes/regenerate', { token: u.access, body: {} })).status).toBe(200);
    const mail = await delivered(u.email, /New backup codes/, since);
    expect(mail.text).toContain('The previous codes no longer work.');
    expectOccurrence(mail, t.clock.now());
  });

  it('a backup code used, with how many remain', async () => {
    const u = await enrolled('used');
    const since = smtp.messages.length;
    const res = await req('POST', '/auth/mfa/verify', { body: { mfa_token: await mfaToken(u.email), method: 'backup_code', code: u.backupCodes[3] } });
    expect(res.status).toBe(200);
    const mail = await delivered(u.email, /backup code was used/, since);
    expect(mail.text).toContain('A backup code was used to verify your identity. You have 9 backup codes left.');
    expectOccurrence(mail, t.clock.now());
  });

  it('a lockout, with until when', async () => {
    const u = await enrolled('lockout');
    const since = smtp.messages.length;
    const at = t.clock.now();
    for (let login = 0; login < 2; login++) {
      const token = await mfaToken(u.email);
      for (let i = 0; i < 5; i++) {
        const res = await req('POST', '/auth/mfa/verify', { body: { mfa_token: token, method: 'totp', code: '000000' } });
        expect(res.body.code).toBe('invalid_code');
      }
    }
    const mail = await delivered(u.email, /is locked/, since);
    expect(mail.subject).toBe('Two-step verification on your Twofold account is locked');
    expect(mail.text).toMatch(/is locked until \w+day, .* UTC\./);
    expect(mail.text).toContain('Whoever tried already knew your password.');
    expectOccurrence(mail, at);
  });

  it('the password changed', async () => {
    const u = await enrolled('pwchange');
    const since = smtp.messages.length;
    const res = await req('POST', '/auth/password/change', { token: u.access, body: { current_password: STRONG, new_password: 'a new passphrase 2026' } });
    expect(res.status).toBe(204);
    const mail = await delivered(u.email, /password was changed/, since);
    expect(mail.text).toContain('Your other sessions were signed out.');
    expectOccurrence(mail, t.clock.now());
  });

  it('the password reset', async () => {
    const u = await enrolled('pwreset');
    let since = smtp.messages.length;
    expect((await req('POST', '/auth/password/forgot', { body: { email: u.email } })).status).toBe(202);
    const link = await delivered(u.email, /Reset your Twofold password/, since);
    const token = decodeURIComponent(/reset-password\?token=(\S+)/.exec(link.text)![1]);
    since = smtp.messages.length;
    expect((await req('POST', '/auth/password/reset', { body: { token, new_password: 'reset passphrase 2026' } })).status).toBe(204);
    const mail = await delivered(u.email, /password was reset/, since);
    expect(mail.text).toContain('two-step verification stays on');
    expectOccurrence(mail, t.clock.now());
  });

  it('a new trusted device', async () => {
    const u = await enrolled('device');
    nextStep(t);
    const since = smtp.messages.length;
    const res = await req('POST', '/auth/mfa/verify', { body: { mfa_token: await mfaToken(u.email), method: 'totp', code: codeAt(t, u.secret), trust_device: true } });
    expect(res.status).toBe(200);
    expect(res.body.device_token).toBeTruthy();
    const mail = await delivered(u.email, /device was remembered/, since);
    expect(mail.text).toMatch(/A device \(“.*Firefox.*”\) was marked as trusted/);
    expectOccurrence(mail, t.clock.now());
  });
});

describe('the outbox', () => {
  it('does not make the request wait for the mail server', async () => {
    const slow = await startSmtpServer({ replyDelayMs: 1500 });
    const app = await startTestApp({ env: { SMTP_URL: slow.url(), MAIL_FROM } });
    try {
      const email = uniqueEmail('slow');
      await call(app.app, 'POST', '/auth/register', { body: { email, password: STRONG } });
      const access = (await call(app.app, 'POST', '/auth/login', { body: { email, password: STRONG } })).body.access_token;
      const started = Date.now();
      const res = await call(app.app, 'POST', '/auth/password/change', { token: access, body: { current_password: STRONG, new_password: 'slow server passphrase' } });
      expect(res.status).toBe(204);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await app.composed.deps.core.store.outbox.pending()).toBe(1);
      expect(slow.messages).toHaveLength(0);
    } finally {
      await app.close();
      await slow.close();
    }
  });

  it('loses nothing across a restart: queued, closed before sending, delivered by the next process', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'twofold-outbox-restart-'));
    try {
      const email = uniqueEmail('restart');
      const first = await startTestApp({ dataDir: dir, env: { SMTP_URL: smtp.url(), MAIL_FROM } });
      try {
        await call(first.app, 'POST', '/auth/register', { body: { email, password: STRONG } });
        const access = (await call(first.app, 'POST', '/auth/login', { body: { email, password: STRONG } })).body.access_token;
        const res = await call(first.app, 'POST', '/auth/password/change', {
          token: access,
          body: { current_password: STRONG, new_password: 'survives a restart 1' },
          headers: { 'user-agent': UA },
        });
        expect(res.status).toBe(204);
        expect(await first.composed.deps.core.store.outbox.pending()).toBe(1);
      } finally {
        // Closed before anything was drained.
        await first.close();
      }
      expect(smtp.messages.some((m) => m.to.includes(email))).toBe(false);

      const since = smtp.messages.length;
      const second = await startTestApp({ dataDir: dir, env: { SMTP_URL: smtp.url(), MAIL_FROM } });
      try {
        expect(await second.composed.deps.core.store.outbox.pending()).toBe(1);
        expect(await second.composed.deps.outbox.drain()).toBe(1);
        const mail = await nextMail(smtp, email, since, /password was changed/);
        expect(mail.text).toContain('Browser: Firefox on Linux');
        expect(await second.composed.deps.core.store.outbox.pending()).toBe(0);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
