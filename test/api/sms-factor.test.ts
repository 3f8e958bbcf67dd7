/**
 * SMS codes end to end (issue #4) through the real Twilio adapter (SMS_PROVIDER=twilio) and a
 * local stand-in of Twilio's Messages API that checks path, Basic auth and form fields; every
 * code is read out of the text message the stand-in accepted.
 *
 * The per-user gap between sends (30 s) counts in wall-clock time; "30 seconds later" resets
 * that user's gap bucket through the app's own limiter (`gapPasses`) instead of sleeping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT } from '../../src/core/audit.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { textedCode, textsTo, wrong } from '../helpers/codes.js';
import { call, signUp, STRONG } from '../helpers/http.js';
import { claimsOf, codeAt, eventsOf, mfaToken, totpSetup, uniqueEmail } from '../helpers/mfa.js';
import { startTwilioStandin, type TwilioStandin } from '../helpers/twilio-standin.js';

const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const TOKEN = 'twilio-auth-token-for-tests';
const FROM = '+15005550006';

let twilio: TwilioStandin;
let t: TestApp;

beforeAll(async () => {
  twilio = await startTwilioStandin({ accountSid: SID, authToken: TOKEN });
  t = await startTestApp({
    env: {
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_FROM: FROM,
      TWILIO_API_BASE: twilio.apiBase,
      TWOFOLD_PUBLIC_URL: 'https://mfa.example.test',
    },
  });
});
afterAll(async () => {
  await t?.close();
  await twilio?.close();
});

const gapPasses = (userId: string) => t.composed.deps.core.limiter.reset('otp_send_gap', userId);
const setup = (access: string, body: Record<string, unknown>) => call(t.app, 'POST', '/mfa/sms/setup', { token: access, body });
const confirm = (access: string, code: string) => call(t.app, 'POST', '/mfa/sms/verify', { token: access, body: { code } });

/** Distinct valid numbers (US 415 range, which libphonenumber's full metadata accepts). */
let nextNumber = 2600;
const aNumber = (): string => `+1415555${nextNumber++}`;

async function userWithSms(prefix = 'sms'): Promise<{ email: string; userId: string; access: string; phone: string }> {
  const email = uniqueEmail(prefix);
  const phone = aNumber();
  const { userId, access } = await signUp(t.app, email);
  expect((await setup(access, { phone_number: phone })).status).toBe(202);
  expect((await confirm(access, textedCode(twilio, phone))).status).toBe(200);
  await gapPasses(userId);
  return { email, userId, access, phone };
}

