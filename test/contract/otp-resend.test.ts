/**
 * OtpChallengesRepo.replaceCarryingAttempts on both databases: a resend never resets the
 * failure count, even while tries are being reserved concurrently.
 */
import { describe, expect, it } from 'vitest';
import { databaseTargets, useStore } from '../helpers/databases.js';
import { MINUTE, NOW, anOtp, givenUser, uid } from './fixtures.js';

const targets = await databaseTargets();

describe.each(targets)('OtpChallengesRepo.replaceCarryingAttempts on $name', (target) => {
  const opened = useStore(target);
  const otp = () => opened().store.otpChallenges;

  it('carries the tries of the live challenge it replaces; the old code stops working', async () => {
    const u = await givenUser(opened().store);
    const first = anOtp(u.id, { purpose: 'enroll' });
    await otp().replace(first);
    for (let i = 0; i < 3; i++) expect(await otp().reserveAttempt(first.id, 5, NOW)).toBe(true);
    const second = anOtp(u.id, { purpose: 'enroll', createdAt: NOW + 1 });
    expect(await otp().replaceCarryingAttempts(second, NOW + 1)).toBe(3);
    expect(await otp().latest(u.id, 'email', 'enroll', null)).toEqual({ ...second, attempts: 3 });
    expect(await otp().reserveAttempt(first.id, 5, NOW + 1)).toBe(false);
    expect(await otp().reserveAttempt(second.id, 5, NOW + 1)).toBe(true);
    expect(await otp().reserveAttempt(second.id, 5, NOW + 1)).toBe(true);
    expect(await otp().reserveAttempt(second.id, 5, NOW + 1)).toBe(false);
  });

  it('starts afresh after an expired code, a used code, or for another login', async () => {
    const u = await givenUser(opened().store);
    const expired = anOtp(u.id, { attempts: 4, expiresAt: NOW + MINUTE });
    await otp().replace(expired);
    expect(await otp().replaceCarryingAttempts(anOtp(u.id, { createdAt: NOW + MINUTE }), NOW + MINUTE)).toBe(0);

    const v = await givenUser(opened().store);
    const used = anOtp(v.id, { attempts: 2 });
    await otp().replace(used);
    expect(await otp().consume(used.id, NOW)).toBe(true);
    expect(await otp().replaceCarryingAttempts(anOtp(v.id, { createdAt: NOW + 1 }), NOW + 1)).toBe(0);

    const w = await givenUser(opened().store);
    await otp().replace(anOtp(w.id, { mfaPendingId: uid(), attempts: 4 }));
    const otherLogin = anOtp(w.id, { mfaPendingId: uid(), createdAt: NOW + 1 });
    expect(await otp().replaceCarryingAttempts(otherLogin, NOW + 1)).toBe(0);
    const sameLogin = anOtp(w.id, { mfaPendingId: otherLogin.mfaPendingId, createdAt: NOW + 2 });
    await otp().reserveAttempt(otherLogin.id, 5, NOW + 1);
    expect(await otp().replaceCarryingAttempts(sameLogin, NOW + 2)).toBe(1);
  });

  it('racing tries and a resend: every try that got through is carried, none is lost', async () => {
    for (let round = 0; round < 5; round++) {
      const u = await givenUser(opened().store);
      const c = anOtp(u.id);
      await otp().replace(c);
      const next = anOtp(u.id, { createdAt: NOW + 1 });
      const tries = Array.from({ length: 5 }, () => otp().reserveAttempt(c.id, 5, NOW));
      const [carried, ...got] = await Promise.all([otp().replaceCarryingAttempts(next, NOW), ...tries]);
      expect(carried).toBe(got.filter(Boolean).length);
      expect((await otp().latest(u.id, 'email', 'login', null))?.attempts).toBe(carried);
    }
  });

  it('a consumed challenge created in the same millisecond never hides the live one', async () => {
    const u = await givenUser(opened().store);
    const used = anOtp(u.id, { id: 'ffffffff-ffff-4fff-8fff-ffffffffffff' });
    await otp().replace(used);
    expect(await otp().consume(used.id, NOW)).toBe(true);
    const live = anOtp(u.id, { id: '00000000-0000-4000-8000-000000000000' });
    await otp().replaceCarryingAttempts(live, NOW);
    expect((await otp().latest(u.id, 'email', 'login', null))?.id).toBe(live.id);
  });
});
