/**
 * The users API of the administration: search with cursor pagination, creation, role and
 * disabled changes (disable ends sessions at once; the last admin cannot go), and the MFA
 * reset that takes every factor, backup code, trusted device and session away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, STRONG } from '../helpers/http.js';
import { enrolTotp, freshEmail, givenAccount, login, loginWithTotp, mailsTo, nextTotp, sessionOf } from './admin-fixtures.js';

let t: TestApp;
let admin: string;
let adminId: string;

beforeAll(async () => {
  t = await startTestApp({ env: { TWOFOLD_OPEN_REGISTRATION: 'false' } });
  const email = freshEmail('admin');
  adminId = await givenAccount(t, email, ['admin']);
  admin = await sessionOf(t, email);
});
afterAll(async () => t?.close());

describe('GET /admin/users', () => {
  it('searches by email or name, pages with a cursor, and shows each user with its kinds of factor', async () => {
    const tag = `srch${Date.now() % 100000}`;
    const emails = [0, 1, 2, 3, 4].map((i) => `${tag}-${i}@example.com`);
    for (const e of emails) {
      await givenAccount(t, e, e.endsWith('1@example.com') ? ['finance'] : []);
      t.clock.advance(1000);
    }
    const withTotp = emails[2];
    await enrolTotp(t, await sessionOf(t, withTotp));

    const seen: any[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/admin/users?query=${tag.toUpperCase()}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await call(t.app, 'GET', q, { token: admin });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      seen.push(...res.body.users);
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((u) => u.email)).toEqual(emails);
    expect(seen[1]).toMatchObject({ roles: ['finance'], mfa_enabled: false, methods: [], disabled: false, last_login_at: null });
    expect(seen[2]).toMatchObject({ mfa_enabled: true, methods: ['totp'] });
    expect(seen[2].last_login_at).toMatch(/Z$/);
    expect(Object.keys(seen[0]).sort()).toEqual(['created_at', 'disabled', 'email', 'id', 'last_login_at', 'methods', 'mfa_enabled', 'name', 'roles']);
  });

  it('validates the query', async () => {
    for (const [q, field] of [['limit=0', 'limit'], ['limit=101', 'limit'], [`query=${'x'.repeat(255)}`, 'query'], ['page=2', '']] as const) {
      const res = await call(t.app, 'GET', `/admin/users?${q}`, { token: admin });
      expect(res.status, q).toBe(400);
      if (field) expect(res.body.field, q).toBe(field);
    }
  });
});

describe('POST /admin/users', () => {
  it('creates an account even with open registration off, with roles; 409 for an existing email', async () => {
    const email = freshEmail('made');
    expect((await call(t.app, 'POST', '/auth/register', { body: { email, password: STRONG } })).status).toBe(403);
    const res = await call(t.app, 'POST', '/admin/users', { token: admin, body: { email, password: STRONG, roles: ['finance', 'finance'] } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const made = await login(t, email);
    expect(made.body.user).toMatchObject({ id: res.body.user_id, roles: ['finance'] });
    const again = await call(t.app, 'POST', '/admin/users', { token: admin, body: { email: email.toUpperCase() } });
    expect([again.status, again.body.code]).toEqual([409, 'conflict']);
    const trail = await call(t.app, 'GET', `/admin/audit?type=user.created&user_id=${res.body.user_id}`, { token: admin });
    expect(trail.body.events[0]).toMatchObject({ actor_id: adminId, details: { roles: ['finance'] } });
  });

  it('without a password the account cannot sign in until a reset', async () => {
    const email = freshEmail('nopass');
    expect((await call(t.app, 'POST', '/admin/users', { token: admin, body: { email } })).status).toBe(201);
    expect((await login(t, email)).status).toBe(401);
  });

  it.each([
    ['a bad email', { email: 'nope' }, 'email'],
    ['a weak password', { email: 'weak@example.com', password: 'password123' }, 'password'],
    ['a bad role', { email: 'role@example.com', roles: ['has space'] }, 'roles.0'],
    ['an unknown field', { email: 'x@example.com', disabled: true }, ''],
  ])('answers 400 naming the field: %s', async (_l, body, field) => {
    const res = await call(t.app, 'POST', '/admin/users', { token: admin, body });
    expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
    if (field) expect(res.body.field).toBe(field);
  });
});

describe('PATCH /admin/users/{id}', () => {
  it('changes roles and answers the user', async () => {
    const id = await givenAccount(t, freshEmail('roles'));
    const res = await call(t.app, 'PATCH', `/admin/users/${id}`, { token: admin, body: { roles: ['ops', 'finance'] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, roles: ['ops', 'finance'], disabled: false });
    const trail = await call(t.app, 'GET', `/admin/audit?type=user.updated&user_id=${id}`, { token: admin });
    expect(trail.body.events[0]).toMatchObject({ actor_id: adminId, details: { changes: { roles: { old: [], new: ['ops', 'finance'] } } } });
  });

  it('disabling ends every session at once and refuses login; enabling lets them back', async () => {
    const email = freshEmail('disable');
    const id = await givenAccount(t, email);
    const token = await sessionOf(t, email);
    const refresh = (await login(t, email)).body.refresh_token;
    const res = await call(t.app, 'PATCH', `/admin/users/${id}`, { token: admin, body: { disabled: true } });
    expect(res.body.disabled).toBe(true);
    expect((await call(t.app, 'GET', '/me', { token })).status).toBe(401);
    expect((await call(t.app, 'POST', '/auth/token/refresh', { body: { refresh_token: refresh } })).status).toBe(401);
    expect((await login(t, email)).status).toBe(403);
    expect((await call(t.app, 'PATCH', `/admin/users/${id}`, { token: admin, body: { disabled: false } })).body.disabled).toBe(false);
    expect((await login(t, email)).status).toBe(200);
  });

  it('an unknown user is 404', async () => {
    const res = await call(t.app, 'PATCH', '/admin/users/00000000-0000-4000-8000-000000000000', { token: admin, body: { disabled: true } });
    expect([res.status, res.body.code]).toEqual([404, 'not_found']);
  });

  it('the last enabled admin cannot demote or disable themselves (409); with another admin they can', async () => {
    // A file of its own: this app's other admin would otherwise be the spare.
    const solo = await startTestApp();
    try {
      const email = freshEmail('solo');
      const id = await givenAccount(solo, email, ['admin', 'ops']);
      const token = await sessionOf(solo, email);
      const demote = await call(solo.app, 'PATCH', `/admin/users/${id}`, { token, body: { roles: ['ops'] } });
      expect([demote.status, demote.body.code]).toEqual([409, 'conflict']);
      const disable = await call(solo.app, 'PATCH', `/admin/users/${id}`, { token, body: { disabled: true } });
      expect([disable.status, disable.body.code]).toEqual([409, 'conflict']);
      // A disabled admin does not count.
      const other = await givenAccount(solo, freshEmail('second'), ['admin']);
      await solo.composed.deps.core.store.users.update(other, { disabled: true });
      expect((await call(solo.app, 'PATCH', `/admin/users/${id}`, { token, body: { roles: ['ops'] } })).status).toBe(409);
      await solo.composed.deps.core.store.users.update(other, { disabled: false });
      const ok = await call(solo.app, 'PATCH', `/admin/users/${id}`, { token, body: { roles: ['ops'] } });
      expect([ok.status, ok.body.roles]).toEqual([200, ['ops']]);
      // No longer an admin: the same token is refused at once.
      expect((await call(solo.app, 'GET', '/admin/users', { token })).status).toBe(403);
    } finally {
      await solo.close();
    }
  });
});

describe('POST /admin/users/{id}/mfa/reset', () => {
  it('removes every factor, backup code, trusted device and session, mails the user, audits the admin', async () => {
    const email = freshEmail('reset');
    const id = await givenAccount(t, email);
    const secret = await enrolTotp(t, await sessionOf(t, email));
    const first = await login(t, email);
    const trusted = await call(t.app, 'POST', '/auth/mfa/verify', { body: { mfa_token: first.body.mfa_token, method: 'totp', code: nextTotp(t, secret), trust_device: true } });
    expect(trusted.body.device_token).toBeDefined();
    const token = await loginWithTotp(t, email, secret);

    const res = await call(t.app, 'POST', `/admin/users/${id}/mfa/reset`, { token: admin, body: { reason: 'lost their phone' } });
    expect(res.status).toBe(204);
    expect((await call(t.app, 'GET', '/me', { token })).status).toBe(401);
    expect((await call(t.app, 'GET', '/me', { token: trusted.body.access_token })).status).toBe(401);
    const core = t.composed.deps.core;
    expect(await core.store.methods.listForUser(id)).toEqual([]);
    expect(await core.store.backupCodes.remaining(id)).toBe(0);
    expect(await core.store.trustedDevices.listLive(id, t.clock.now())).toEqual([]);
    // The device token no longer skips anything, and login has no second step.
    const after = await call(t.app, 'POST', '/auth/login', { body: { email, password: STRONG, device_token: trusted.body.device_token } });
    expect(after.body.mfa_required).toBe(false);
    const listed = await call(t.app, 'GET', `/admin/users?query=${encodeURIComponent(email)}`, { token: admin });
    expect(listed.body.users[0]).toMatchObject({ mfa_enabled: false, methods: [] });
    const mails = await mailsTo(t, email);
    expect(mails.some((m) => m.includes('An administrator reset two-step verification') && m.includes('lost their phone'))).toBe(true);
    const trail = await call(t.app, 'GET', `/admin/audit?type=admin.mfa_reset&user_id=${id}`, { token: admin });
    expect(trail.body.events[0]).toMatchObject({ actor_id: adminId, user_id: id, details: { reason: 'lost their phone', methods_removed: 1 } });
  });

  it.each([
    ['no reason', {}, 'reason'],
    ['an empty reason', { reason: '   ' }, 'reason'],
    ['a reason over 500 characters', { reason: 'x'.repeat(501) }, 'reason'],
  ])('answers 400 for %s', async (_l, body, field) => {
    const id = await givenAccount(t, freshEmail('r'));
    const res = await call(t.app, 'POST', `/admin/users/${id}/mfa/reset`, { token: admin, body });
    expect([res.status, res.body.code, res.body.field]).toEqual([400, 'validation_failed', field]);
  });

  it('an unknown user is 404', async () => {
    const res = await call(t.app, 'POST', '/admin/users/00000000-0000-4000-8000-000000000000/mfa/reset', { token: admin, body: { reason: 'x' } });
    expect(res.status).toBe(404);
  });
});
