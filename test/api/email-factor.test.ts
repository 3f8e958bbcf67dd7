/**
 * Email codes end to end (issue #4): enrolment, login and step-up, with every code read out of
 * the mail a real SMTP server received.
 *
 * The send budgets (30 s between sends, 3 per hour) live in the real limiter, which counts in
 * wall-clock time, not the app's movable clock. Where a test needs "30 seconds later" it resets
 * that user's gap bucket through the app's own limiter (`gapPasses`) rather than sleeping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT } from '../../src/core/audit.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { mailedCode, mark, wrong } from '../helpers/codes.js';
import { call, signUp, STRONG } from '../helpers/http.js';
import { claimsOf, eventsOf, mfaToken, typesOf, uniqueEmail } from '../helpers/mfa.js';
import { freePort, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';

let smtp: TestSmtpServer;
let t: TestApp;

const MINUTE = 60_000;

beforeAll(async () => {
  smtp = await startSmtpServer({ rejectRecipient: (a) => a.startsWith('bounce') });
  t = await startTestApp({ env: { SMTP_URL: smtp.url(), MAIL_FROM: 'Twofold <no-reply@twofold.test>' } });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

/** "30 seconds later", for the per-user gap between sends (see the file comment). */
const gapPasses = (userId: string) => t.composed.deps.core.limiter.reset('otp_send_gap', userId);

const setup = (access: string, body?: unknown) => call(t.app, 'POST', '/mfa/email/setup', { token: access, body: body ?? {} });
const confirm = (access: string, code: string) => call(t.app, 'POST', '/mfa/email/verify', { token: access, body: { code } });
const challenge = (mfa_token: string, method = 'email') => call(t.app, 'POST', '/auth/mfa/challenge', { body: { mfa_token, method } });
const verify = (mfa_token: string, code: string) => call(t.app, 'POST', '/auth/mfa/verify', { body: { mfa_token, method: 'email', code } });

interface EmailUser {
  email: string;
  userId: string;
  access: string;
  methodId: string;
  backupCodes: string[];
}

/** A new user who has enrolled email codes through the API (and for whom the send gap has passed). */
async function userWithEmail(prefix = 'mail'): Promise<EmailUser> {
  const email = uniqueEmail(prefix);
  const { userId, access } = await signUp(t.app, email);
  const since = mark(smtp);
  expect((await setup(access)).status).toBe(202);
  const done = await confirm(access, await mailedCode(smtp, email, since));
  expect(done.status).toBe(200);
  await gapPasses(userId);
  return { email, userId, access, methodId: done.body.method.id, backupCodes: done.body.backup_codes };
}

/** Log in up to the code: answers the mfa_token and the code mailed for it. */
async function loginCode(u: EmailUser): Promise<{ token: string; code: string }> {
  const token = await mfaToken(t, u.email);
  const since = mark(smtp);
  const sent = await challenge(token);
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  return { token, code: await mailedCode(smtp, u.email, since) };
}

