/**
 * Authorization of every admin route (the list comes from the generated OpenAPI document, so
 * a new admin route cannot slip past): 401 without a session or with an MFA-pending token,
 * 403 for a non-admin and for an enrolment-only session, admins let through and audited; and
 * where policy requires MFA of admins, a second factor fresh within step_up_max_age_s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call } from '../helpers/http.js';
import { enrolTotp, freshEmail, givenAccount, givenTotpAdmin, login, nextTotp, putPolicyDirectly, sessionOf } from './admin-fixtures.js';

let t: TestApp;
let target: string;

/** A valid request to each admin route (validation must not answer before the guard does). */
function requestFor(method: string, path: string): { url: string; body?: unknown } {
  const url = path.replace(/^\/api\/v1/, '').replace('{id}', target);
  const bodies: Record<string, unknown> = {
    'POST /admin/users': { email: freshEmail('created') },
    'PATCH /admin/users/{id}': { roles: ['staff'] },
    'POST /admin/users/{id}/mfa/reset': { reason: 'lost phone' },
    'PUT /admin/policy': { grace_period_days: 7 },
  };
  return { url, body: bodies[`${method} ${path.replace(/^\/api\/v1/, '')}`] };
}

async function adminRoutes(): Promise<[string, string][]> {
  const doc = (await call(t.app, 'GET', '/openapi.json')).body;
  const out: [string, string][] = [];
  for (const [path, ops] of Object.entries<Record<string, unknown>>(doc.paths)) {
    if (!path.startsWith('/api/v1/admin')) continue;
    for (const method of Object.keys(ops)) out.push([method.toUpperCase(), path]);
  }
  return out.sort();
}

beforeAll(async () => {
  t = await startTestApp();
  target = await givenAccount(t, freshEmail('target'));
});
afterAll(async () => t?.close());

describe('every admin route', () => {
  it('is one of the eight of API.md', async () => {
    expect((await adminRoutes()).map(([m, p]) => `${m} ${p}`)).toEqual([
      'GET /api/v1/admin/audit',
      'GET /api/v1/admin/policy',
      'GET /api/v1/admin/stats',
      'GET /api/v1/admin/users',
      'PATCH /api/v1/admin/users/{id}',
      'POST /api/v1/admin/users',
      'POST /api/v1/admin/users/{id}/mfa/reset',
      'PUT /api/v1/admin/policy',
    ]);
  });

  it('answers 401 / 403 to everyone but a signed-in admin, and lets the admin through', async () => {
    // Policy `admins` with no grace: an admin without a factor gets an enrolment-only session.
    await putPolicyDirectly(t, { require_mfa: 'admins', grace_period_days: 0 });
    const admin = await givenTotpAdmin(t);
    const plain = freshEmail('plain');
    await givenAccount(t, plain);
    const userToken = await sessionOf(t, plain);
    const enrolOnlyAdmin = freshEmail('newadmin');
    await givenAccount(t, enrolOnlyAdmin, ['admin']);
    const enrolOnly = await login(t, enrolOnlyAdmin);
    expect(enrolOnly.body.mfa_enrollment_required).toBe(true);
    const pendingAdmin = await login(t, admin.email);
    expect(pendingAdmin.body.mfa_required).toBe(true);

    for (const [method, path] of await adminRoutes()) {
      const { url, body } = requestFor(method, path);
      const as = (token?: string) => call(t.app, method as 'GET', url, { token, body });
      const label = `${method} ${path}`;
      const none = await as();
      expect([none.status, none.body.code], label).toEqual([401, 'unauthenticated']);
      const pending = await as(pendingAdmin.body.mfa_token);
      expect([pending.status, pending.body.code], label).toEqual([401, 'unauthenticated']);
      const user = await as(userToken);
      expect([user.status, user.body.code], label).toEqual([403, 'forbidden']);
      const restricted = await as(enrolOnly.body.access_token);
      expect([restricted.status, restricted.body.code], label).toEqual([403, 'policy_violation']);
      const ok = await as(admin.token);
      expect(ok.status, `${label}: ${JSON.stringify(ok.body)}`).toBeLessThan(300);
    }
  });

  it('audits each admin call with the route, the target and the admin as actor', async () => {
    await putPolicyDirectly(t, { require_mfa: 'off' });
    const adminEmail = freshEmail('auditor');
    const adminId = await givenAccount(t, adminEmail, ['admin']);
    const token = await sessionOf(t, adminEmail);
    expect((await call(t.app, 'PATCH', `/admin/users/${target}`, { token, body: { roles: ['ops'] } })).status).toBe(200);
    const bad = await call(t.app, 'PATCH', `/admin/users/${target}`, { token, body: { roles: ['no spaces'] } });
    expect(bad.status).toBe(400);
    const created = await call(t.app, 'POST', '/admin/users', { token, body: { email: freshEmail('made') } });
    expect(created.status).toBe(201);
    const trail = await call(t.app, 'GET', `/admin/audit?type=admin.action&user_id=${adminId}`, { token });
    expect(trail.status).toBe(200);
    // Newest first; the audit read itself is recorded after it answers.
    const entries = trail.body.events.map((e: any) => ({ actor: e.actor_id, ...e.details }));
    expect(entries).toEqual([
      { actor: adminId, route: 'POST /admin/users', target: created.body.user_id, status: 201 },
      { actor: adminId, route: 'PATCH /admin/users/:id', target, status: 400 },
      { actor: adminId, route: 'PATCH /admin/users/:id', target, status: 200 },
    ]);
    const again = await call(t.app, 'GET', `/admin/audit?type=admin.action&user_id=${adminId}&limit=1`, { token });
    expect(again.body.events[0].details).toMatchObject({ route: 'GET /admin/audit', target: null, status: 200 });
  });
});

