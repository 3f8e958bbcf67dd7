/**
 * Short-lived proofs: email/SMS code challenges, WebAuthn challenges, trusted devices.
 */
import { describe, expect, it } from 'vitest';
import { databaseTargets, useStore } from '../helpers/databases.js';
import { HOUR, NOW, aDevice, aWebAuthnChallenge, anOtp, givenUser, uid } from './fixtures.js';

const targets = await databaseTargets();

describe.each(targets)('OtpChallengesRepo on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;
  const otp = () => opened().store.otpChallenges;

  it('replace invalidates earlier unconsumed challenges of the same user, channel and purpose only', async () => {
    const u = await givenUser(store());
    const other = await givenUser(store());
    const first = anOtp(u.id, { createdAt: NOW });
    const usedEarlier = anOtp(u.id, { createdAt: NOW - 10, consumedAt: NOW - 5 });
    const sms = anOtp(u.id, { channel: 'sms', destination: '+15555550123' });
    const enroll = anOtp(u.id, { purpose: 'enroll' });
    const theirs = anOtp(other.id);
    for (const c of [usedEarlier, first, sms, enroll, theirs]) await otp().replace(c);
    const second = anOtp(u.id, { createdAt: NOW + 1 });
    await otp().replace(second);
    expect(await otp().reserveAttempt(first.id, 5, NOW)).toBe(false);
    expect(await otp().consume(first.id, NOW)).toBe(false);
    expect(await otp().latest(u.id, 'email', 'login', null)).toEqual(second);
    expect(await otp().latest(u.id, 'sms', 'login', null)).toEqual(sms);
    expect(await otp().latest(u.id, 'email', 'enroll', null)).toEqual(enroll);
    expect(await otp().latest(other.id, 'email', 'login', null)).toEqual(theirs);
    // A consumed challenge stays (it is history, and proves the code was used).
    const rows = await opened().db.selectFrom('otp_challenges').select('id').where('id', '=', usedEarlier.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('latest matches the bound login (mfa_pending_id), or unbound ones for null', async () => {
    const u = await givenUser(store());
    const pendingA = uid();
    const bound = anOtp(u.id, { mfaPendingId: pendingA, createdAt: NOW });
    await otp().replace(bound);
    expect(await otp().latest(u.id, 'email', 'login', pendingA)).toEqual(bound);
    expect(await otp().latest(u.id, 'email', 'login', uid())).toBeUndefined();
    expect(await otp().latest(u.id, 'email', 'login', null)).toBeUndefined();
    expect(await otp().latest(u.id, 'email', 'step_up', pendingA)).toBeUndefined();
  });

  it('latest answers a consumed challenge too, for the caller to refuse', async () => {
    const u = await givenUser(store());
    const c = anOtp(u.id);
    await otp().replace(c);
    expect(await otp().consume(c.id, NOW + 1)).toBe(true);
    expect(await otp().latest(u.id, 'email', 'login', null)).toEqual({ ...c, consumedAt: NOW + 1 });
  });

  it('reserves attempts up to the maximum; none once consumed or expired', async () => {
    const u = await givenUser(store());
    const c = anOtp(u.id);
    await otp().replace(c);
    for (let i = 0; i < 5; i++) expect(await otp().reserveAttempt(c.id, 5, NOW)).toBe(true);
    expect(await otp().reserveAttempt(c.id, 5, NOW)).toBe(false);
    expect((await otp().latest(u.id, 'email', 'login', null))?.attempts).toBe(5);
    const d = anOtp(u.id, { purpose: 'step_up' });
    await otp().replace(d);
    expect(await otp().reserveAttempt(d.id, 5, d.expiresAt)).toBe(false);
    expect(await otp().consume(d.id, d.expiresAt)).toBe(false);
    expect(await otp().consume(d.id, NOW)).toBe(true);
    expect(await otp().consume(d.id, NOW)).toBe(false);
    expect(await otp().reserveAttempt(d.id, 5, NOW)).toBe(false);
  });

  it('replaceCarryingAttempts starts a resent code with the tries spent on the live one', async () => {
    const u = await givenUser(store());
    const pending = uid();
    const first = anOtp(u.id, { mfaPendingId: pending });
    await otp().replace(first);
    for (let i = 0; i < 3; i++) await otp().reserveAttempt(first.id, 5, NOW);
    const resent = anOtp(u.id, { mfaPendingId: pending, createdAt: NOW + 1 });
    expect(await otp().replaceCarryingAttempts(resent, NOW + 1)).toBe(3);
    expect(await otp().latest(u.id, 'email', 'login', pending)).toEqual({ ...resent, attempts: 3 });
    expect(await otp().reserveAttempt(first.id, 5, NOW + 1)).toBe(false);
    // Two tries left on the new code, not five.
    expect(await otp().reserveAttempt(resent.id, 5, NOW + 1)).toBe(true);
    expect(await otp().reserveAttempt(resent.id, 5, NOW + 1)).toBe(true);
    expect(await otp().reserveAttempt(resent.id, 5, NOW + 1)).toBe(false);
  });

  it('replaceCarryingAttempts carries nothing from an expired, consumed or differently bound code', async () => {
    const u = await givenUser(store());
    const stale = anOtp(u.id, { purpose: 'step_up', attempts: 4, expiresAt: NOW });
    await otp().replace(stale);
    expect(await otp().replaceCarryingAttempts(anOtp(u.id, { purpose: 'step_up' }), NOW)).toBe(0);

    const boundA = anOtp(u.id, { channel: 'sms', mfaPendingId: uid(), attempts: 4 });
    await otp().replace(boundA);
    const forB = anOtp(u.id, { channel: 'sms', mfaPendingId: uid() });
    expect(await otp().replaceCarryingAttempts(forB, NOW)).toBe(0);
    // The other login's code is replaced all the same: one live code per channel and purpose.
    expect(await otp().reserveAttempt(boundA.id, 5, NOW)).toBe(false);

    const used = anOtp(u.id, { purpose: 'enroll', attempts: 2 });
    await otp().replace(used);
    await otp().consume(used.id, NOW);
    expect(await otp().replaceCarryingAttempts(anOtp(u.id, { purpose: 'enroll', attempts: 1 }), NOW)).toBe(1);
  });

  it('deletes', async () => {
    const u = await givenUser(store());
    const c = anOtp(u.id);
    await otp().replace(c);
    await otp().delete(c.id);
    expect(await otp().latest(u.id, 'email', 'login', null)).toBeUndefined();
  });
});

describe.each(targets)('WebAuthnChallengesRepo on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;
  const ch = () => opened().store.webauthnChallenges;

  it('round-trips, by id and by challenge, with or without a user', async () => {
    const u = await givenUser(store());
    const forUser = aWebAuthnChallenge(u.id, { purpose: 'register', mfaPendingId: uid() });
    const passkey = aWebAuthnChallenge(null, { purpose: 'passkey' });
    await ch().create(forUser);
    await ch().create(passkey);
    expect(await ch().byId(forUser.id)).toEqual(forUser);
    expect(await ch().byChallenge(passkey.challenge)).toEqual(passkey);
    expect(await ch().byId(uid())).toBeUndefined();
    expect(await ch().byChallenge('unknown')).toBeUndefined();
  });

  it('consumes once, never after expiry', async () => {
    const c = aWebAuthnChallenge(null);
    const stale = aWebAuthnChallenge(null, { expiresAt: NOW });
    await ch().create(c);
    await ch().create(stale);
    expect(await ch().consume(c.id, NOW)).toBe(true);
    expect(await ch().consume(c.id, NOW)).toBe(false);
    expect((await ch().byId(c.id))?.usedAt).toBe(NOW);
    expect(await ch().consume(stale.id, NOW)).toBe(false);
  });
});

describe.each(targets)('TrustedDevicesRepo on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;
  const devices = () => opened().store.trustedDevices;

  it('round-trips every field', async () => {
    const u = await givenUser(store());
    const d = aDevice(u.id, { lastUsedAt: NOW - 1, ip: null, userAgent: null });
    await devices().create(d);
    expect(await devices().byId(d.id)).toEqual(d);
    expect(await devices().byId(uid())).toBeUndefined();
  });

  it('lists live devices newest first; touches', async () => {
    const u = await givenUser(store());
    const old = aDevice(u.id, { createdAt: NOW - HOUR });
    const recent = aDevice(u.id, { createdAt: NOW });
    const expired = aDevice(u.id, { expiresAt: NOW });
    const revoked = aDevice(u.id, { revokedAt: NOW - 1 });
    for (const d of [old, recent, expired, revoked]) await devices().create(d);
    expect((await devices().listLive(u.id, NOW)).map((d) => d.id)).toEqual([recent.id, old.id]);
    await devices().touch(old.id, NOW + 7);
    expect((await devices().byId(old.id))?.lastUsedAt).toBe(NOW + 7);
  });

  it("revokes only the owner's device, once; revokes all and counts", async () => {
    const u = await givenUser(store());
    const intruder = await givenUser(store());
    const [a, b, c] = [aDevice(u.id), aDevice(u.id), aDevice(u.id)];
    for (const d of [a, b, c]) await devices().create(d);
    expect(await devices().revoke(a.id, intruder.id, NOW)).toBe(false);
    expect(await devices().revoke(a.id, u.id, NOW)).toBe(true);
    expect(await devices().revoke(a.id, u.id, NOW)).toBe(false);
    expect(await devices().revokeAllForUser(u.id, NOW + 1)).toBe(2);
    expect(await devices().listLive(u.id, NOW)).toEqual([]);
    expect((await devices().byId(a.id))?.revokedAt).toBe(NOW);
    expect(await devices().revokeAllForUser(u.id, NOW + 2)).toBe(0);
  });
});
