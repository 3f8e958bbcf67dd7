import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT } from '../../src/core/audit.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { postgresSkipReason, skipCasesIf } from '../helpers/databases.js';
import { call, STRONG } from '../helpers/http.js';
import { claimsOf, codeAt, eventsOf, mfaToken, nextStep, totpSetup, uniqueEmail, userWithTotp, verifyMfa } from '../helpers/mfa.js';

/**
 * The API end to end on PostgreSQL: the flows whose safety rests on the database (single-use
 * codes, atomic compare-and-set under a real connection pool, counters in tables).
 * PostgreSQL unreachable: skipped with the reason, or a failure with CI=true.
 */
const skipReason = await postgresSkipReason('the PostgreSQL API tests');

describe('on PostgreSQL', () => {
  let t: TestApp;
  let wide: TestApp;
  beforeAll(async () => {
    if (skipReason) return;
    t = await startTestApp({ database: 'postgres' });
    // A per-user budget above 20, so that only single use can stop parallel successes.
    wide = await startTestApp({ database: 'postgres', policy: { mfa_max_failures: 50 } });
  });
  afterAll(async () => {
    await t?.close();
    await wide?.close();
  });
  skipCasesIf(skipReason);

  it('register, log in, enrol TOTP, MFA login (the enrolment code refused), replay refused, backup code once', async () => {
    expect(t.databaseUrl).toMatch(/^postgres:\/\//);
    const email = uniqueEmail('pg');
    const reg = await call(t.app, 'POST', '/auth/register', { body: { email, password: STRONG } });
    expect(reg.status).toBe(201);
    const login = await call(t.app, 'POST', '/auth/login', { body: { email, password: STRONG } });
    expect(login.body.mfa_required).toBe(false);
    const access = login.body.access_token;

    const setup = await totpSetup(t, access);
    expect((await call(t.app, 'GET', '/mfa/status', { token: access })).body.enabled).toBe(false);
    const enrolCode = codeAt(t, setup.body.secret);
    const verified = await call(t.app, 'POST', '/mfa/totp/verify', { token: access, body: { enrollment_id: setup.body.enrollment_id, code: enrolCode } });
    expect(verified.status).toBe(200);
    const backupCodes: string[] = verified.body.backup_codes;
    expect(backupCodes).toHaveLength(10);

    const token = await mfaToken(t, email);
    expect((await verifyMfa(t, token, 'totp', enrolCode)).body.code).toBe('invalid_code');
    nextStep(t);
    const code = codeAt(t, setup.body.secret);
    const ok = await verifyMfa(t, token, 'totp', code);
    expect(ok.status).toBe(200);
    expect(claimsOf(ok.body.access_token)).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: 'aal2' });
    expect((await verifyMfa(t, await mfaToken(t, email), 'totp', code)).body.code).toBe('invalid_code');

    expect((await verifyMfa(t, await mfaToken(t, email), 'backup_code', backupCodes[0].toUpperCase())).status).toBe(200);
    expect((await verifyMfa(t, await mfaToken(t, email), 'backup_code', backupCodes[0])).body.code).toBe('invalid_code');
    const status = await call(t.app, 'GET', '/mfa/status', { token: ok.body.access_token });
    expect(status.body.backup_codes_remaining).toBe(9);
    const types = (await eventsOf(t, reg.body.user_id)).map((e) => e.type);
    for (const type of [EVENT.enrollCompleted, EVENT.mfaReplay, EVENT.backupCodeUsed]) expect(types).toContain(type);
  });

  it('10 failures lock the user with 429, a right code included', async () => {
    const u = await userWithTotp(t, 'pglock');
    nextStep(t);
    const tokens = [await mfaToken(t, u.email), await mfaToken(t, u.email)];
    for (let i = 0; i < 10; i++) expect((await verifyMfa(t, tokens[i < 5 ? 0 : 1], 'totp', codeAt(t, u.secret, 5))).status).toBe(401);
    const locked = await verifyMfa(t, await mfaToken(t, u.email), 'totp', codeAt(t, u.secret));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('20 parallel logins with one TOTP code, then with one backup code: exactly one success each', async () => {
    const u = await userWithTotp(wide, 'pgrace');
    nextStep(wide);
    const race = async (method: string, code: string) => {
      const tokens: string[] = [];
      for (let i = 0; i < 20; i++) tokens.push(await mfaToken(wide, u.email));
      const results = await Promise.all(tokens.map((tk) => verifyMfa(wide, tk, method, code)));
      expect(results.filter((r) => r.status === 200), method).toHaveLength(1);
      expect(results.filter((r) => r.status !== 200).map((r) => r.body.code), method).toEqual(Array(19).fill('invalid_code'));
    };
    await race('totp', codeAt(wide, u.secret));
    await race('backup_code', u.backupCodes[0]);
    expect(await wide.composed.deps.core.store.backupCodes.remaining(u.userId)).toBe(9);
  });
});
