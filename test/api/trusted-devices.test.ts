/**
 * Trusted devices (API.md "trusted device", issue #5): `trust_device: true` at the second step
 * issues an `id.secret` token, stored hashed, valid `trusted_device_days`, bound to its user;
 * presenting it skips the second factor; it can be listed and revoked, and it is revoked by a
 * password change or reset, MFA disable and an admin MFA reset. Anything else presented is
 * ignored (the second factor is asked) and audited as `device.rejected`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetMfa } from '../../src/core/mfa/manage.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, STRONG, type Res } from '../helpers/http.js';
import { claimsOf, deliveredMail, eventsOf } from '../helpers/mfa.js';
import { loginOptions, passwordStep, setPolicy, userWithKey, type KeyUser } from '../helpers/webauthn-api.js';

const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const FIREFOX_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0';
const DAY_MS = 86_400_000;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const store = () => t.composed.deps.core.store;

/** The second step with the user's key, asking to trust this browser. */
async function verifyTrusting(u: KeyUser, opts: { userAgent?: string; headers?: Record<string, string>; trust?: boolean } = {}): Promise<Res> {
  const mfa_token = await passwordStep(t, u.email);
  const options = (await loginOptions(t, mfa_token)).body;
  return call(t.app, 'POST', '/auth/mfa/verify', {
    body: { mfa_token, method: 'webauthn', credential: u.auth.get(options), trust_device: opts.trust ?? true },
    headers: { 'user-agent': opts.userAgent ?? CHROME_LINUX, ...opts.headers },
  });
}

/** A user with a key and one trusted browser: answers its device token. */
async function trusted(prefix = 'dev'): Promise<KeyUser & { deviceToken: string; deviceId: string }> {
  const u = await userWithKey(t, { prefix });
  const res = await verifyTrusting(u);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { ...u, deviceToken: res.body.device_token, deviceId: res.body.device_token.split('.')[0] };
}

const loginWithDevice = (email: string, device_token: string) => call(t.app, 'POST', '/auth/login', { body: { email, password: STRONG, device_token } });
const rejections = async (userId: string) => (await eventsOf(t, userId)).filter((e) => e.type === 'device.rejected');

/** Asked for the second factor, and the presented token audited as rejected. */
async function expectAskedAndAudited(u: { email: string; userId: string }, token: string): Promise<void> {
  const before = (await rejections(u.userId)).length;
  const res = await loginWithDevice(u.email, token);
  expect(res.status).toBe(200);
  expect(res.body.mfa_required).toBe(true);
  expect(res.body.access_token).toBeUndefined();
  expect((await rejections(u.userId)).length).toBe(before + 1);
}

