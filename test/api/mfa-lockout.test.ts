import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT } from '../../src/core/audit.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, type Res } from '../helpers/http.js';
import { codeAt, deliveredMail, eventsOf, loginWithTotp, mfaToken, nextStep, userWithTotp, verifyMfa, type TotpUser } from '../helpers/mfa.js';

/**
 * Second-factor failure budgets (API.md "Defaults"): 10 per user per 15 minutes across every
 * factor, login and step-up alike, then 429 for 15 minutes; 100 in a row, then only a backup
 * code (or an admin reset) gets in. Kept in the database, so they survive a restart.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const LOCK_S = 15 * 60;
const wrong = (t: TestApp, u: TotpUser) => codeAt(t, u.secret, 5);

function expectLocked(res: Res): void {
  expect(res.status).toBe(429);
  expect(res.body.code).toBe('rate_limited');
  const retry = Number(res.headers['retry-after']);
  expect(retry).toBeGreaterThan(LOCK_S - 30);
  expect(retry).toBeLessThanOrEqual(LOCK_S);
}

/** Push a user's failures-in-a-row counter to `n` the quick way (the atomic repo call). */
async function setStreak(app: TestApp, userId: string, n: number): Promise<void> {
  const users = app.composed.deps.core.store.users;
  let streak = (await users.byId(userId))!.mfaFailureStreak;
  while (streak < n) streak = await users.incrementFailureStreak(userId);
}

describe('10 failures per user per 15 minutes', () => {
  it('counts TOTP, backup codes and step-up together, then answers 429 to right and wrong codes alike', async () => {
    const u = await userWithTotp(t, 'budget');
    const session = await loginWithTotp(t, u);
    t.clock.advance(301_000); // the session's second factor is now too old for step-up
    for (let i = 0; i < 3; i++) {
      const res = await call(t.app, 'POST', '/mfa/disable', { token: session.body.access_token, body: { method: 'totp', code: wrong(t, u) } });
      expect(res.body.code).toBe('invalid_code');
    }
    const token = await mfaToken(t, u.email);
    for (let i = 0; i < 4; i++) expect((await verifyMfa(t, token, 'totp', wrong(t, u))).body.code).toBe('invalid_code');
    const token2 = await mfaToken(t, u.email);
    for (let i = 0; i < 3; i++) expect((await verifyMfa(t, token2, 'backup_code', `zzzzz-zzzz${i}`)).body.code).toBe('invalid_code');

    nextStep(t);
    const fresh = await mfaToken(t, u.email);
    const right = await verifyMfa(t, fresh, 'totp', codeAt(t, u.secret));
    expectLocked(right);
    const wrongWhileLocked = await verifyMfa(t, fresh, 'totp', wrong(t, u));
    expectLocked(wrongWhileLocked);
    expect(right.body).toEqual(wrongWhileLocked.body);
    expectLocked(await verifyMfa(t, fresh, 'backup_code', u.backupCodes[0]));
    expectLocked(await call(t.app, 'POST', '/mfa/disable', { token: session.body.access_token, body: { method: 'totp', code: codeAt(t, u.secret) } }));

    const lockouts = (await eventsOf(t, u.userId)).filter((e) => e.type === EVENT.mfaLockout);
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0].details).toMatchObject({ hard: false });
    expect(await deliveredMail(t)).toContain('two-step verification on your account is locked until');
    // The lockout did not spend the backup code it refused.
    expect(await t.composed.deps.core.store.backupCodes.remaining(u.userId)).toBe(10);
  });
});

