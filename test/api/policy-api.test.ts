/**
 * GET/PUT /admin/policy: validation naming the field, the audit of old and new values, and the
 * change in force in every process within the 1 s policy cache (compose.ts), in the one that
 * saved it at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/core/policy.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call } from '../helpers/http.js';
import { freshEmail, givenAccount, sessionOf } from './admin-fixtures.js';

let t: TestApp;
let admin: string;
let adminId: string;
const put = (body: unknown) => call(t.app, 'PUT', '/admin/policy', { token: admin, body });

beforeAll(async () => {
  t = await startTestApp();
  const email = freshEmail('admin');
  adminId = await givenAccount(t, email, ['admin']);
  admin = await sessionOf(t, email);
});
afterAll(async () => t?.close());

describe('GET /admin/policy', () => {
  it('answers the defaults before any change', async () => {
    const res = await call(t.app, 'GET', '/admin/policy', { token: admin });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...DEFAULT_POLICY });
  });
});

describe('PUT /admin/policy', () => {
  it.each([
    ['an unknown require_mfa', { require_mfa: 'sometimes' }, 'require_mfa'],
    ['roles mode without roles', { require_mfa: 'roles', roles: [] }, 'roles'],
    ['roles mode with roles left out (none stored)', { require_mfa: 'roles' }, 'roles'],
    ['a role with a space', { roles: ['the admins'] }, 'roles.0'],
    ['21 roles', { roles: Array.from({ length: 21 }, (_, i) => `r${i}`) }, 'roles'],
    ['no allowed methods', { allowed_methods: [] }, 'allowed_methods'],
    ['backup codes alone', { allowed_methods: ['backup_code'] }, 'allowed_methods'],
    ['an unknown method', { allowed_methods: ['totp', 'carrier_pigeon'] }, 'allowed_methods.1'],
    ['a negative grace period', { grace_period_days: -1 }, 'grace_period_days'],
    ['a grace period over a year', { grace_period_days: 366 }, 'grace_period_days'],
    ['a fractional grace period', { grace_period_days: 1.5 }, 'grace_period_days'],
    ['a grace period as text', { grace_period_days: '7' }, 'grace_period_days'],
    ['trusted devices for over a year', { trusted_device_days: 400 }, 'trusted_device_days'],
    ['a step-up age over a day', { step_up_max_age_s: 86_401 }, 'step_up_max_age_s'],
    ['more than 100 failures in a row (NIST SP 800-63B)', { mfa_hard_lock_streak: 101 }, 'mfa_hard_lock_streak'],
    ['a hard lock before the window lock', { mfa_max_failures: 50, mfa_hard_lock_streak: 20 }, 'mfa_hard_lock_streak'],
    ['fewer than 3 failures per window', { mfa_max_failures: 2 }, 'mfa_max_failures'],
    ['a zero lockout', { mfa_lockout_minutes: 0 }, 'mfa_lockout_minutes'],
    ['an unknown field', { require_mfa: 'all', secret_backdoor: true }, 'body'],
  ])('answers 400 validation_failed naming the field: %s', async (_label, body, field) => {
    const res = await put(body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    if (field !== 'body') expect(res.body.field).toBe(field);
    // Nothing was stored.
    expect((await call(t.app, 'GET', '/admin/policy', { token: admin })).body).toEqual({ ...DEFAULT_POLICY });
  });

  it('changes the fields given, keeps the others, and audits old and new values', async () => {
    const res = await put({ require_mfa: 'roles', roles: ['finance', 'finance', 'ops'], grace_period_days: 3, allowed_methods: ['webauthn', 'totp', 'backup_code'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const expected = { ...DEFAULT_POLICY, require_mfa: 'roles', roles: ['finance', 'ops'], grace_period_days: 3, allowed_methods: ['totp', 'webauthn', 'backup_code'] };
    expect(res.body).toEqual(expected);
    expect((await call(t.app, 'GET', '/admin/policy', { token: admin })).body).toEqual(expected);
    const trail = await call(t.app, 'GET', '/admin/audit?type=admin.policy_updated', { token: admin });
    expect(trail.body.events).toHaveLength(1);
    expect(trail.body.events[0]).toMatchObject({ actor_id: adminId, user_id: null, details: { old: { ...DEFAULT_POLICY }, new: expected } });
    // Back to the defaults for the next cases.
    expect((await put({ ...DEFAULT_POLICY })).body).toEqual({ ...DEFAULT_POLICY });
  });

  it('is in force in this process at once', async () => {
    expect((await put({ step_up_max_age_s: 120 })).status).toBe(200);
    expect((await t.composed.deps.core.policy()).step_up_max_age_s).toBe(120);
    expect((await put({ step_up_max_age_s: 300 })).status).toBe(200);
    expect((await t.composed.deps.core.policy()).step_up_max_age_s).toBe(300);
  });

  it('method policy applies: a method policy does not allow cannot be enrolled, and the status says which can', async () => {
    const email = freshEmail('nototp');
    await givenAccount(t, email);
    const token = await sessionOf(t, email);
    const allowed = async () => (await call(t.app, 'GET', '/mfa/status', { token })).body.allowed_methods;
    expect(await allowed()).toEqual(['totp', 'webauthn', 'email', 'sms']);
    expect((await put({ allowed_methods: ['webauthn', 'backup_code'] })).status).toBe(200);
    const res = await call(t.app, 'POST', '/mfa/totp/setup', { token, body: {} });
    expect([res.status, res.body.code]).toEqual([403, 'policy_violation']);
    // Backup codes are not a kind one sets up: they come with the first factor.
    expect(await allowed()).toEqual(['webauthn']);
    expect((await put({ allowed_methods: DEFAULT_POLICY.allowed_methods })).status).toBe(200);
  });
});

describe('another process on the same database', () => {
  let dir: string;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'twofold-policy-'));
    a = await startTestApp({ env: { TWOFOLD_DATA_DIR: dir } });
    b = await startTestApp({ env: { TWOFOLD_DATA_DIR: dir } });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees a change within 1 second (its policy cache)', async () => {
    const email = freshEmail('admin');
    await givenAccount(a, email, ['admin']);
    const token = await sessionOf(a, email);
    expect((await b.composed.deps.core.policy()).require_mfa).toBe('off');
    const changedAt = Date.now();
    expect((await call(a.app, 'PUT', '/admin/policy', { token, body: { require_mfa: 'all' } })).status).toBe(200);
    let seenAfter = Infinity;
    while (Date.now() - changedAt < 2000) {
      if ((await b.composed.deps.core.policy()).require_mfa === 'all') {
        seenAfter = Date.now() - changedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    // The cache bound (1 s) plus the 50 ms polling step and some slack for a loaded machine.
    expect(seenAfter).toBeLessThanOrEqual(1300);
  });
});
