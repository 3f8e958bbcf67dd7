/**
 * Sessions and the tokens around a login: refresh tokens, MFA-pending tokens, password resets.
 */
import { describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../src/store/index.js';
import { databaseTargets, useStore } from '../helpers/databases.js';
import { HOUR, MINUTE, NOW, aPending, aReset, aSession, givenUser, uid } from './fixtures.js';

const targets = await databaseTargets();

describe.each(targets)('SessionsRepo on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;

  it('round-trips every field', async () => {
    const u = await givenUser(store());
    const s = aSession(u.id, { amr: ['pwd', 'otp', 'mfa'], acr: 'aal2', mfaVerifiedAt: NOW, enrollmentOnly: true, ip: null, userAgent: null });
    await store().sessions.create(s);
    expect(await store().sessions.byId(s.id)).toEqual(s);
    expect(await store().sessions.byId(uid())).toBeUndefined();
  });

  it('lists only live sessions, most recently used first', async () => {
    const u = await givenUser(store());
    const older = aSession(u.id, { lastUsedAt: NOW - 10 });
    const newer = aSession(u.id, { lastUsedAt: NOW });
    const revoked = aSession(u.id, { revokedAt: NOW - 1 });
    const expired = aSession(u.id, { expiresAt: NOW });
    for (const s of [older, newer, revoked, expired]) await store().sessions.create(s);
    await store().sessions.create(aSession((await givenUser(store())).id));
    expect((await store().sessions.listLive(u.id, NOW)).map((s) => s.id)).toEqual([newer.id, older.id]);
  });

  it('touches, and records a verified second factor', async () => {
    const u = await givenUser(store());
    const s = aSession(u.id);
    await store().sessions.create(s);
    await store().sessions.touch(s.id, NOW + 5);
    expect((await store().sessions.byId(s.id))?.lastUsedAt).toBe(NOW + 5);
    await store().sessions.markMfaVerified(s.id, NOW + 9, ['pwd', 'hwk'], 'aal2');
    const got = await store().sessions.byId(s.id);
    expect(got).toMatchObject({ mfaVerifiedAt: NOW + 9, amr: ['pwd', 'hwk'], acr: 'aal2' });
  });

  it('turns an enrolment-only session into a full one', async () => {
    const u = await givenUser(store());
    const s = aSession(u.id, { enrollmentOnly: true });
    await store().sessions.create(s);
    await store().sessions.clearEnrollmentOnly(s.id);
    expect(await store().sessions.byId(s.id)).toEqual({ ...s, enrollmentOnly: false });
  });

  it('revokes a live session once; an expired one is not live', async () => {
    const u = await givenUser(store());
    const s = aSession(u.id);
    const gone = aSession(u.id, { expiresAt: NOW - 1 });
    await store().sessions.create(s);
    await store().sessions.create(gone);
    expect(await store().sessions.revoke(s.id, NOW)).toBe(true);
    expect(await store().sessions.revoke(s.id, NOW + 1)).toBe(false);
    expect((await store().sessions.byId(s.id))?.revokedAt).toBe(NOW);
    expect(await store().sessions.revoke(gone.id, NOW)).toBe(false);
    expect(await store().sessions.revoke(uid(), NOW)).toBe(false);
  });

  it('revokes all live sessions of a user but one, and counts them', async () => {
    const u = await givenUser(store());
    const other = await givenUser(store());
    const keep = aSession(u.id);
    const a = aSession(u.id);
    const b = aSession(u.id);
    const already = aSession(u.id, { revokedAt: NOW - 5 });
    const theirs = aSession(other.id);
    for (const s of [keep, a, b, already, theirs]) await store().sessions.create(s);
    expect(await store().sessions.revokeAllForUser(u.id, NOW, keep.id)).toBe(2);
    expect((await store().sessions.listLive(u.id, NOW)).map((s) => s.id)).toEqual([keep.id]);
    expect((await store().sessions.byId(already.id))?.revokedAt).toBe(NOW - 5);
    expect(await store().sessions.listLive(other.id, NOW)).toHaveLength(1);
    expect(await store().sessions.revokeAllForUser(u.id, NOW)).toBe(1);
    expect(await store().sessions.listLive(u.id, NOW)).toEqual([]);
  });
});