describe('enrolling email codes', () => {
  it('mails a code to the account address; the code enables the factor and returns backup codes once', async () => {
    const email = uniqueEmail('enrol');
    const { userId, access } = await signUp(t.app, email);
    const since = mark(smtp);
    const res = await setup(access);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ sent: true, expires_in: 600 });
    const mail = smtp.messages[since];
    expect(mail.to).toEqual([email]);
    expect(mail.from).toBe('no-reply@twofold.test');
    expect(mail.subject).toBe('Your Twofold verification code');
    expect(mail.text).toContain('finish setting up email codes');
    expect(mail.text).toContain('expires in 10 minutes');
    const code = await mailedCode(smtp, email, since);

    // Nothing is active until verified.
    expect((await call(t.app, 'GET', '/mfa/status', { token: access })).body.enabled).toBe(false);
    expect((await confirm(access, wrong(code))).body.code).toBe('invalid_code');
    const done = await confirm(access, code);
    expect(done.status).toBe(200);
    expect(done.body.method).toMatchObject({ type: 'email', name: 'Email', email });
    expect(done.body.backup_codes).toHaveLength(10);
    // Single use: the same code cannot enrol twice.
    expect((await confirm(access, code)).status).toBe(404);

    const status = await call(t.app, 'GET', '/mfa/status', { token: access });
    expect(status.body.enabled).toBe(true);
    expect(status.body.methods).toEqual([expect.objectContaining({ type: 'email', email })]);

    // The audit trail says a code was sent, never which.
    const events = await eventsOf(t, userId);
    expect(typesOf(events)).toEqual(expect.arrayContaining([EVENT.codeSent, EVENT.enrollStarted, EVENT.mfaFailed, EVENT.enrollCompleted]));
    expect(JSON.stringify(events)).not.toContain(code);
    // Stored hashed: the database holds no code either.
    const rows = await t.composed.opened.db.selectFrom('otp_challenges').selectAll().where('user_id', '=', userId).execute();
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it('accepts the code with spaces or a dash, as users type it', async () => {
    const email = uniqueEmail('spaced');
    const { access } = await signUp(t.app, email);
    const since = mark(smtp);
    await setup(access);
    const code = await mailedCode(smtp, email, since);
    expect((await confirm(access, `${code.slice(0, 3)} ${code.slice(3)}`)).status).toBe(200);
  });

  it('a second setup of an enrolled address is a conflict; a user with MFA needs step-up to add it', async () => {
    const u = await userWithEmail('twice');
    t.clock.advance(301_000);
    const again = await setup(u.access);
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('step_up_required');
    const withProof = await setup(u.access, { method: 'backup_code', code: u.backupCodes[0] });
    expect(withProof.status).toBe(409);
    expect(withProof.body.code).toBe('conflict');
  });

  it('a code lives 10 minutes', async () => {
    const email = uniqueEmail('ttl');
    const { userId, access } = await signUp(t.app, email);
    let since = mark(smtp);
    await setup(access);
    const code = await mailedCode(smtp, email, since);
    t.clock.advance(10 * MINUTE);
    const late = await confirm(access, code);
    expect(late.status).toBe(404);
    expect(late.body.code).toBe('not_found');

    // A fresh session (the first access token is near its 15 minutes) and a fresh code.
    const again = await call(t.app, 'POST', '/auth/login', { body: { email, password: STRONG } });
    await gapPasses(userId);
    since = mark(smtp);
    await setup(again.body.access_token);
    const fresh = await mailedCode(smtp, email, since);
    t.clock.advance(10 * MINUTE - 1000);
    expect((await confirm(again.body.access_token, fresh)).status).toBe(200);
  });

  it('allows 5 tries per code, and a resend carries the spent tries over', async () => {
    const email = uniqueEmail('tries');
    const { userId, access } = await signUp(t.app, email);
    let since = mark(smtp);
    await setup(access);
    const first = await mailedCode(smtp, email, since);
    for (let i = 0; i < 3; i++) expect((await confirm(access, wrong(first))).body.code).toBe('invalid_code');

    // The resend replaces the code (the old one stops working) but not the count.
    await gapPasses(userId);
    since = mark(smtp);
    expect((await setup(access)).status).toBe(202);
    const second = await mailedCode(smtp, email, since);
    for (let i = 0; i < 2; i++) expect((await confirm(access, wrong(second))).body.code).toBe('invalid_code');
    // 5 tries spent: even the right code is refused now.
    const spent = await confirm(access, second);
    expect(spent.status).toBe(401);
    expect(spent.body.code).toBe('invalid_code');

    // And no fresh code until this one has expired: a resend would carry 5 spent tries.
    await gapPasses(userId);
    const before = mark(smtp);
    const refused = await setup(access);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(500);
    expect(mark(smtp)).toBe(before);
    t.clock.advance(10 * MINUTE);
    since = mark(smtp);
    expect((await setup(access)).status).toBe(202);
    expect((await confirm(access, await mailedCode(smtp, email, since))).status).toBe(200);
  });

  it('at most one send per 30 s and 3 per hour per user: 429 with Retry-After, and nothing is sent', async () => {
    const email = uniqueEmail('budget');
    const { userId, access } = await signUp(t.app, email);
    expect((await setup(access)).status).toBe(202);
    let before = mark(smtp);
    const tooSoon = await setup(access);
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body.code).toBe('rate_limited');
    const wait = Number(tooSoon.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(30);
    expect(mark(smtp)).toBe(before);

    for (let i = 0; i < 2; i++) {
      await gapPasses(userId);
      expect((await setup(access)).status).toBe(202);
    }
    await gapPasses(userId);
    before = mark(smtp);
    const fourth = await setup(access);
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(30);
    expect(Number(fourth.headers['retry-after'])).toBeLessThanOrEqual(3600);
    // Give the SMTP server a moment: nothing may arrive.
    await new Promise((r) => setTimeout(r, 100));
    expect(mark(smtp)).toBe(before);
  });

  it('a refused address is a 502, leaves no usable code, and is audited and counted', async () => {
    const email = uniqueEmail('bounce');
    const { userId, access } = await signUp(t.app, email);
    const failedBefore = await messagesCounter('email', 'failed');
    const res = await setup(access);
    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('delivery_failed');
    const rows = await t.composed.opened.db.selectFrom('otp_challenges').select('id').where('user_id', '=', userId).execute();
    expect(rows).toEqual([]);
    const failed = (await eventsOf(t, userId)).filter((e) => e.type === EVENT.codeSendFailed);
    expect(failed).toHaveLength(1);
    expect(failed[0].details).toMatchObject({ channel: 'email', purpose: 'enroll', permanent: true });
    expect(await messagesCounter('email', 'failed')).toBe(failedBefore + 1);
  });

  it('policy can switch email codes off', async () => {
    const p = await startTestApp({ env: { SMTP_URL: smtp.url() }, policy: { allowed_methods: ['totp', 'webauthn', 'sms', 'backup_code'] } });
    try {
      const { access } = await signUp(p.app, uniqueEmail('offpolicy'));
      const res = await call(p.app, 'POST', '/mfa/email/setup', { token: access, body: {} });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('policy_violation');
    } finally {
      await p.close();
    }
  });
});

