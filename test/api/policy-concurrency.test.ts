/**
 * PUT /admin/policy from several administrators at once, on both databases: each saves only
 * the fields it sends, merged into what is stored. Read, merge and write are one serialised
 * step, so no save silently undoes another (a read-merge-write race would keep only the
 * last writer's view). The race shows on PostgreSQL, whose connections run the saves at once
 * (this case fails there without the lock); one process on SQLite runs each save's queries
 * without a break, and the lock is what keeps several processes on one file apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/core/policy.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { postgresSkipReason, skipCasesIf } from '../helpers/databases.js';
import { call } from '../helpers/http.js';
import { freshEmail, givenAccount, sessionOf } from './admin-fixtures.js';

const pgSkip = await postgresSkipReason('the PostgreSQL policy race');

const PATCHES = [
  { grace_period_days: 9 },
  { trusted_device_days: 20 },
  { step_up_max_age_s: 120 },
  { mfa_lockout_minutes: 20 },
  { mfa_max_failures: 8 },
  { roles: ['ops'] },
] as const;

describe.each([
  { database: 'sqlite' as const, skip: undefined },
  { database: 'postgres' as const, skip: pgSkip },
])('parallel policy saves on $database', ({ database, skip }) => {
  skipCasesIf(skip);
  let t: TestApp;
  let admins: string[];
  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ database });
    admins = [];
    for (let i = 0; i < PATCHES.length; i++) {
      const email = freshEmail(`admin${i}`);
      await givenAccount(t, email, ['admin']);
      admins.push(await sessionOf(t, email));
    }
  });
  afterAll(async () => t?.close());

  it('keeps every field each administrator saved, and audits a chain of changes', async () => {
    for (let round = 0; round < 3; round++) {
      // Back to the defaults, then every admin saves their own field at once.
      expect((await call(t.app, 'PUT', '/admin/policy', { token: admins[0], body: { ...DEFAULT_POLICY } })).status).toBe(200);
      const saved = await Promise.all(PATCHES.map((body, i) => call(t.app, 'PUT', '/admin/policy', { token: admins[i], body })));
      for (const r of saved) expect(r.status, JSON.stringify(r.body)).toBe(200);
      const merged = Object.assign({ ...DEFAULT_POLICY }, ...PATCHES);
      expect((await call(t.app, 'GET', '/admin/policy', { token: admins[0] })).body).toEqual(merged);
      // Each audit entry's "old" is the previous entry's "new": no save worked from a stale read.
      const trail = await call(t.app, 'GET', `/admin/audit?type=admin.policy_updated&limit=${PATCHES.length}`, { token: admins[0] });
      const chain = [...trail.body.events].reverse().map((e: { details: { old: unknown; new: unknown } }) => e.details);
      for (let i = 1; i < chain.length; i++) expect(chain[i].old).toEqual(chain[i - 1].new);
      expect(chain.at(-1)!.new).toEqual(merged);
    }
  });
});
