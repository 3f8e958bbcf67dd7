/**
 * Policy enforcement for a user without a second factor: inside the grace period login says
 * `enroll_by` and the session is a full one; after it, login returns an enrolment-only session
 * (`mfa_enrollment_required: true`) that every route outside enrolment refuses with 403
 * policy_violation (checked against every route of the generated OpenAPI document); enrolling
 * turns that session into a full one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, totp } from '../../src/core/otp/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call } from '../helpers/http.js';
import { freshEmail, givenAccount, login, putPolicyDirectly } from './admin-fixtures.js';

const DAY = 86_400_000;

/** Routes that take no session at all (sign-in steps, recovery). */
const PUBLIC = new Set([
  'POST /auth/register',
  'POST /auth/login',
  'POST /auth/mfa/verify',
  'POST /auth/mfa/challenge',
  'POST /auth/mfa/webauthn/options',
  'POST /auth/passkey/options',
  'POST /auth/passkey/verify',
  'POST /auth/token/refresh',
  'POST /auth/password/forgot',
  'POST /auth/password/reset',
]);

/** What the enrolment-only session may reach (issue #6): enrolment, and seeing oneself out. */
const ENROLMENT = [
  /^GET \/mfa\/status$/,
  /^POST \/mfa\/totp\//,
  /^POST \/mfa\/webauthn\/register\//,
  /^POST \/mfa\/email\//,
  /^POST \/mfa\/sms\//,
  /^POST \/auth\/logout$/,
  /^GET \/auth\/sessions$/,
  /^GET \/me$/,
];

interface Route {
  method: string;
  path: string;
  key: string;
  body?: unknown;
}

type Schema = { type?: string; enum?: unknown[]; format?: string; minLength?: number; minimum?: number; properties?: Record<string, Schema>; required?: string[]; anyOf?: Schema[]; description?: string };

/** The smallest value the schema accepts, so validation (which runs before the guard) passes. */
function sample(s: Schema, name = ''): unknown {
  if (s.enum) return s.enum[0];
  if (s.anyOf) return sample(s.anyOf.find((x) => x.type !== 'null') ?? s.anyOf[0], name);
  switch (s.type) {
    case 'object':
      return Object.fromEntries((s.required ?? []).map((k) => [k, sample(s.properties?.[k] ?? {}, k)]));
    case 'string':
      if (s.format === 'email') return 'someone@example.com';
      if (/phone/.test(name)) return '+14155552671';
      if (/code/.test(name)) return '123456';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default:
      return {};
  }
}

let t: TestApp;
let routes: Route[];

beforeAll(async () => {
  t = await startTestApp();
  const doc = (await call(t.app, 'GET', '/openapi.json')).body;
  routes = [];
  for (const [full, ops] of Object.entries<Record<string, any>>(doc.paths)) {
    if (!full.startsWith('/api/v1/')) continue;
    for (const [m, op] of Object.entries<any>(ops)) {
      const path = full.replace(/^\/api\/v1/, '');
      const schema: Schema | undefined = op.requestBody?.content?.['application/json']?.schema;
      // Bodies that may be left out (step-up within its window) are; others get a minimal valid one.
      const body = schema && !schema.anyOf ? sample(schema) : undefined;
      routes.push({ method: m.toUpperCase(), path, key: `${m.toUpperCase()} ${path}`, body });
    }
  }
});
afterAll(async () => t?.close());

const send = (r: Route, token?: string) =>
  call(t.app, r.method as 'GET', r.path.replace('{id}', '00000000-0000-4000-8000-000000000000'), { token, body: r.body });
const isEnrolment = (r: Route) => ENROLMENT.some((re) => re.test(r.key));

describe('the route table', () => {
  it('every route but the public ones needs a session (401 without one)', async () => {
    expect(routes.length).toBeGreaterThan(30);
    for (const r of routes.filter((x) => !PUBLIC.has(x.key))) {
      const res = await send(r);
      expect([res.status, res.body.code], `${r.key} ${JSON.stringify(r.body)}: ${JSON.stringify(res.body)}`).toEqual([401, 'unauthenticated']);
    }
  });
});

