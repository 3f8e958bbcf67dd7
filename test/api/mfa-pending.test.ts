import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Factor } from '../../src/core/auth/factor.js';
import { newMethodRow } from '../../src/core/mfa/after-change.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, STRONG } from '../helpers/http.js';

/**
 * The MFA-pending machinery proved through a factor that exists only in this suite: it answers
 * "sms" with the fixed code 424242 for any user holding an `sms` method row. Budgets, single
 * success and the token's uselessness elsewhere belong to the machinery, not to any factor.
 */
const TEST_CODE = '424242';
const testFactor: Factor = {
  method: 'sms',
  async available(_deps, _user, methods) {
    return methods.some((m) => m.type === 'sms');
  },
  async verify(_deps, attempt) {
    return attempt.code === TEST_CODE ? { ok: true, amr: ['sms'], acr: 'aal2', methodId: null } : { ok: false, reason: 'invalid' };
  },
};

let t: TestApp;
let n = 0;

async function userWithTestFactor(): Promise<string> {
  const email = `pending${++n}@example.com`;
  const reg = await call(t.app, 'POST', '/auth/register', { body: { email, password: STRONG } });
  const deps = t.composed.deps.core;
  await deps.store.methods.insert({ ...newMethodRow(deps, reg.body.user_id, 'sms', 'test phone', t.clock.now()), destination: '+15550001111' });
  return email;
}

async function mfaToken(email: string): Promise<string> {
  const res = await call(t.app, 'POST', '/auth/login', { body: { email, password: STRONG } });
  expect(res.status).toBe(200);
  expect(res.body.mfa_required).toBe(true);
  return res.body.mfa_token;
}

const verify = (mfa_token: string, code: string) => call(t.app, 'POST', '/auth/mfa/verify', { body: { mfa_token, method: 'sms', code } });

beforeAll(async () => {
  t = await startTestApp({ factors: [testFactor] });
});
afterAll(async () => t?.close());

describe('the MFA-pending token', () => {
  it('login answers the second shape listing only enrolled methods', async () => {
    const email = await userWithTestFactor();
    const res = await call(t.app, 'POST', '/auth/login', { body: { email, password: STRONG } });
    expect(res.body).toMatchObject({ mfa_required: true, methods: ['sms'], expires_in: 300 });
    expect(res.body.access_token).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('a success issues a session with amr pwd+sms+mfa and consumes the token', async () => {
    const token = await mfaToken(await userWithTestFactor());
    const ok = await verify(token, TEST_CODE);
    expect(ok.status).toBe(200);
    expect(ok.body.mfa_required).toBe(false);
    const claims = JSON.parse(Buffer.from(ok.body.access_token.split('.')[1], 'base64url').toString());
    expect(claims.amr).toEqual(['pwd', 'sms', 'mfa']);
    expect(claims.acr).toBe('aal2');
    const again = await verify(token, TEST_CODE);
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('mfa_token_invalid');
  });

  it('allows at most 5 wrong codes', async () => {
    const token = await mfaToken(await userWithTestFactor());
    for (let i = 0; i < 4; i++) expect((await verify(token, '000000')).body.code).toBe('invalid_code');
    // 4 wrong then right: still within the budget.
    expect((await verify(token, TEST_CODE)).status).toBe(200);
    const token2 = await mfaToken(await userWithTestFactor());
    for (let i = 0; i < 5; i++) expect((await verify(token2, '000000')).body.code).toBe('invalid_code');
    const sixth = await verify(token2, TEST_CODE);
    expect(sixth.status).toBe(401);
    expect(sixth.body.code).toBe('mfa_token_invalid');
  });

  it('expires after 5 minutes', async () => {
    const token = await mfaToken(await userWithTestFactor());
    t.clock.advance(301_000);
    expect((await verify(token, TEST_CODE)).body.code).toBe('mfa_token_invalid');
  });

  it('is useless on every other endpoint', async () => {
    const token = await mfaToken(await userWithTestFactor());
    for (const [method, url] of [['GET', '/auth/sessions'], ['GET', '/mfa/status'], ['POST', '/mfa/totp/setup'], ['GET', '/me/security-events'], ['POST', '/auth/logout']] as const) {
      const res = await call(t.app, method, url, { token, body: method === 'POST' ? {} : undefined });
      expect(res.status, url).toBe(401);
      expect(res.body.code, url).toBe('unauthenticated');
    }
    expect((await verify(token, TEST_CODE)).status).toBe(200);
  });

  it('a tampered, unknown or other shape of token is mfa_token_invalid', async () => {
    const token = await mfaToken(await userWithTestFactor());
    const [id, secret] = token.split('.');
    const flipped = `${id}.${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [flipped, `00000000-0000-0000-0000-000000000000.${secret}`, 'garbage', '']) {
      expect((await verify(bad, TEST_CODE)).body.code).toBe('mfa_token_invalid');
    }
  });

  it('20 parallel wrong codes get exactly 5 evaluations', async () => {
    const token = await mfaToken(await userWithTestFactor());
    const results = await Promise.all(Array.from({ length: 20 }, () => verify(token, '111111')));
    const codes = results.map((r) => r.body.code);
    expect(codes.filter((c) => c === 'invalid_code')).toHaveLength(5);
    expect(codes.filter((c) => c === 'mfa_token_invalid')).toHaveLength(15);
  });

  it('20 parallel right codes give exactly one session', async () => {
    const token = await mfaToken(await userWithTestFactor());
    const results = await Promise.all(Array.from({ length: 20 }, () => verify(token, TEST_CODE)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.body.code === 'mfa_token_invalid')).toHaveLength(19);
  });

  it('the per-user budget (10 per 15 minutes) spans tokens and refuses even a right code while locked', async () => {
    const email = await userWithTestFactor();
    for (let round = 0; round < 2; round++) {
      const token = await mfaToken(email);
      for (let i = 0; i < 5; i++) expect((await verify(token, '999999')).body.code).toBe('invalid_code');
    }
    const token = await mfaToken(email);
    const locked = await verify(token, TEST_CODE);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('rate_limited');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('verify validates its body', async () => {
    const token = await mfaToken(await userWithTestFactor());
    for (const body of [{ mfa_token: token, method: 'carrier-pigeon', code: '1' }, { mfa_token: token, method: 'sms' }, { mfa_token: token, method: 'sms', code: 123456 }, { method: 'sms', code: '1' }]) {
      const res = await call(t.app, 'POST', '/auth/mfa/verify', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });
});
