/**
 * Purging what has ended: expired single-use rows go, live ones stay, on both databases.
 */
import { describe, expect, it } from 'vitest';
import { databaseTargets, useStore } from '../helpers/databases.js';
import { HOUR, NOW, aDevice, aMessage, aPending, aReset, aSession, aTotpEnrollment, aWebAuthnChallenge, anOtp, givenUser } from './fixtures.js';

const targets = await databaseTargets();

describe.each(targets)('PurgeRepo on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;

  it('deletes expired and ended rows before the cut-off and keeps the rest', async () => {
    const s = store();
    const u = await givenUser(s);
    const old = NOW - 2 * HOUR;
    const live = NOW + HOUR;
    const pendingOld = aPending(u.id, { expiresAt: old });
    const pendingLive = aPending(u.id, { expiresAt: live });
    for (const p of [pendingOld, pendingLive]) await s.mfaPending.create(p);
    for (const r of [aReset(u.id, { expiresAt: old }), aReset(u.id, { expiresAt: live })]) await s.passwordResets.create(r);
    for (const e of [aTotpEnrollment(u.id, { expiresAt: old }), aTotpEnrollment(u.id, { expiresAt: live })]) await s.totpEnrollments.create(e);
    for (const c of [aWebAuthnChallenge(u.id, { expiresAt: old }), aWebAuthnChallenge(null, { expiresAt: live })]) await s.webauthnChallenges.create(c);
    await s.otpChallenges.replace(anOtp(u.id, { expiresAt: old, channel: 'email' }));
    await s.otpChallenges.replace(anOtp(u.id, { expiresAt: live, channel: 'sms' }));
    const endedSession = aSession(u.id, { revokedAt: old });
    const liveSession = aSession(u.id);
    for (const x of [endedSession, liveSession]) await s.sessions.create(x);
    await s.refreshTokens.insert({ hash: `h-${endedSession.id}`, sessionId: endedSession.id, createdAt: old, expiresAt: live, usedAt: null });
    await s.refreshTokens.insert({ hash: `h-${liveSession.id}`, sessionId: liveSession.id, createdAt: NOW, expiresAt: live, usedAt: null });
    for (const d of [aDevice(u.id, { expiresAt: old }), aDevice(u.id, { revokedAt: old }), aDevice(u.id)]) await s.trustedDevices.create(d);
    const sent = aMessage({ sentAt: old });
    const queued = aMessage();
    for (const m of [sent, queued]) await s.outbox.enqueue(m);

    const counts = await s.purge.purgeExpired(NOW - HOUR);
    expect(counts).toMatchObject({ mfa_pending: 1, password_resets: 1, totp_enrollments: 1, webauthn_challenges: 1, otp_challenges: 1, sessions: 1, trusted_devices: 2, outbox: 1 });
    expect(await s.mfaPending.byId(pendingOld.id)).toBeUndefined();
    expect(await s.mfaPending.byId(pendingLive.id)).toBeDefined();
    expect(await s.sessions.byId(endedSession.id)).toBeUndefined();
    expect(await s.sessions.byId(liveSession.id)).toBeDefined();
    // The ended session's refresh token went with it (cascade); the live one stays.
    expect(await s.refreshTokens.byHash(`h-${endedSession.id}`)).toBeUndefined();
    expect(await s.refreshTokens.byHash(`h-${liveSession.id}`)).toBeDefined();
    expect(await s.trustedDevices.listLive(u.id, NOW)).toHaveLength(1);
    expect(await s.outbox.pending()).toBeGreaterThanOrEqual(1);
    // A second run finds nothing more.
    expect(Object.values(await s.purge.purgeExpired(NOW - HOUR)).every((n) => n === 0)).toBe(true);
  });
});