describe('enrolling a phone number', () => {
  it('refuses what is not a valid E.164 number with a 400 naming phone_number', async () => {
    const { access } = await signUp(t.app, uniqueEmail('badphone'));
    const before = twilio.requests.length;
    for (const bad of ['0612345678', '4155552671', '+15555550123', '+1', 'call me', '+99912345', '', '+1415555267100000000000']) {
      const res = await setup(access, { phone_number: bad });
      expect(res.status, bad).toBe(400);
      expect(res.body.code, bad).toBe('validation_failed');
      expect(res.body.field, bad).toBe('phone_number');
    }
    expect((await setup(access, {})).body.field).toBe('phone_number');
    expect((await setup(access, { phone_number: 14155552671 })).body.field).toBe('phone_number');
    expect(twilio.requests.length).toBe(before);
  });

  it('texts a code through the Twilio API; the code enables the factor; only the last digits are ever shown', async () => {
    const email = uniqueEmail('enrolsms');
    const phone = aNumber();
    const { userId, access } = await signUp(t.app, email);
    const before = twilio.requests.length;
    const res = await setup(access, { phone_number: phone });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ sent: true, expires_in: 600 });

    const req = twilio.requests[before];
    expect(req).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${SID}/Messages.json`,
      authUser: SID,
      status: 201,
    });
    expect(req.contentType).toContain('application/x-www-form-urlencoded');
    expect(req.form.To).toBe(phone);
    expect(req.form.From).toBe(FROM);
    const code = textedCode(twilio, phone);
    expect(req.form.Body).toContain(`Your Twofold code is ${code}. It expires in 10 minutes.`);
    // The origin-bound line (WebOTP) ends the message.
    expect(req.form.Body.endsWith(`@mfa.example.test #${code}`)).toBe(true);

    expect((await confirm(access, wrong(code))).body.code).toBe('invalid_code');
    const done = await confirm(access, code);
    expect(done.status).toBe(200);
    expect(done.body.method).toMatchObject({ type: 'sms', name: 'Text message', phone_last_digits: phone.slice(-2) });
    expect(done.body.backup_codes).toHaveLength(10);

    const status = await call(t.app, 'GET', '/mfa/status', { token: access });
    expect(status.body.methods).toEqual([expect.objectContaining({ type: 'sms', phone_last_digits: phone.slice(-2) })]);
    expect(JSON.stringify(status.body)).not.toContain(phone.slice(2));
    const events = JSON.stringify(await eventsOf(t, userId));
    expect(events).not.toContain(code);
    expect(events).not.toContain(phone.slice(2));
  });

  it('stores the number in E.164 whatever spacing it was typed with; the same number twice is a conflict', async () => {
    const { userId, access } = await signUp(t.app, uniqueEmail('spacing'));
    const phone = aNumber();
    const typed = `${phone.slice(0, 2)} (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`;
    expect((await setup(access, { phone_number: typed })).status).toBe(202);
    expect(textsTo(twilio, phone)).toHaveLength(1);
    const done = await confirm(access, textedCode(twilio, phone));
    expect(done.status).toBe(200);
    const row = await t.composed.deps.core.store.methods.byId(done.body.method.id);
    expect(row?.destination).toBe(phone);
    await gapPasses(userId);
    const twice = await setup(access, { phone_number: phone });
    expect(twice.status).toBe(409);
  });

  it('a provider outage is a 503; no code is left usable; audited and counted; the next send works', async () => {
    const { userId, access } = await signUp(t.app, uniqueEmail('outage'));
    const phone = aNumber();
    twilio.failNext(1, 503);
    const res = await setup(access, { phone_number: phone });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('delivery_unavailable');
    expect(await t.composed.opened.db.selectFrom('otp_challenges').select('id').where('user_id', '=', userId).execute()).toEqual([]);
    const failed = (await eventsOf(t, userId)).filter((e) => e.type === EVENT.codeSendFailed);
    expect(failed).toHaveLength(1);
    expect(failed[0].details).toMatchObject({ channel: 'sms', purpose: 'enroll', permanent: false, to: `…${phone.slice(-2)}` });
    expect(JSON.stringify(failed[0].details)).not.toContain(TOKEN);
    const metrics = String((await call(t.app, 'GET', '/metrics')).body);
    expect(metrics).toMatch(/twofold_messages_total\{channel="sms",outcome="failed"\} [1-9]/);

    await gapPasses(userId);
    expect((await setup(access, { phone_number: phone })).status).toBe(202);
    expect((await confirm(access, textedCode(twilio, phone))).status).toBe(200);
  });

  it('wrong Twilio credentials are a 503 too (the operator can fix them), never echoing the token', async () => {
    const bad = await startTestApp({
      env: { SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'not-the-token', TWILIO_FROM: FROM, TWILIO_API_BASE: twilio.apiBase },
    });
    try {
      const { userId, access } = await signUp(bad.app, uniqueEmail('badcreds'));
      const res = await call(bad.app, 'POST', '/mfa/sms/setup', { token: access, body: { phone_number: aNumber() } });
      expect(res.status).toBe(503);
      expect(JSON.stringify(res.body)).not.toContain('not-the-token');
      const failed = (await eventsOf(bad, userId)).find((e) => e.type === EVENT.codeSendFailed);
      expect(failed?.details.error).toContain('20003');
      expect(JSON.stringify(failed)).not.toContain('not-the-token');
    } finally {
      await bad.close();
    }
  });
});