describe('a mail server that is down', () => {
  it('answers 503 delivery_unavailable and leaves no usable code', async () => {
    const down = await startTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${await freePort()}` } });
    try {
      const { userId, access } = await signUp(down.app, uniqueEmail('down'));
      const res = await call(down.app, 'POST', '/mfa/email/setup', { token: access, body: {} });
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('delivery_unavailable');
      const rows = await down.composed.opened.db.selectFrom('otp_challenges').select('id').where('user_id', '=', userId).execute();
      expect(rows).toEqual([]);
      const failed = (await eventsOf(down, userId)).find((e) => e.type === EVENT.codeSendFailed);
      expect(failed?.details).toMatchObject({ permanent: false });
      // A failed delivery does not spend one of the 3 hourly sends.
      expect((await down.composed.deps.core.limiter.peek('otp_send_hour', userId)).remaining).toBe(3);
    } finally {
      await down.close();
    }
  });
});

describe('signing in with an email code', () => {
  it('mails a code bound to the mfa_token; it signs in once, as the weaker factor (acr aal1)', async () => {
    const u = await userWithEmail('login');
    const login = await call(t.app, 'POST', '/auth/login', { body: { email: u.email, password: STRONG } });
    expect(login.body.methods).toEqual(['email', 'backup_code']);
    const since = mark(smtp);
    const sent = await challenge(login.body.mfa_token);
    expect(sent.status).toBe(202);
    expect(sent.body.sent).toBe(true);
    // The code never outlives the login it belongs to (5 minutes).
    expect(sent.body.expires_in).toBe(300);
    const mail = await smtp.waitFor((m) => smtp.messages.indexOf(m) >= since);
    expect(mail.text).toContain('finish signing in');
    expect(mail.text).toContain('expires in 5 minutes');
    const code = await mailedCode(smtp, u.email, since);

    const ok = await verify(login.body.mfa_token, code);
    expect(ok.status).toBe(200);
    const claims = claimsOf(ok.body.access_token);
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.acr).toBe('aal1');

    // Used once: a new login cannot reuse it.
    await gapPasses(u.userId);
    const next = await mfaToken(t, u.email);
    expect((await verify(next, code)).body.code).toBe('invalid_code');
    const status = await call(t.app, 'GET', '/mfa/status', { token: ok.body.access_token });
    expect(status.body.methods[0].last_used_at).not.toBeNull();
  });

  it("a code is bound to its mfa_token: another login's token does not take it", async () => {
    const u = await userWithEmail('bound');
    const a = await loginCode(u);
    const other = await mfaToken(t, u.email);
    expect((await verify(other, a.code)).body.code).toBe('invalid_code');
    expect((await verify(a.token, a.code)).status).toBe(200);
  });

  it('a resend replaces the code and keeps the mfa_token', async () => {
    const u = await userWithEmail('resend');
    const first = await loginCode(u);
    await gapPasses(u.userId);
    const since = mark(smtp);
    expect((await challenge(first.token)).status).toBe(202);
    const second = await mailedCode(smtp, u.email, since);
    if (second !== first.code) expect((await verify(first.token, first.code)).body.code).toBe('invalid_code');
    expect((await verify(first.token, second)).status).toBe(200);
  });

  it('an invalid mfa_token is 401 mfa_token_invalid; a method not enrolled is a 400 naming method', async () => {
    const u = await userWithEmail('notsms');
    const bad = await challenge('garbage.token');
    expect(bad.status).toBe(401);
    expect(bad.body.code).toBe('mfa_token_invalid');
    const token = await mfaToken(t, u.email);
    const sms = await challenge(token, 'sms');
    expect(sms.status).toBe(400);
    expect(sms.body).toMatchObject({ code: 'validation_failed', field: 'method' });
    const totp = await challenge(token, 'totp');
    expect(totp.status).toBe(400);
    expect(totp.body.field).toBe('method');
  });

  it('parallel guesses on one code never get more than 5 evaluations', async () => {
    const u = await userWithEmail('parallel');
    const { token, code } = await loginCode(u);
    const results = await Promise.all(Array.from({ length: 12 }, () => verify(token, wrong(code))));
    expect(results.filter((r) => r.body.code === 'invalid_code')).toHaveLength(5);
    expect(results.filter((r) => r.body.code === 'mfa_token_invalid')).toHaveLength(7);
  });
});

describe('step-up with an email code', () => {
  it('a step-up code confirms a sensitive action; a login code does not', async () => {
    const u = await userWithEmail('stepup');
    const { token, code } = await loginCode(u);
    const session = await verify(token, code);
    const access = session.body.access_token;
    t.clock.advance(301_000);
    const bare = await call(t.app, 'POST', '/mfa/backup-codes/regenerate', { token: access, body: {} });
    expect(bare.body.code).toBe('step_up_required');
    // The login code, already spent, is no step-up proof.
    expect((await call(t.app, 'POST', '/mfa/backup-codes/regenerate', { token: access, body: { method: 'email', code } })).body.code).toBe('invalid_code');

    await gapPasses(u.userId);
    const since = mark(smtp);
    const sent = await call(t.app, 'POST', '/mfa/step-up/challenge', { token: access, body: { method: 'email' } });
    expect(sent.status).toBe(202);
    expect(sent.body.expires_in).toBe(600);
    const mail = await smtp.waitFor((m) => smtp.messages.indexOf(m) >= since);
    expect(mail.text).toContain('confirm a sensitive change');
    const stepCode = await mailedCode(smtp, u.email, since);
    const done = await call(t.app, 'POST', '/mfa/backup-codes/regenerate', { token: access, body: { method: 'email', code: stepCode } });
    expect(done.status).toBe(200);
    expect(done.body.backup_codes).toHaveLength(10);
  });

  it('needs a session, and an enrolled method', async () => {
    expect((await call(t.app, 'POST', '/mfa/step-up/challenge', { body: { method: 'email' } })).status).toBe(401);
    const { access } = await signUp(t.app, uniqueEmail('nomfa'));
    const res = await call(t.app, 'POST', '/mfa/step-up/challenge', { token: access, body: { method: 'email' } });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('method');
  });
});

/** The value of twofold_messages_total{channel, outcome} on /metrics. */
async function messagesCounter(channel: string, outcome: string): Promise<number> {
  const res = await call(t.app, 'GET', '/metrics');
  const line = String(res.body)
    .split('\n')
    .find((l) => l.startsWith('twofold_messages_total{') && l.includes(`channel="${channel}"`) && l.includes(`outcome="${outcome}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