describe.each(targets)('RefreshTokensRepo on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;

  async function givenSession() {
    const u = await givenUser(store());
    const s = aSession(u.id);
    await store().sessions.create(s);
    return s;
  }

  it('round-trips, and refuses a duplicate hash', async () => {
    const s = await givenSession();
    const rec = { hash: `rt-${uid()}`, sessionId: s.id, createdAt: NOW, expiresAt: NOW + HOUR, usedAt: null };
    await store().refreshTokens.insert(rec);
    expect(await store().refreshTokens.byHash(rec.hash)).toEqual(rec);
    expect(await store().refreshTokens.byHash('nope')).toBeUndefined();
    const err = await store().refreshTokens.insert(rec).then(() => undefined, (e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
  });

  it('marks a token used exactly once, and never an expired one', async () => {
    const s = await givenSession();
    const live = { hash: `rt-${uid()}`, sessionId: s.id, createdAt: NOW, expiresAt: NOW + HOUR, usedAt: null };
    const stale = { hash: `rt-${uid()}`, sessionId: s.id, createdAt: NOW - 2 * HOUR, expiresAt: NOW, usedAt: null };
    await store().refreshTokens.insert(live);
    await store().refreshTokens.insert(stale);
    expect(await store().refreshTokens.markUsed(live.hash, NOW)).toBe(true);
    expect(await store().refreshTokens.markUsed(live.hash, NOW)).toBe(false);
    expect((await store().refreshTokens.byHash(live.hash))?.usedAt).toBe(NOW);
    expect(await store().refreshTokens.markUsed(stale.hash, NOW)).toBe(false);
    expect(await store().refreshTokens.markUsed('unknown', NOW)).toBe(false);
  });
});

describe.each(targets)('MfaPendingRepo on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;

  it('round-trips every field', async () => {
    const u = await givenUser(store());
    const p = aPending(u.id, { ip: '192.0.2.1', userAgent: 'ua', attempts: 2 });
    await store().mfaPending.create(p);
    expect(await store().mfaPending.byId(p.id)).toEqual(p);
    expect(await store().mfaPending.byId(uid())).toBeUndefined();
  });

  it('reserves attempts up to the maximum, counting each', async () => {
    const u = await givenUser(store());
    const p = aPending(u.id);
    await store().mfaPending.create(p);
    for (let i = 0; i < 3; i++) expect(await store().mfaPending.reserveAttempt(p.id, 3, NOW)).toBe(true);
    expect(await store().mfaPending.reserveAttempt(p.id, 3, NOW)).toBe(false);
    expect((await store().mfaPending.byId(p.id))?.attempts).toBe(3);
    expect(await store().mfaPending.reserveAttempt(uid(), 3, NOW)).toBe(false);
  });

  it('reserves nothing once consumed or expired', async () => {
    const u = await givenUser(store());
    const p = aPending(u.id);
    await store().mfaPending.create(p);
    expect(await store().mfaPending.reserveAttempt(p.id, 5, p.expiresAt)).toBe(false);
    expect(await store().mfaPending.consume(p.id, NOW)).toBe(true);
    expect(await store().mfaPending.reserveAttempt(p.id, 5, NOW)).toBe(false);
    expect((await store().mfaPending.byId(p.id))?.consumedAt).toBe(NOW);
  });

  it('consumes once, never after expiry', async () => {
    const u = await givenUser(store());
    const p = aPending(u.id);
    const stale = aPending(u.id, { expiresAt: NOW - 1 });
    await store().mfaPending.create(p);
    await store().mfaPending.create(stale);
    expect(await store().mfaPending.consume(p.id, NOW)).toBe(true);
    expect(await store().mfaPending.consume(p.id, NOW)).toBe(false);
    expect(await store().mfaPending.consume(stale.id, NOW)).toBe(false);
  });
});

describe.each(targets)('PasswordResetsRepo on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;

  it('round-trips, consumes once, never after expiry', async () => {
    const u = await givenUser(store());
    const r = aReset(u.id);
    const stale = aReset(u.id, { expiresAt: NOW });
    await store().passwordResets.create(r);
    await store().passwordResets.create(stale);
    expect(await store().passwordResets.byId(r.id)).toEqual(r);
    expect(await store().passwordResets.byId(uid())).toBeUndefined();
    expect(await store().passwordResets.consume(r.id, NOW + MINUTE)).toBe(true);
    expect(await store().passwordResets.consume(r.id, NOW + MINUTE)).toBe(false);
    expect((await store().passwordResets.byId(r.id))?.usedAt).toBe(NOW + MINUTE);
    expect(await store().passwordResets.consume(stale.id, NOW)).toBe(false);
  });

  it("invalidates every outstanding link of one user, not another's", async () => {
    const u = await givenUser(store());
    const other = await givenUser(store());
    const a = aReset(u.id);
    const b = aReset(u.id);
    const theirs = aReset(other.id);
    for (const r of [a, b, theirs]) await store().passwordResets.create(r);
    await store().passwordResets.invalidateForUser(u.id, NOW);
    expect(await store().passwordResets.consume(a.id, NOW)).toBe(false);
    expect(await store().passwordResets.consume(b.id, NOW)).toBe(false);
    expect(await store().passwordResets.consume(theirs.id, NOW)).toBe(true);
  });
});
