/**
 * Each require_mfa mode decides whom login asks to enrol (`enroll_by`) and what /mfa/status
 * says; while policy requires MFA the last factor cannot be removed (403 policy_violation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Policy } from '../../src/core/types.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call } from '../helpers/http.js';
import { enrolTotp, freshEmail, givenAccount, givenTotpAdmin, login, loginWithTotp, sessionOf } from './admin-fixtures.js';

const DAY = 86_400_000;
let t: TestApp;
let boss: Awaited<ReturnType<typeof givenTotpAdmin>>;

/** PUT /admin/policy as an admin whose second factor was just verified. */
async function setPolicy(patch: Partial<Policy>): Promise<number> {
  const token = await loginWithTotp(t, boss.email, boss.secret);
  const res = await call(t.app, 'PUT', '/admin/policy', { token, body: patch });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return t.clock.now();
}

beforeAll(async () => {
  t = await startTestApp();
  boss = await givenTotpAdmin(t);
});
afterAll(async () => t?.close());

describe.each([
  ['off', { require_mfa: 'off' }, { plain: false, admin: false, finance: false }],
  ['admins', { require_mfa: 'admins' }, { plain: false, admin: true, finance: false }],
  ['roles', { require_mfa: 'roles', roles: ['finance'] }, { plain: false, admin: false, finance: true }],
  ['all', { require_mfa: 'all' }, { plain: true, admin: true, finance: true }],
] as const)('require_mfa %s', (mode, policy, required) => {
  it('asks exactly the users it covers to enrol, by the grace deadline', async () => {
    const emails = { plain: freshEmail(`${mode}plain`), admin: freshEmail(`${mode}admin`), finance: freshEmail(`${mode}fin`) };
    await givenAccount(t, emails.plain);
    await givenAccount(t, emails.admin, ['admin']);
    await givenAccount(t, emails.finance, ['finance', 'staff']);
    const changedAt = await setPolicy({ ...(policy as Partial<Policy>), grace_period_days: 5 });
    t.clock.advance(DAY);
    for (const who of ['plain', 'admin', 'finance'] as const) {
      const res = await login(t, emails[who]);
      expect(res.status, who).toBe(200);
      expect(res.body.mfa_required).toBe(false);
      expect(res.body.mfa_enrollment_required, who).toBeUndefined();
      const status = await call(t.app, 'GET', '/mfa/status', { token: res.body.access_token });
      expect(status.body.required, who).toBe(required[who]);
      if (required[who]) {
        // The deadline counts from the policy change, not from this first login.
        expect(res.body.enroll_by, who).toBe(new Date(changedAt + 5 * DAY).toISOString());
        expect(status.body.enroll_by, who).toBe(res.body.enroll_by);
      } else {
        expect(res.body.enroll_by, who).toBeUndefined();
        expect(status.body.enroll_by, who).toBeUndefined();
      }
    }
    await setPolicy({ require_mfa: 'off', roles: [] });
  });
});

describe('grace periods follow the policy', () => {
  it('a user no longer required loses the deadline; required again, gets a full grace period', async () => {
    const email = freshEmail('onoff');
    await givenAccount(t, email, ['finance']);
    await setPolicy({ require_mfa: 'roles', roles: ['finance'], grace_period_days: 7 });
    t.clock.advance(10 * DAY);
    expect((await login(t, email)).body.mfa_enrollment_required).toBe(true);
    await setPolicy({ require_mfa: 'off', roles: [] });
    t.clock.advance(DAY);
    const again = await setPolicy({ require_mfa: 'all' });
    const res = await login(t, email);
    expect(res.body.mfa_enrollment_required).toBeUndefined();
    expect(res.body.enroll_by).toBe(new Date(again + 7 * DAY).toISOString());
    await setPolicy({ require_mfa: 'off' });
  });

  it('a role given by an admin starts the grace period at once; taken away, ends it', async () => {
    await setPolicy({ require_mfa: 'roles', roles: ['finance'], grace_period_days: 7 });
    const email = freshEmail('promoted');
    const id = await givenAccount(t, email);
    const token = await loginWithTotp(t, boss.email, boss.secret);
    const at = t.clock.now();
    expect((await call(t.app, 'PATCH', `/admin/users/${id}`, { token, body: { roles: ['finance'] } })).status).toBe(200);
    t.clock.advance(DAY);
    expect((await login(t, email)).body.enroll_by).toBe(new Date(at + 7 * DAY).toISOString());
    const token2 = await loginWithTotp(t, boss.email, boss.secret);
    expect((await call(t.app, 'PATCH', `/admin/users/${id}`, { token: token2, body: { roles: [] } })).status).toBe(200);
    expect((await t.composed.deps.core.store.users.byId(id))!.mfaRequiredSince).toBeNull();
    await setPolicy({ require_mfa: 'off', roles: [] });
  });
});

describe('the last factor while policy requires MFA', () => {
  it('cannot be removed or disabled (403 policy_violation); with policy off it can', async () => {
    const email = freshEmail('keeper');
    await givenAccount(t, email, ['finance']);
    const secret = await enrolTotp(t, await sessionOf(t, email));
    await setPolicy({ require_mfa: 'roles', roles: ['finance'] });
    const token = await loginWithTotp(t, email, secret);
    const methods = (await call(t.app, 'GET', '/mfa/status', { token })).body.methods;
    expect(methods).toHaveLength(1);
    const del = await call(t.app, 'DELETE', `/mfa/methods/${methods[0].id}`, { token });
    expect([del.status, del.body.code]).toEqual([403, 'policy_violation']);
    const disable = await call(t.app, 'POST', '/mfa/disable', { token, body: {} });
    expect([disable.status, disable.body.code]).toEqual([403, 'policy_violation']);
    expect((await call(t.app, 'GET', '/mfa/status', { token })).body.enabled).toBe(true);

    await setPolicy({ require_mfa: 'off', roles: [] });
    const fresh = await loginWithTotp(t, email, secret);
    expect((await call(t.app, 'POST', '/mfa/disable', { token: fresh, body: {} })).status).toBe(204);
    expect((await call(t.app, 'GET', '/mfa/status', { token: fresh })).body.enabled).toBe(false);
  });
});