describe('signing in and stepping up with SMS codes', () => {
  it('texts a login code bound to the mfa_token; amr sms, acr aal2', async () => {
    const u = await userWithSms('smslogin');
    const login = await call(t.app, 'POST', '/auth/login', { body: { email: u.email, password: STRONG } });
    expect(login.body.methods).toEqual(['sms', 'backup_code']);
    const sent = await call(t.app, 'POST', '/auth/mfa/challenge', { body: { mfa_token: login.body.mfa_token, method: 'sms' } });
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ sent: true, expires_in: 300 });
    const code = textedCode(twilio, u.phone);
    const ok = await call(t.app, 'POST', '/auth/mfa/verify', { body: { mfa_token: login.body.mfa_token, method: 'sms', code } });
    expect(ok.status).toBe(200);
    const claims = claimsOf(ok.body.access_token);
    expect(claims.amr).toEqual(['pwd', 'sms', 'mfa']);
    expect(claims.acr).toBe('aal2');
  });

  it('chooses among several numbers with method_id; the code only counts for the number it went to', async () => {
    const u = await userWithSms('twophones');
    const second = aNumber();
    // Adding a second method needs step-up; the enrolment session is fresh enough.
    expect((await setup(u.access, { phone_number: second })).status).toBe(202);
    const added = await confirm(u.access, textedCode(twilio, second));
    expect(added.status).toBe(200);
    await gapPasses(u.userId);
    const token = await mfaToken(t, u.email);
    const sent = await call(t.app, 'POST', '/auth/mfa/challenge', { body: { mfa_token: token, method: 'sms', method_id: added.body.method.id } });
    expect(sent.status).toBe(202);
    expect(twilio.accepted.at(-1)?.to).toBe(second);
    const other = await call(t.app, 'POST', '/auth/mfa/challenge', { body: { mfa_token: token, method: 'sms', method_id: 'not-a-method' } });
    expect(other.status).toBe(400);
    expect(other.body.field).toBe('method_id');
    const ok = await call(t.app, 'POST', '/auth/mfa/verify', { body: { mfa_token: token, method: 'sms', code: textedCode(twilio, second) } });
    expect(ok.status).toBe(200);
  });

  it('a step-up code by SMS confirms adding another method', async () => {
    const u = await userWithSms('smsstep');
    t.clock.advance(301_000);
    const bare = await call(t.app, 'POST', '/mfa/totp/setup', { token: u.access, body: {} });
    expect(bare.body.code).toBe('step_up_required');
    const sent = await call(t.app, 'POST', '/mfa/step-up/challenge', { token: u.access, body: { method: 'sms' } });
    expect(sent.status).toBe(202);
    const code = textedCode(twilio, u.phone);
    expect(twilio.accepted.at(-1)?.body).toContain(code);
    const totp = await totpSetup(t, u.access, { method: 'sms', code });
    const added = await call(t.app, 'POST', '/mfa/totp/verify', { token: u.access, body: { enrollment_id: totp.body.enrollment_id, code: codeAt(t, totp.body.secret) } });
    expect(added.status).toBe(200);
    const status = await call(t.app, 'GET', '/mfa/status', { token: u.access });
    expect(status.body.methods.map((m: { type: string }) => m.type).sort()).toEqual(['sms', 'totp']);
  });

  it('policy can switch SMS off for enrolment', async () => {
    const p = await startTestApp({ policy: { allowed_methods: ['totp', 'webauthn', 'email', 'backup_code'] } });
    try {
      const { access } = await signUp(p.app, uniqueEmail('nosms'));
      const res = await call(p.app, 'POST', '/mfa/sms/setup', { token: access, body: { phone_number: aNumber() } });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('policy_violation');
    } finally {
      await p.close();
    }
  });
});