describe('trusting a device', () => {
  it('trust_device: true returns an id.secret token; the row holds only a hash, 30 days, this user', async () => {
    const u = await userWithKey(t);
    const res = await verifyTrusting(u);
    expect(res.status).toBe(200);
    const token: string = res.body.device_token;
    expect(token).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    const [id, secret] = token.split('.');
    const row = await store().trustedDevices.byId(id);
    expect(row).toMatchObject({ userId: u.userId, name: 'Chrome on Linux', userAgent: CHROME_LINUX, revokedAt: null });
    expect(row!.expiresAt - row!.createdAt).toBe(30 * DAY_MS);
    expect(row!.secretHash).not.toContain(secret);
    expect(row!.secretHash).toBe(t.composed.deps.core.secrets.hash('trusted_device', secret));
    expect((await eventsOf(t, u.userId)).some((e) => e.type === 'device.trusted' && e.details.device_id === id)).toBe(true);
    expect(JSON.stringify(await eventsOf(t, u.userId))).not.toContain(secret);
  });

  it('without trust_device there is no device token', async () => {
    const u = await userWithKey(t);
    const res = await verifyTrusting(u, { trust: false });
    expect(res.status).toBe(200);
    expect(res.body.device_token).toBeUndefined();
    expect(await store().trustedDevices.listLive(u.userId, t.clock.now())).toEqual([]);
  });

  it('lasts as long as policy says (trusted_device_days)', async () => {
    await setPolicy(t, { trusted_device_days: 7 });
    try {
      const u = await trusted();
      const row = await store().trustedDevices.byId(u.deviceId);
      expect(row!.expiresAt - row!.createdAt).toBe(7 * DAY_MS);
    } finally {
      await setPolicy(t, { trusted_device_days: 30 });
    }
  });

  it('a login presenting it skips the second factor: amr pwd+device', async () => {
    const u = await trusted();
    t.clock.advance(60_000);
    const res = await loginWithDevice(u.email, u.deviceToken);
    expect(res.status).toBe(200);
    expect(res.body.mfa_required).toBe(false);
    const claims = claimsOf(res.body.access_token);
    expect(claims.amr).toEqual(['pwd', 'device']);
    expect(claims.acr).toBe('aal1');
    expect((await store().trustedDevices.byId(u.deviceId))!.lastUsedAt).toBe(t.clock.now());
    const ok = (await eventsOf(t, u.userId)).filter((e) => e.type === 'login.succeeded').at(-1)!;
    expect(ok.details.amr).toEqual(['pwd', 'device']);
  });

  it('the wrong password is still the wrong password', async () => {
    const u = await trusted();
    const res = await call(t.app, 'POST', '/auth/login', { body: { email: u.email, password: 'not the password', device_token: u.deviceToken } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_credentials');
  });
});

describe('tokens that do not count', () => {
  it("another user's token: the second factor is asked and the attempt audited; the owner's token still works", async () => {
    const owner = await trusted('owner');
    const other = await userWithKey(t, { prefix: 'other' });
    await expectAskedAndAudited(other, owner.deviceToken);
    expect((await rejections(other.userId)).at(-1)!.details.device_id).toBe(owner.deviceId);
    expect((await loginWithDevice(owner.email, owner.deviceToken)).body.mfa_required).toBe(false);
  });

  it('a tampered or malformed token', async () => {
    const u = await trusted();
    const [id, secret] = u.deviceToken.split('.');
    const flipped = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    await expectAskedAndAudited(u, `${id}.${flipped}`);
    await expectAskedAndAudited(u, `00000000-0000-4000-8000-000000000000.${secret}`);
    await expectAskedAndAudited(u, 'garbage');
    expect((await call(t.app, 'POST', '/auth/login', { body: { email: u.email, password: STRONG, device_token: 'x'.repeat(201) } })).status).toBe(400);
  });

  it('an expired token', async () => {
    const u = await trusted();
    t.clock.advance(30 * DAY_MS);
    await expectAskedAndAudited(u, u.deviceToken);
  });

  it('a revoked token', async () => {
    const u = await trusted();
    await store().trustedDevices.revoke(u.deviceId, u.userId, t.clock.now());
    await expectAskedAndAudited(u, u.deviceToken);
  });
});

describe('listing and revoking', () => {
  it('lists name (from the user agent), created, last used, IP, expiry; only the caller\'s', async () => {
    const u = await trusted();
    await verifyTrusting(u, { userAgent: FIREFOX_MAC });
    const someoneElse = await trusted('else');
    const res = await call(t.app, 'GET', '/mfa/trusted-devices', { token: u.access });
    expect(res.status).toBe(200);
    expect(res.body.devices).toHaveLength(2);
    expect(res.body.devices.map((d: { name: string }) => d.name).sort()).toEqual(['Chrome on Linux', 'Firefox on macOS']);
    const chrome = res.body.devices.find((d: { id: string }) => d.id === u.deviceId);
    expect(chrome).toEqual({
      id: u.deviceId,
      name: 'Chrome on Linux',
      created_at: expect.any(String),
      last_used_at: expect.any(String),
      expires_at: new Date(Date.parse(chrome.created_at) + 30 * DAY_MS).toISOString(),
      ip: '127.0.0.1',
      user_agent: CHROME_LINUX,
    });
    expect(res.body.devices.some((d: { id: string }) => d.id === someoneElse.deviceId)).toBe(false);
    expect((await call(t.app, 'GET', '/mfa/trusted-devices')).status).toBe(401);
  });

  it('revokes one (only one\'s own, only once), or all', async () => {
    const u = await trusted();
    const second = await verifyTrusting(u, { userAgent: FIREFOX_MAC });
    const other = await trusted('other');
    expect((await call(t.app, 'DELETE', `/mfa/trusted-devices/${other.deviceId}`, { token: u.access })).status).toBe(404);
    expect((await call(t.app, 'DELETE', `/mfa/trusted-devices/${u.deviceId}`, { token: u.access })).status).toBe(204);
    expect((await call(t.app, 'DELETE', `/mfa/trusted-devices/${u.deviceId}`, { token: u.access })).status).toBe(404);
    await expectAskedAndAudited(u, u.deviceToken);
    expect((await loginWithDevice(u.email, second.body.device_token)).body.mfa_required).toBe(false);

    expect((await call(t.app, 'DELETE', '/mfa/trusted-devices', { token: u.access })).status).toBe(204);
    await expectAskedAndAudited(u, second.body.device_token);
    expect((await call(t.app, 'GET', '/mfa/trusted-devices', { token: u.access })).body.devices).toEqual([]);
    expect((await loginWithDevice(other.email, other.deviceToken)).body.mfa_required).toBe(false);
    expect((await eventsOf(t, u.userId)).filter((e) => e.type === 'device.revoked')).toHaveLength(2);
  });
});

describe('revoked automatically', () => {
  it('on a password change', async () => {
    const u = await trusted();
    const res = await call(t.app, 'POST', '/auth/password/change', { token: u.access, body: { current_password: STRONG, new_password: STRONG + ' two' } });
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    const login = await call(t.app, 'POST', '/auth/login', { body: { email: u.email, password: STRONG + ' two', device_token: u.deviceToken } });
    expect(login.body.mfa_required).toBe(true);
    expect((await eventsOf(t, u.userId)).some((e) => e.type === 'device.revoked' && e.details.reason === 'password_change')).toBe(true);
  });

  it('on a password reset', async () => {
    const u = await trusted();
    expect((await call(t.app, 'POST', '/auth/password/forgot', { body: { email: u.email } })).status).toBe(202);
    const mail = await deliveredMail(t);
    const links = [...mail.matchAll(/reset-password\?token=([^\s"<&]+)/g)].map((m) => decodeURIComponent(m[1]));
    const token = links.at(-1)!;
    const res = await call(t.app, 'POST', '/auth/password/reset', { body: { token, new_password: STRONG + ' reset' } });
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    const login = await call(t.app, 'POST', '/auth/login', { body: { email: u.email, password: STRONG + ' reset', device_token: u.deviceToken } });
    expect(login.body.mfa_required).toBe(true);
  });

  it('when MFA is disabled', async () => {
    const u = await trusted();
    const res = await call(t.app, 'POST', '/mfa/disable', { token: u.access, body: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    expect(await store().trustedDevices.listLive(u.userId, t.clock.now())).toEqual([]);
    expect((await store().trustedDevices.byId(u.deviceId))!.revokedAt).not.toBeNull();
  });

  it('by an admin MFA reset', async () => {
    const u = await trusted();
    const user = (await store().users.byId(u.userId))!;
    await resetMfa(t.composed.deps.core, user, null, 'lost phone', { now: t.clock.now(), ip: null, userAgent: null });
    expect(await store().trustedDevices.listLive(u.userId, t.clock.now())).toEqual([]);
    expect((await eventsOf(t, u.userId)).some((e) => e.type === 'device.revoked' && e.details.reason === 'admin_reset')).toBe(true);
  });
});

describe('cookie mode (docs/browser-session.md)', () => {
  it('the device token goes into the twofold_device cookie, and login reads it back', async () => {
    const u = await userWithKey(t);
    const res = await verifyTrusting(u, { headers: { 'x-twofold-session': 'cookie' } });
    expect(res.status).toBe(200);
    expect(res.body.device_token).toBeUndefined();
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] as string[]);
    const device = cookies.find((c) => c.startsWith('twofold_device='))!;
    expect(device).toBeDefined();
    expect(device).toMatch(/HttpOnly/i);
    expect(device).toMatch(/SameSite=Strict/i);
    expect(device).toMatch(/Path=\/api\/v1\/auth(;|$)/);
    expect(device).toMatch(new RegExp(`Max-Age=${30 * 86_400}`));
    const value = device.split(';')[0].slice('twofold_device='.length);

    const login = await call(t.app, 'POST', '/auth/login', {
      body: { email: u.email, password: STRONG },
      headers: { 'x-twofold-session': 'cookie', cookie: `twofold_device=${value}` },
    });
    expect(login.body.mfa_required).toBe(false);
    // Without cookie mode the cookie is not read: an integrator sends device_token itself.
    const bearer = await call(t.app, 'POST', '/auth/login', { body: { email: u.email, password: STRONG }, headers: { cookie: `twofold_device=${value}` } });
    expect(bearer.body.mfa_required).toBe(true);
  });
});