describe('a user policy requires to use MFA, who has none', () => {
  it('inside the grace period: login succeeds with enroll_by, and the session is a full one', async () => {
    await putPolicyDirectly(t, { require_mfa: 'all', grace_period_days: 7 });
    const email = freshEmail('grace');
    await givenAccount(t, email);
    const first = t.clock.now();
    const res = await login(t, email);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mfa_required: false, enroll_by: new Date(first + 7 * DAY).toISOString() });
    expect(res.body.mfa_enrollment_required).toBeUndefined();
    const token = res.body.access_token;
    expect((await call(t.app, 'GET', '/mfa/trusted-devices', { token })).status).toBe(200);
    expect((await call(t.app, 'GET', '/me/security-events', { token })).status).toBe(200);
    // A day later the deadline has not moved.
    t.clock.advance(DAY);
    expect((await login(t, email)).body.enroll_by).toBe(new Date(first + 7 * DAY).toISOString());
  });

  it('a session begun inside the grace period is restricted once the deadline passes', async () => {
    await putPolicyDirectly(t, { require_mfa: 'all', grace_period_days: 7 });
    const email = freshEmail('outlives');
    await givenAccount(t, email);
    const res = await login(t, email);
    expect(res.body.enroll_by).toBeDefined();
    expect((await call(t.app, 'GET', '/me/security-events', { token: res.body.access_token })).status).toBe(200);
    t.clock.advance(7 * DAY + 1000);
    const refreshed = await call(t.app, 'POST', '/auth/token/refresh', { body: { refresh_token: res.body.refresh_token } });
    const token = refreshed.body.access_token;
    const out = await call(t.app, 'GET', '/me/security-events', { token });
    expect([out.status, out.body.code]).toEqual([403, 'policy_violation']);
    expect((await call(t.app, 'GET', '/mfa/status', { token })).status).toBe(200);
  });

  it('after the deadline: an enrolment-only session, refused everywhere but enrolment (403 policy_violation)', async () => {
    await putPolicyDirectly(t, { require_mfa: 'all', grace_period_days: 7 });
    const email = freshEmail('late');
    await givenAccount(t, email);
    const started = t.clock.now();
    await login(t, email);
    t.clock.advance(7 * DAY);
    const res = await login(t, email);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mfa_required: false, mfa_enrollment_required: true, enroll_by: new Date(started + 7 * DAY).toISOString() });
    const token = res.body.access_token;
    expect((await call(t.app, 'GET', '/me', { token })).body.enrollment_only).toBe(true);

    const refused = routes.filter((r) => !PUBLIC.has(r.key) && !isEnrolment(r));
    expect(refused.map((r) => r.key)).toEqual(expect.arrayContaining(['GET /mfa/trusted-devices', 'GET /me/security-events', 'DELETE /mfa/methods/{id}', 'PATCH /mfa/methods/{id}', 'POST /mfa/disable', 'POST /mfa/backup-codes/regenerate', 'DELETE /auth/sessions/{id}', 'POST /auth/password/change', 'POST /mfa/step-up', 'GET /admin/users']));
    for (const r of refused) {
      const out = await send(r, token);
      expect([out.status, out.body.code], `${r.key}: ${JSON.stringify(out.body)}`).toEqual([403, 'policy_violation']);
    }
    // Enrolment stays open (logout last: it ends the session).
    const allowed = routes.filter(isEnrolment).sort((a, b) => Number(a.key === 'POST /auth/logout') - Number(b.key === 'POST /auth/logout'));
    expect(allowed.map((r) => r.key)).toEqual(expect.arrayContaining(['GET /mfa/status', 'POST /mfa/totp/setup', 'POST /mfa/totp/verify', 'GET /auth/sessions', 'GET /me', 'POST /auth/logout']));
    for (const r of allowed) {
      const out = await send(r, token);
      expect(out.body?.code, `${r.key}: ${JSON.stringify(out.body)}`).not.toBe('policy_violation');
      expect(out.body?.code, r.key).not.toBe('unauthenticated');
    }
  });

  it('the refreshed token is as restricted, and enrolling makes the session a full one', async () => {
    await putPolicyDirectly(t, { require_mfa: 'all', grace_period_days: 0 });
    const email = freshEmail('enrols');
    await givenAccount(t, email);
    const res = await login(t, email);
    expect(res.body.mfa_enrollment_required).toBe(true);
    const refreshed = await call(t.app, 'POST', '/auth/token/refresh', { body: { refresh_token: res.body.refresh_token } });
    expect(refreshed.status).toBe(200);
    const token = refreshed.body.access_token;
    expect((await call(t.app, 'GET', '/mfa/trusted-devices', { token })).body.code).toBe('policy_violation');

    const setup = await call(t.app, 'POST', '/mfa/totp/setup', { token, body: {} });
    const code = totp(base32Decode(setup.body.secret), t.clock.now());
    const verified = await call(t.app, 'POST', '/mfa/totp/verify', { token, body: { enrollment_id: setup.body.enrollment_id, code } });
    expect(verified.status).toBe(200);
    expect(verified.body.backup_codes).toHaveLength(10);
    expect((await call(t.app, 'GET', '/mfa/trusted-devices', { token })).status).toBe(200);
    expect((await call(t.app, 'GET', '/me', { token })).body.enrollment_only).toBe(false);
    // And from now on login asks for the second factor.
    expect((await login(t, email)).body.mfa_required).toBe(true);
  });

  it('a user the policy does not cover is never restricted', async () => {
    await putPolicyDirectly(t, { require_mfa: 'roles', roles: ['finance'], grace_period_days: 0 });
    const email = freshEmail('free');
    await givenAccount(t, email, ['staff']);
    const res = await login(t, email);
    expect(res.body.mfa_enrollment_required).toBeUndefined();
    expect(res.body.enroll_by).toBeUndefined();
    expect((await call(t.app, 'GET', '/mfa/trusted-devices', { token: res.body.access_token })).status).toBe(200);
  });
});