describe('admin freshness where policy requires MFA of admins', () => {
  it('under "off" an admin without a second factor administers', async () => {
    await putPolicyDirectly(t, { require_mfa: 'off' });
    const email = freshEmail('offadmin');
    await givenAccount(t, email, ['admin']);
    expect((await call(t.app, 'GET', '/admin/stats', { token: await sessionOf(t, email) })).status).toBe(200);
  });

  it.each([
    ['admins', { require_mfa: 'admins' as const }],
    ['roles naming admin', { require_mfa: 'roles' as const, roles: ['admin', 'finance'] }],
    ['all', { require_mfa: 'all' as const }],
  ])('under %s: a stale second factor is 401 step_up_required until POST /mfa/step-up', async (_label, policy) => {
    await putPolicyDirectly(t, { require_mfa: 'off', step_up_max_age_s: 300 });
    const admin = await givenTotpAdmin(t);
    await putPolicyDirectly(t, { ...policy, grace_period_days: 7, step_up_max_age_s: 300 });
    expect((await call(t.app, 'GET', '/admin/policy', { token: admin.token })).status).toBe(200);
    t.clock.advance(301_000);
    const stale = await call(t.app, 'GET', '/admin/policy', { token: admin.token });
    expect([stale.status, stale.body.code]).toEqual([401, 'step_up_required']);
    const wrong = await call(t.app, 'POST', '/mfa/step-up', { token: admin.token, body: { method: 'totp', code: '000000' } });
    expect([wrong.status, wrong.body.code]).toEqual([401, 'invalid_code']);
    const stepped = await call(t.app, 'POST', '/mfa/step-up', { token: admin.token, body: { method: 'totp', code: nextTotp(t, admin.secret) } });
    expect(stepped.status).toBe(204);
    expect((await call(t.app, 'GET', '/admin/policy', { token: admin.token })).status).toBe(200);
  });

  it('under "roles" not naming admin, admins are not held to it', async () => {
    await putPolicyDirectly(t, { require_mfa: 'roles', roles: ['finance'] });
    const email = freshEmail('rolesadmin');
    await givenAccount(t, email, ['admin']);
    expect((await call(t.app, 'GET', '/admin/stats', { token: await sessionOf(t, email) })).status).toBe(200);
  });

  it('an admin signed in on a password alone (in the grace period) must enrol first', async () => {
    await putPolicyDirectly(t, { require_mfa: 'admins', grace_period_days: 7 });
    const email = freshEmail('graceadmin');
    await givenAccount(t, email, ['admin']);
    const res = await login(t, email);
    expect(res.body.enroll_by).toBeDefined();
    const denied = await call(t.app, 'GET', '/admin/users', { token: res.body.access_token });
    expect([denied.status, denied.body.code]).toEqual([401, 'step_up_required']);
    expect(denied.body.detail).toMatch(/set one up/);
    // Enrolling verifies a factor in this session: fresh at once.
    await enrolTotp(t, res.body.access_token);
    expect((await call(t.app, 'GET', '/admin/users', { token: res.body.access_token })).status).toBe(200);
  });

  it('with step_up_max_age_s 0, a step-up still counts for a minute (GET has no body for a proof)', async () => {
    await putPolicyDirectly(t, { require_mfa: 'off' });
    const admin = await givenTotpAdmin(t);
    await putPolicyDirectly(t, { require_mfa: 'admins', step_up_max_age_s: 0 });
    expect((await call(t.app, 'GET', '/admin/stats', { token: admin.token })).status).toBe(200);
    t.clock.advance(61_000);
    expect((await call(t.app, 'GET', '/admin/stats', { token: admin.token })).body.code).toBe('step_up_required');
  });
});

describe('POST /mfa/step-up', () => {
  it('wants a proof, and a full session', async () => {
    await putPolicyDirectly(t, { require_mfa: 'off', step_up_max_age_s: 300 });
    const email = freshEmail('stepper');
    await givenAccount(t, email);
    const token = await sessionOf(t, email);
    const empty = await call(t.app, 'POST', '/mfa/step-up', { token, body: {} });
    expect([empty.status, empty.body.code, empty.body.field]).toEqual([400, 'validation_failed', 'method']);
    const noCode = await call(t.app, 'POST', '/mfa/step-up', { token, body: { method: 'totp' } });
    expect([noCode.status, noCode.body.field]).toEqual([400, 'code']);
    // Without MFA the password is the proof.
    expect((await call(t.app, 'POST', '/mfa/step-up', { token, body: { password: 'wrong password!' } })).body.code).toBe('invalid_credentials');
    expect((await call(t.app, 'POST', '/mfa/step-up', { token, body: { password: 'correct horse battery staple' } })).status).toBe(204);
    expect((await call(t.app, 'POST', '/mfa/step-up', { body: { password: 'x' } })).status).toBe(401);
  });
});
