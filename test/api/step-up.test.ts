import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, signUp, STRONG, type Res } from '../helpers/http.js';
import { codeAt, loginWithTotp, userWithTotp, type TotpUser } from '../helpers/mfa.js';

/**
 * Step-up (API.md "Step-up"): each sensitive action needs a fresh second factor: in the body,
 * or verified in this session within step_up_max_age_s (300 s by default).
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const NEW_PASSWORD = 'a brand new passphrase';
const STEP_UP_MAX_AGE_MS = 300_000;

interface Sensitive {
  label: string;
  method: 'POST' | 'DELETE';
  url: (u: TotpUser) => string;
  body?: Record<string, unknown>;
  ok: number;
}

const SENSITIVE: Sensitive[] = [
  { label: 'removing a method', method: 'DELETE', url: (u) => `/mfa/methods/${u.methodId}`, ok: 204 },
  { label: 'regenerating backup codes', method: 'POST', url: () => '/mfa/backup-codes/regenerate', ok: 200 },
  { label: 'disabling MFA', method: 'POST', url: () => '/mfa/disable', ok: 204 },
  { label: 'adding a further method', method: 'POST', url: () => '/mfa/totp/setup', body: { name: 'Another' }, ok: 200 },
  { label: 'changing the password', method: 'POST', url: () => '/auth/password/change', body: { current_password: STRONG, new_password: NEW_PASSWORD }, ok: 204 },
];

const send = (s: Sensitive, u: TotpUser, token: string, proof?: Record<string, unknown>): Promise<Res> => {
  const body = s.body || proof ? { ...s.body, ...proof } : undefined;
  return call(t.app, s.method, s.url(u), { token, body });
};

/** A six-digit code that is none of the codes the window accepts right now. */
function wrongCode(u: TotpUser): string {
  const window = [-1, 0, 1].map((o) => codeAt(t, u.secret, o));
  let n = 0;
  while (window.includes(String(n).padStart(6, '0'))) n++;
  return String(n).padStart(6, '0');
}

/** A user with TOTP, signed in with it; the second factor is older than the step-up window. */
async function staleSession(): Promise<{ u: TotpUser; access: string }> {
  const u = await userWithTotp(t, 'stale');
  const login = await loginWithTotp(t, u);
  t.clock.advance(STEP_UP_MAX_AGE_MS + 1000);
  return { u, access: login.body.access_token };
}

describe.each(SENSITIVE)('$label', (s) => {
  it('5 minutes after the last second factor: refused without proof, and with a wrong code; done with a right TOTP code', async () => {
    const { u, access } = await staleSession();
    const none = await send(s, u, access);
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('step_up_required');
    const wrong = await send(s, u, access, { method: 'totp', code: wrongCode(u) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('invalid_code');
    const right = await send(s, u, access, { method: 'totp', code: codeAt(t, u.secret) });
    expect(right.status).toBe(s.ok);
  });

  it('within 5 minutes of an MFA login: no proof needed', async () => {
    const u = await userWithTotp(t, 'fresh');
    const login = await loginWithTotp(t, u);
    t.clock.advance(STEP_UP_MAX_AGE_MS - 1000);
    const res = await send(s, u, login.body.access_token);
    expect(res.status).toBe(s.ok);
  });
});

describe('step-up proofs', () => {
  it('a backup code is a proof too, and a successful proof makes the session fresh again', async () => {
    const { u, access } = await staleSession();
    const regen = await call(t.app, 'POST', '/mfa/backup-codes/regenerate', { token: access, body: { method: 'backup_code', code: u.backupCodes[0] } });
    expect(regen.status).toBe(200);
    // Fresh now: the next sensitive action needs nothing more.
    const again = await call(t.app, 'POST', '/mfa/backup-codes/regenerate', { token: access });
    expect(again.status).toBe(200);
    // The code that served as proof is spent (and regenerate replaced the rest anyway).
    expect(regen.body.backup_codes).not.toContain(u.backupCodes[0]);
  });

  it('a code that is not a string, or an unknown method, is 400', async () => {
    const { u, access } = await staleSession();
    for (const proof of [{ method: 'totp', code: Number(codeAt(t, u.secret)) }, { method: 'pigeon', code: '123456' }]) {
      const res = await call(t.app, 'POST', '/mfa/disable', { token: access, body: proof });
      expect(res.status, JSON.stringify(proof)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });

  it('a user with MFA cannot step up with the password alone', async () => {
    const { access } = await staleSession();
    const res = await call(t.app, 'POST', '/mfa/disable', { token: access, body: { password: STRONG } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('step_up_required');
  });

  it('the enrolling session counts as freshly verified: a second method needs no proof within 5 minutes', async () => {
    const u = await userWithTotp(t, 'enrolling');
    expect((await call(t.app, 'POST', '/mfa/totp/setup', { token: u.access, body: {} })).status).toBe(200);
    t.clock.advance(STEP_UP_MAX_AGE_MS + 1000);
    expect((await call(t.app, 'POST', '/mfa/totp/setup', { token: u.access, body: {} })).body.code).toBe('step_up_required');
  });
});

describe('a user without MFA', () => {
  it('changes the password with the password as proof once the sign-in is older than 5 minutes', async () => {
    const { access } = await signUp(t.app, `nomfa-stepup.${process.pid}@example.com`);
    t.clock.advance(STEP_UP_MAX_AGE_MS + 1000);
    const body = { current_password: STRONG, new_password: NEW_PASSWORD };
    expect((await call(t.app, 'POST', '/auth/password/change', { token: access, body })).body.code).toBe('step_up_required');
    const wrong = await call(t.app, 'POST', '/auth/password/change', { token: access, body: { ...body, password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('invalid_credentials');
    expect((await call(t.app, 'POST', '/auth/password/change', { token: access, body: { ...body, password: STRONG } })).status).toBe(204);
  });

  it('adds a first method without any step-up, however old the session', async () => {
    const { access } = await signUp(t.app, `nomfa-first.${process.pid}@example.com`);
    t.clock.advance(STEP_UP_MAX_AGE_MS + 1000);
    expect((await call(t.app, 'POST', '/mfa/totp/setup', { token: access, body: {} })).status).toBe(200);
  });
});
