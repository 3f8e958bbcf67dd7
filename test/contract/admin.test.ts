/**
 * What administration needs from storage: the last-admin guard, method types per user, policy
 * enforcement (grace periods, reminders) and adoption statistics computed by the database.
 */
import { describe, expect, it } from 'vitest';
import type { MfaAudience } from '../../src/core/ports.js';
import type { NewSecurityEvent } from '../../src/core/types.js';
import { databaseTargets, useStore } from '../helpers/databases.js';
import { HOUR, NOW, aTotpMethod, aWebAuthnMethod, countTrue, givenUser, race, uid } from './fixtures.js';

const targets = await databaseTargets();
const ALL: MfaAudience = { kind: 'all' };
const NONE: MfaAudience = { kind: 'none' };
const ADMINS: MfaAudience = { kind: 'roles', roles: ['admin'] };

describe.each(targets)('UsersRepo.updateKeepingAnAdmin on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;
  const fresh = () => opened().db.deleteFrom('users').execute();

  it('updates roles and disabled while another enabled admin remains', async () => {
    await fresh();
    const a = await givenUser(store(), { roles: ['admin'] });
    await givenUser(store(), { roles: ['admin', 'ops'] });
    const plain = await givenUser(store(), { roles: ['ops'] });
    expect(await store().users.updateKeepingAnAdmin(a.id, { roles: ['ops'] })).toBe('updated');
    expect(await store().users.byId(a.id)).toMatchObject({ roles: ['ops'], disabled: false });
    expect(await store().users.updateKeepingAnAdmin(plain.id, { disabled: true })).toBe('updated');
    expect(await store().users.updateKeepingAnAdmin(plain.id, { roles: ['admin'], disabled: false })).toBe('updated');
    expect(await store().users.byId(plain.id)).toMatchObject({ roles: ['admin'], disabled: false });
    expect(await store().users.updateKeepingAnAdmin(uid(), { disabled: true })).toBe('not_found');
  });

  it('refuses to demote or disable the last enabled admin, and changes nothing then', async () => {
    await fresh();
    const last = await givenUser(store(), { roles: ['admin', 'ops'] });
    await givenUser(store(), { roles: ['admin'], disabled: true });
    await givenUser(store(), { roles: ['sysadmin'] });
    expect(await store().users.updateKeepingAnAdmin(last.id, { roles: ['ops'] })).toBe('last_admin');
    expect(await store().users.updateKeepingAnAdmin(last.id, { disabled: true })).toBe('last_admin');
    expect(await store().users.byId(last.id)).toMatchObject({ roles: ['admin', 'ops'], disabled: false });
    // Changes that keep them an enabled admin go through.
    expect(await store().users.updateKeepingAnAdmin(last.id, { roles: ['admin'] })).toBe('updated');
    expect(await store().users.updateKeepingAnAdmin(last.id, {})).toBe('updated');
  });

  it('admins demoting themselves all at once: exactly one enabled admin is left', async () => {
    await fresh();
    const admins = await Promise.all(Array.from({ length: 5 }, () => givenUser(store(), { roles: ['admin'] })));
    const got = await race(admins.length, (i) => store().users.updateKeepingAnAdmin(admins[i].id, { roles: [] }));
    expect(got.filter((r) => r === 'updated')).toHaveLength(4);
    expect(got.filter((r) => r === 'last_admin')).toHaveLength(1);
    expect(await store().users.countAdmins()).toBe(1);
  });

  it('two admins disabling each other at once cannot both succeed', async () => {
    await fresh();
    const a = await givenUser(store(), { roles: ['admin'] });
    const b = await givenUser(store(), { roles: ['admin'] });
    const got = await Promise.all([
      store().users.updateKeepingAnAdmin(a.id, { disabled: true }),
      store().users.updateKeepingAnAdmin(b.id, { disabled: true }),
    ]);
    expect(got.sort()).toEqual(['last_admin', 'updated']);
    expect(await store().users.countAdmins()).toBe(1);
  });
});

