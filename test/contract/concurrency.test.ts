/**
 * Double-spend tests: every security state change is one atomic compare-and-set, so 20 callers
 * racing (Promise.all; on PostgreSQL over a pool of 10 real connections) never get more than
 * the rules allow.
 */
import { describe, expect, it } from 'vitest';
import { databaseTargets, useStore } from '../helpers/databases.js';
import {
  NOW,
  aMessage,
  aPending,
  aReset,
  aSession,
  aTotpEnrollment,
  aTotpMethod,
  aWebAuthnChallenge,
  aWebAuthnMethod,
  anOtp,
  backupCodes,
  countTrue,
  givenUser,
  race,
  uid,
} from './fixtures.js';

const N = 20;
const targets = await databaseTargets();

describe.each(targets)('concurrent security state changes on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;

  it('MfaPending.reserveAttempt with max 5: exactly 5 of 20 succeed', async () => {
    const u = await givenUser(store());
    const p = aPending(u.id);
    await store().mfaPending.create(p);
    const got = await race(N, () => store().mfaPending.reserveAttempt(p.id, 5, NOW));
    expect(countTrue(got)).toBe(5);
    expect((await store().mfaPending.byId(p.id))?.attempts).toBe(5);
  });

  it('MfaPending.consume: exactly 1 of 20 succeeds', async () => {
    const u = await givenUser(store());
    const p = aPending(u.id);
    await store().mfaPending.create(p);
    const got = await race(N, () => store().mfaPending.consume(p.id, NOW));
    expect(countTrue(got)).toBe(1);
  });

  it('BackupCodes.consume of one code: exactly 1 of 20 succeeds', async () => {
    const u = await givenUser(store());
    const codes = backupCodes(u.id, 10);
    await store().backupCodes.replaceAll(u.id, codes);
    const got = await race(N, () => store().backupCodes.consume(u.id, codes[3].codeHash, NOW));
    expect(countTrue(got)).toBe(1);
    expect(await store().backupCodes.remaining(u.id)).toBe(9);
  });

  it('Methods.advanceTotpStep with one step: exactly 1 of 20; an older step after a newer one: false', async () => {
    const u = await givenUser(store());
    const m = aTotpMethod(u.id);
    await store().methods.insert(m);
    const step = Math.floor(NOW / 30_000);
    const got = await race(N, () => store().methods.advanceTotpStep(m.id, step, NOW));
    expect(countTrue(got)).toBe(1);
    expect(await store().methods.advanceTotpStep(m.id, step - 1, NOW)).toBe(false);
    // Racing a newer and older steps: the newer always lands, the stored step never goes back.
    const mixed = await race(N, (i) => store().methods.advanceTotpStep(m.id, step + (i % 2 === 0 ? 2 : 1), NOW));
    expect(countTrue(mixed)).toBeGreaterThanOrEqual(1);
    expect(countTrue(mixed)).toBeLessThanOrEqual(2);
    expect((await store().methods.byId(m.id))?.lastStep).toBe(step + 2);
  });

  it('RefreshTokens.markUsed: exactly 1 of 20 succeeds', async () => {
    const u = await givenUser(store());
    const s = aSession(u.id);
    await store().sessions.create(s);
    const hash = `rt-${uid()}`;
    await store().refreshTokens.insert({ hash, sessionId: s.id, createdAt: NOW, expiresAt: NOW + 60_000, usedAt: null });
    const got = await race(N, () => store().refreshTokens.markUsed(hash, NOW));
    expect(countTrue(got)).toBe(1);
  });

  it('PasswordResets.consume: exactly 1 of 20 succeeds', async () => {
    const u = await givenUser(store());
    const r = aReset(u.id);
    await store().passwordResets.create(r);
    const got = await race(N, () => store().passwordResets.consume(r.id, NOW));
    expect(countTrue(got)).toBe(1);
  });

  it('WebAuthnChallenges.consume: exactly 1 of 20 succeeds', async () => {
    const u = await givenUser(store());
    const c = aWebAuthnChallenge(u.id);
    await store().webauthnChallenges.create(c);
    const got = await race(N, () => store().webauthnChallenges.consume(c.id, NOW));
    expect(countTrue(got)).toBe(1);
  });

  it('Methods.updateSignCount with the same expected value: exactly 1 of 20 succeeds', async () => {
    const u = await givenUser(store());
    const m = aWebAuthnMethod(u.id, { signCount: 7 });
    await store().methods.insert(m);
    const got = await race(N, (i) => store().methods.updateSignCount(m.id, 7, 8 + i, NOW));
    expect(countTrue(got)).toBe(1);
    const winner = got.indexOf(true);
    expect((await store().methods.byId(m.id))?.signCount).toBe(8 + winner);
  });

  it('OtpChallenges.reserveAttempt with max 5: exactly 5 of 20 succeed', async () => {
    const u = await givenUser(store());
    const c = anOtp(u.id);
    await store().otpChallenges.replace(c);
    const got = await race(N, () => store().otpChallenges.reserveAttempt(c.id, 5, NOW));
    expect(countTrue(got)).toBe(5);
  });

  it('OtpChallenges.consume: exactly 1 of 20 succeeds', async () => {
    const u = await givenUser(store());
    const c = anOtp(u.id);
    await store().otpChallenges.replace(c);
    const got = await race(N, () => store().otpChallenges.consume(c.id, NOW));
    expect(countTrue(got)).toBe(1);
  });

  it('OtpChallenges.replaceCarryingAttempts racing 20 tries: every try that counted is carried, none after', async () => {
    const u = await givenUser(store());
    const old = anOtp(u.id);
    await store().otpChallenges.replace(old);
    const resent = anOtp(u.id, { createdAt: NOW + 1 });
    const [carried, ...tries] = await Promise.all([
      store().otpChallenges.replaceCarryingAttempts(resent, NOW),
      ...Array.from({ length: N }, () => store().otpChallenges.reserveAttempt(old.id, 100, NOW)),
    ]);
    expect(carried).toBe(countTrue(tries as boolean[]));
    expect((await store().otpChallenges.latest(u.id, 'email', 'login', null))?.attempts).toBe(carried);
  });

  it('TotpEnrollments.consume: exactly 1 of 20 succeeds', async () => {
    const u = await givenUser(store());
    const e = aTotpEnrollment(u.id);
    await store().totpEnrollments.create(e);
    const got = await race(N, () => store().totpEnrollments.consume(e.id));
    expect(countTrue(got)).toBe(1);
    expect(await store().totpEnrollments.byId(e.id)).toBeUndefined();
  });

  it('Users.incrementFailureStreak x20: ends at 20, every caller saw a distinct value', async () => {
    const u = await givenUser(store());
    const got = await race(N, () => store().users.incrementFailureStreak(u.id));
    expect(new Set(got).size).toBe(N);
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect((await store().users.byId(u.id))?.mfaFailureStreak).toBe(N);
  });

  it('Outbox.claimDue from 2 concurrent claimers (and more) never hands out a message twice', async () => {
    const now = NOW + 1_000_000;
    const ids = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const m = aMessage({ nextAttemptAt: now - i });
      ids.add(m.id);
      await store().outbox.enqueue(m);
    }
    // Two workers, each polling several times at once, with the same clock.
    const claims = await race(2 * 5, () => store().outbox.claimDue(now, 4, 60_000));
    const claimed = claims.flat().map((m) => m.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.length).toBeLessThanOrEqual(30);
    // What is left is claimable, once, by a later poll; nothing is claimed twice overall.
    const rest = await store().outbox.claimDue(now, 100, 60_000);
    const all = [...claimed, ...rest.map((m) => m.id)];
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(ids);
  });

  it('BackupCodes.replaceAll racing (regenerate clicked twice) leaves exactly one complete set', async () => {
    const u = await givenUser(store());
    await race(5, (i) => store().backupCodes.replaceAll(u.id, backupCodes(u.id, 10, NOW + i)));
    expect(await store().backupCodes.remaining(u.id)).toBe(10);
  });

  it('OtpChallenges.replace racing leaves exactly one live challenge', async () => {
    const u = await givenUser(store());
    const recs = Array.from({ length: 5 }, (_, i) => anOtp(u.id, { createdAt: NOW + i }));
    await race(recs.length, (i) => store().otpChallenges.replace(recs[i]));
    const live = await opened()
      .db.selectFrom('otp_challenges')
      .select('id')
      .where('user_id', '=', u.id)
      .where('consumed_at', 'is', null)
      .execute();
    expect(live).toHaveLength(1);
  });
});
