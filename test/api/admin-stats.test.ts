/**
 * GET /admin/stats computed by the database from seeded data, on SQLite and PostgreSQL; and the
 * last-admin guard holding when two admins demote each other at the same moment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMethodRow } from '../../src/core/mfa/after-change.js';
import type { MfaMethodType } from '../../src/core/types.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { skipCasesIf } from '../helpers/databases.js';
import { call } from '../helpers/http.js';
import { freshEmail, givenAccount, putPolicyDirectly, sessionOf, sharedDatabases } from './admin-fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(await sharedDatabases('admin stats on postgres'))('GET /admin/stats on $name', (db) => {
  let t: TestApp;
  beforeAll(async () => {
    if (!db.skipReason) t = await startTestApp({ env: await db.env() });
  });
  skipCasesIf(db.skipReason);
  afterAll(async () => {
    await t?.close();
    await db.cleanup();
  });

  it('counts users, adoption, checks, lockouts, grace and backup codes', async () => {
    const core = t.composed.deps.core;
    const now = t.clock.now();
    await putPolicyDirectly(t, { require_mfa: 'roles', roles: ['staff'], grace_period_days: 7 });
    const adminEmail = freshEmail('admin');
    await givenAccount(t, adminEmail, ['admin']);

    const user = async (roles: string[], methods: MfaMethodType[], codes?: { unused: number; used: number }) => {
      const id = await givenAccount(t, freshEmail('u'), roles);
      for (const type of methods) await core.store.methods.insert(newMethodRow(core, id, type, type, now));
      if (codes) {
        const all = Array.from({ length: codes.unused + codes.used }, (_, i) => ({ id: core.random.uuid(), userId: id, codeHash: `h${i}`, createdAt: now, usedAt: i < codes.used ? now : null }));
        await core.store.backupCodes.replaceAll(id, all);
      }
      return id;
    };
    await user([], ['totp', 'webauthn'], { unused: 10, used: 0 });
    await user([], ['totp'], { unused: 2, used: 8 });
    await user([], ['sms']);
    await user([], ['email'], { unused: 3, used: 7 });
    const inside = await user(['staff'], []);
    const past = await user(['staff'], []);
    const disabled = await user(['staff'], []);
    await user(['staff'], []); // never seen by policy yet: in neither count
    const enrolled = await user(['staff', 'finance'], ['totp'], { unused: 5, used: 0 });
    await core.store.users.update(inside, { mfaRequiredSince: now - DAY });
    await core.store.users.update(past, { mfaRequiredSince: now - 10 * DAY });
    await core.store.users.update(disabled, { mfaRequiredSince: now - DAY, disabled: true });
    await core.store.users.update(enrolled, { mfaRequiredSince: now - 10 * DAY });

    const event = (type: string, ago: number, details: Record<string, unknown>) =>
      core.store.events.append({ type, userId: null, actorId: null, ip: null, userAgent: null, at: now - ago, details });
    await event('mfa.verify_succeeded', HOUR, { method: 'totp', purpose: 'login' });
    await event('mfa.verify_succeeded', 2 * HOUR, { method: 'totp', purpose: 'login' });
    await event('mfa.verify_failed', 2 * DAY, { method: 'totp', purpose: 'login' });
    await event('mfa.replay_rejected', 3 * HOUR, { method: 'totp', purpose: 'login' });
    await event('mfa.verify_succeeded', 6 * DAY, { method: 'backup_code', purpose: 'login' });
    await event('mfa.verify_failed', 7 * DAY, { method: 'email', purpose: 'login' }); // the 7-day edge counts
    await event('mfa.verify_failed', 8 * DAY, { method: 'sms', purpose: 'login' }); // too old
    await event('mfa.verify_succeeded', HOUR / 2, { method: 'webauthn', purpose: 'step_up' });
    await event('mfa.verify_failed', HOUR, { purpose: 'login' }); // no method: not counted
    await event('mfa.lockout', HOUR, { method: 'totp', hard: false });
    await event('mfa.lockout', 3 * DAY, { method: 'sms', hard: false });
    await event('mfa.lockout', 9 * DAY, { method: 'sms', hard: true });
    await event('login.failed', HOUR, { method: 'totp' }); // another type

    const res = await call(t.app, 'GET', '/admin/stats', { token: await sessionOf(t, adminEmail) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const none = { succeeded: 0, failed: 0 };
    expect(res.body).toEqual({
      users: 10,
      mfa_enabled: 5,
      by_method: { totp: 3, webauthn: 1, email: 1, sms: 1 },
      verifications: {
        '24h': { totp: { succeeded: 2, failed: 1 }, webauthn: { succeeded: 1, failed: 0 }, email: none, sms: none, backup_code: none },
        '7d': { totp: { succeeded: 2, failed: 2 }, webauthn: { succeeded: 1, failed: 0 }, email: { succeeded: 0, failed: 1 }, sms: none, backup_code: { succeeded: 1, failed: 0 } },
      },
      lockouts: { '24h': 1, '7d': 2 },
      grace: { inside: 1, past: 1 },
      low_backup_codes: 2,
      share_with_mfa: 0.5,
    });
  });
});

describe.each(await sharedDatabases('last-admin race on postgres'))('two admins demoting each other at once on $name', (db) => {
  let t: TestApp;
  beforeAll(async () => {
    if (!db.skipReason) t = await startTestApp({ env: await db.env() });
  });
  skipCasesIf(db.skipReason);
  afterAll(async () => {
    await t?.close();
    await db.cleanup();
  });

  it('exactly one succeeds and one enabled admin remains, every time', async () => {
    const users = t.composed.deps.core.store.users;
    for (let round = 0; round < 5; round++) {
      const a = freshEmail('a');
      const b = freshEmail('b');
      const aId = await givenAccount(t, a, ['admin']);
      const bId = await givenAccount(t, b, ['admin']);
      const [ta, tb] = [await sessionOf(t, a), await sessionOf(t, b)];
      const [x, y] = await Promise.all([
        call(t.app, 'PATCH', `/admin/users/${bId}`, { token: ta, body: round % 2 ? { disabled: true } : { roles: [] } }),
        call(t.app, 'PATCH', `/admin/users/${aId}`, { token: tb, body: { roles: ['ops'] } }),
      ]);
      // The loser is refused by the guard when the winner's change landed first (401: disabled,
      // its session ended; 403: no longer an admin) or, when both got past it, by the store (409:
      // that would leave no admin).
      const statuses = [x.status, y.status].sort();
      expect([[200, 401], [200, 403], [200, 409]], JSON.stringify([x.body, y.body])).toContainEqual(statuses);
      expect(await users.countAdmins()).toBe(1);
      // Retire the survivor for the next round (straight in the store: the API would refuse).
      const survivor = x.status === 200 ? aId : bId;
      await users.update(survivor, { roles: [] });
    }
  });
});