describe.each(targets)('MethodsRepo.typesForUsers on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;

  it('answers the distinct method types per asked user, leaving out users without any', async () => {
    const a = await givenUser(store());
    const b = await givenUser(store());
    const none = await givenUser(store());
    const other = await givenUser(store());
    for (const m of [aWebAuthnMethod(a.id), aTotpMethod(a.id), aWebAuthnMethod(a.id), aTotpMethod(b.id), aTotpMethod(other.id)]) {
      await store().methods.insert(m);
    }
    expect(await store().methods.typesForUsers([a.id, b.id, none.id])).toEqual({ [a.id]: ['totp', 'webauthn'], [b.id]: ['totp'] });
    expect(await store().methods.typesForUsers([])).toEqual({});
  });
});

describe.each(targets)('EnforcementRepo on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;
  const fresh = () => opened().db.deleteFrom('users').execute();

  it('starts the grace period of enabled, unenrolled users of the audience, once', async () => {
    await fresh();
    const admin = await givenUser(store(), { roles: ['admin'] });
    const sysadmin = await givenUser(store(), { roles: ['sysadmin'] });
    const enrolled = await givenUser(store(), { roles: ['admin'] });
    await store().methods.insert(aTotpMethod(enrolled.id));
    const disabled = await givenUser(store(), { roles: ['admin'], disabled: true });
    const started = await givenUser(store(), { roles: ['admin'], mfaRequiredSince: NOW - HOUR });
    expect(await store().enforcement.startGrace(NONE, NOW)).toBe(0);
    expect(await store().enforcement.startGrace(ADMINS, NOW)).toBe(1);
    expect(await store().enforcement.startGrace(ADMINS, NOW + 1)).toBe(0);
    const since = async (id: string) => (await store().users.byId(id))?.mfaRequiredSince;
    expect(await since(admin.id)).toBe(NOW);
    expect(await since(sysadmin.id)).toBeNull();
    expect(await since(enrolled.id)).toBeNull();
    expect(await since(disabled.id)).toBeNull();
    expect(await since(started.id)).toBe(NOW - HOUR);
    expect(await store().enforcement.startGrace({ kind: 'roles', roles: [] }, NOW)).toBe(0);
    expect(await store().enforcement.startGrace(ALL, NOW + 2)).toBe(1);
    expect(await since(sysadmin.id)).toBe(NOW + 2);
  });

  it('pages unenrolled users whose grace started in [from, to) by id', async () => {
    await fresh();
    const inRange = await Promise.all(
      [0, 1, 2, 3].map((i) => givenUser(store(), { roles: ['admin'], mfaRequiredSince: NOW + i })),
    );
    await givenUser(store(), { roles: ['admin'], mfaRequiredSince: NOW + 10 });
    await givenUser(store(), { roles: ['admin'], mfaRequiredSince: NOW - 1 });
    await givenUser(store(), { roles: ['ops'], mfaRequiredSince: NOW });
    await givenUser(store(), { roles: ['admin'], mfaRequiredSince: NOW, disabled: true });
    const enrolled = await givenUser(store(), { roles: ['admin'], mfaRequiredSince: NOW });
    await store().methods.insert(aTotpMethod(enrolled.id));
    const expected = inRange.map((u) => u.id).sort();
    const first = await store().enforcement.unenrolledStartedBetween(ADMINS, NOW, NOW + 10, { limit: 3 });
    expect(first.map((u) => u.id)).toEqual(expected.slice(0, 3));
    const rest = await store().enforcement.unenrolledStartedBetween(ADMINS, NOW, NOW + 10, { afterId: first[2].id, limit: 3 });
    expect(rest.map((u) => u.id)).toEqual(expected.slice(3));
    expect(await store().enforcement.unenrolledStartedBetween(NONE, 0, NOW * 2, { limit: 10 })).toEqual([]);
    expect(await store().enforcement.unenrolledStartedBetween(ALL, NOW, NOW + 1, { limit: 10 })).toHaveLength(2);
  });

  it('claims a reminder once per deadline; a moved deadline earns a new one', async () => {
    const u = await givenUser(store());
    const deadline = NOW + 7 * 24 * HOUR;
    const got = await race(20, () => store().enforcement.claimReminder(u.id, '3d', deadline));
    expect(countTrue(got)).toBe(1);
    expect(await store().enforcement.claimReminder(u.id, '3d', deadline)).toBe(false);
    expect(await store().enforcement.claimReminder(u.id, '1d', deadline)).toBe(true);
    expect(await store().enforcement.claimReminder(u.id, '3d', deadline + HOUR)).toBe(true);
    expect(await store().enforcement.claimReminder(uid(), '3d', deadline)).toBe(false);
  });
});