describe('the per-user budget under load', () => {
  // On SQLite the second step runs as one store transaction, and there the point is taken
  // only by a failure (second-factor.ts, `serialized`): these pin that it is still the budget.
  it('20 parallel wrong codes, each on its own mfa_token of one user: exactly 10 are evaluated, the rest answer 429', async () => {
    const u = await userWithTotp(t, 'parallel-budget');
    const tokens: string[] = [];
    for (let i = 0; i < 20; i++) tokens.push(await mfaToken(t, u.email));
    const answers = await Promise.all(tokens.map((token) => verifyMfa(t, token, 'totp', wrong(t, u))));
    const codes = answers.map((r) => r.body.code);
    expect(codes.filter((c) => c === 'invalid_code')).toHaveLength(10);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(10);
    const events = await eventsOf(t, u.userId);
    expect(events.filter((e) => e.type === EVENT.mfaFailed)).toHaveLength(10);
    expect(events.filter((e) => e.type === EVENT.mfaLockout)).toHaveLength(1);
  });

  it('a success between failures neither counts nor clears them: the tenth failure still locks', async () => {
    const u = await userWithTotp(t, 'success-between');
    const token = await mfaToken(t, u.email);
    for (let i = 0; i < 4; i++) expect((await verifyMfa(t, token, 'totp', wrong(t, u))).body.code).toBe('invalid_code');
    const token2 = await mfaToken(t, u.email);
    for (let i = 0; i < 4; i++) expect((await verifyMfa(t, token2, 'totp', wrong(t, u))).body.code).toBe('invalid_code');
    const token3 = await mfaToken(t, u.email);
    expect((await verifyMfa(t, token3, 'totp', wrong(t, u))).body.code).toBe('invalid_code');
    nextStep(t);
    expect((await verifyMfa(t, token3, 'totp', codeAt(t, u.secret))).status).toBe(200);
    const token4 = await mfaToken(t, u.email);
    expect((await verifyMfa(t, token4, 'totp', wrong(t, u))).body.code).toBe('invalid_code');
    nextStep(t);
    expectLocked(await verifyMfa(t, token4, 'totp', codeAt(t, u.secret)));
    expect((await eventsOf(t, u.userId)).filter((e) => e.type === EVENT.mfaLockout)).toHaveLength(1);
  });
});

describe('100 failures in a row', () => {
  it('lock every factor but backup codes, even after the 15-minute window; a backup code unlocks', async () => {
    const u = await userWithTotp(t, 'hard');
    await setStreak(t, u.userId, 99);
    nextStep(t);
    const token = await mfaToken(t, u.email);
    expect((await verifyMfa(t, token, 'totp', wrong(t, u))).body.code).toBe('invalid_code');
    const hard = (await eventsOf(t, u.userId)).filter((e) => e.type === EVENT.mfaLockout);
    expect(hard.map((e) => e.details.hard)).toEqual([true]);
    expect(await deliveredMail(t)).toContain('sign in with a backup code or ask your administrator');

    expect((await verifyMfa(t, token, 'totp', codeAt(t, u.secret))).status).toBe(429);
    // The 15-minute window passes (the limiter keeps real time: its window is reset instead).
    t.clock.advance(16 * 60_000);
    await t.composed.deps.core.limiter.reset('mfa_user', u.userId);
    const later = await mfaToken(t, u.email);
    const refused = await verifyMfa(t, later, 'totp', codeAt(t, u.secret));
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');

    const backup = await verifyMfa(t, later, 'backup_code', u.backupCodes[0]);
    expect(backup.status).toBe(200);
    expect((await t.composed.deps.core.store.users.byId(u.userId))!.mfaFailureStreak).toBe(0);
    expect((await verifyMfa(t, await mfaToken(t, u.email), 'totp', codeAt(t, u.secret))).status).toBe(200);
  });
});

describe('across a restart', () => {
  let dir: string;
  let first: TestApp | undefined;
  let second: TestApp | undefined;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'twofold-restart-'));
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the per-user window, the run of failures and the mfa_token budget all survive', async () => {
    first = await startTestApp({ dataDir: dir });
    const locked = await userWithTotp(first, 'restart-locked');
    const streaky = await userWithTotp(first, 'restart-streak');
    const pending = await userWithTotp(first, 'restart-pending');
    nextStep(first);
    const a = await mfaToken(first, locked.email);
    const b = await mfaToken(first, locked.email);
    for (let i = 0; i < 10; i++) await verifyMfa(first, i < 5 ? a : b, 'totp', wrong(first, locked));
    await setStreak(first, streaky.userId, 100);
    const tokenAcross = await mfaToken(first, pending.email);
    for (let i = 0; i < 4; i++) await verifyMfa(first, tokenAcross, 'totp', wrong(first, pending));
    const clock = first.clock;
    await first.close();
    first = undefined;

    second = await startTestApp({ dataDir: dir, clock });
    nextStep(second);
    expectLocked(await verifyMfa(second, await mfaToken(second, locked.email), 'totp', codeAt(second, locked.secret)));
    expect((await verifyMfa(second, await mfaToken(second, streaky.email), 'totp', codeAt(second, streaky.secret))).status).toBe(429);
    // One wrong code left on the token, then it is used up.
    expect((await verifyMfa(second, tokenAcross, 'totp', wrong(second, pending))).body.code).toBe('invalid_code');
    expect((await verifyMfa(second, tokenAcross, 'totp', codeAt(second, pending.secret))).body.code).toBe('mfa_token_invalid');
  });
});