describe.each(targets)('StatsRepo on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;

  it('counts users per method type, every type present', async () => {
    await opened().db.deleteFrom('users').execute();
    const a = await givenUser(store());
    const b = await givenUser(store());
    for (const m of [aTotpMethod(a.id), aTotpMethod(a.id), aWebAuthnMethod(a.id), aTotpMethod(b.id)]) await store().methods.insert(m);
    expect(await store().stats.usersByMethod()).toEqual({ totp: 2, webauthn: 1, email: 0, sms: 0 });
  });

  it('groups events by type and details.method, with totals and recent counts', async () => {
    await opened().db.deleteFrom('security_events').execute();
    const ev = (type: string, at: number, details: Record<string, unknown>): NewSecurityEvent => ({
      type,
      userId: null,
      actorId: null,
      ip: null,
      userAgent: null,
      at,
      details,
    });
    for (const e of [
      ev('mfa_verified', NOW - 2 * HOUR, { method: 'totp' }),
      ev('mfa_verified', NOW - 1, { method: 'totp' }),
      ev('mfa_verified', NOW, { method: 'totp' }),
      ev('mfa_verified', NOW, { method: 'webauthn' }),
      ev('mfa_failed', NOW, {}),
      ev('mfa_failed', NOW - 10 * HOUR, { method: 'sms' }),
      ev('login_succeeded', NOW, { method: 'totp' }),
    ]) {
      await store().events.append(e);
    }
    const rows = await store().stats.eventsByMethod(['mfa_verified', 'mfa_failed'], NOW - 3 * HOUR, NOW - HOUR);
    const key = (r: { type: string; method: string | null }) => `${r.type}/${r.method}`;
    expect(rows.sort((x, y) => (key(x) < key(y) ? -1 : 1))).toEqual([
      { type: 'mfa_failed', method: null, total: 1, recent: 1 },
      { type: 'mfa_verified', method: 'totp', total: 3, recent: 2 },
      { type: 'mfa_verified', method: 'webauthn', total: 1, recent: 1 },
    ]);
    expect(await store().stats.eventsByMethod([], 0, 0)).toEqual([]);
  });

  it('counts unenrolled users of the audience inside and past their grace period', async () => {
    await opened().db.deleteFrom('users').execute();
    const grace = 7 * 24 * HOUR;
    await givenUser(store(), { roles: ['admin'], mfaRequiredSince: NOW - HOUR });
    await givenUser(store(), { roles: ['admin'], mfaRequiredSince: NOW - grace });
    await givenUser(store(), { roles: ['admin'], mfaRequiredSince: NOW - grace - HOUR });
    await givenUser(store(), { roles: ['ops'], mfaRequiredSince: NOW - HOUR });
    await givenUser(store(), { roles: ['admin'] });
    await givenUser(store(), { roles: ['admin'], mfaRequiredSince: NOW - HOUR, disabled: true });
    const enrolled = await givenUser(store(), { roles: ['admin'], mfaRequiredSince: NOW - grace - HOUR });
    await store().methods.insert(aTotpMethod(enrolled.id));
    expect(await store().stats.graceCounts(ADMINS, grace, NOW)).toEqual({ inside: 1, past: 2 });
    expect(await store().stats.graceCounts(ALL, grace, NOW)).toEqual({ inside: 2, past: 2 });
    expect(await store().stats.graceCounts(NONE, grace, NOW)).toEqual({ inside: 0, past: 0 });
    expect(await store().stats.graceCounts({ kind: 'roles', roles: ['nobody'] }, grace, NOW)).toEqual({ inside: 0, past: 0 });
  });
});
