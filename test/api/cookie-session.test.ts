import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, STRONG } from '../helpers/http.js';

/** docs/browser-session.md: tokens in httpOnly cookies, double-submit CSRF. */
let t: TestApp;
const COOKIE_MODE = { 'x-twofold-session': 'cookie' };

function cookiesOf(setCookie: string | string[] | undefined): Record<string, { value: string; attrs: string }> {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return Object.fromEntries(
    list.map((c) => {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      return [pair.slice(0, i), { value: pair.slice(i + 1), attrs: attrs.join(';').trim() }];
    }),
  );
}

beforeAll(async () => {
  t = await startTestApp();
  await call(t.app, 'POST', '/auth/register', { body: { email: 'browser@example.com', password: STRONG } });
});
afterAll(async () => t?.close());

async function browserLogin() {
  const res = await call(t.app, 'POST', '/auth/login', { body: { email: 'browser@example.com', password: STRONG }, headers: COOKIE_MODE });
  expect(res.status).toBe(200);
  return { res, jar: cookiesOf(res.headers['set-cookie']) };
}

describe('cookie mode', () => {
  it('puts the tokens in httpOnly SameSite=Strict cookies and out of the body', async () => {
    const { res, jar } = await browserLogin();
    expect(res.body.access_token).toBeUndefined();
    expect(res.body.refresh_token).toBeUndefined();
    expect(res.body.user.email).toBe('browser@example.com');
    expect(jar.twofold_at.attrs).toMatch(/HttpOnly/i);
    expect(jar.twofold_at.attrs).toMatch(/SameSite=Strict/i);
    expect(jar.twofold_rt.attrs).toMatch(/Path=\/api\/v1\/auth\/token/);
    expect(jar.twofold_rt.attrs).toMatch(/HttpOnly/i);
    expect(jar.twofold_csrf.attrs).not.toMatch(/HttpOnly/i);
  });

  it('authenticates GETs by cookie and requires the CSRF header on state changes', async () => {
    const { jar } = await browserLogin();
    const cookie = `twofold_at=${jar.twofold_at.value}; twofold_csrf=${jar.twofold_csrf.value}`;
    expect((await call(t.app, 'GET', '/auth/sessions', { headers: { cookie } })).status).toBe(200);
    const noCsrf = await call(t.app, 'POST', '/mfa/totp/setup', { headers: { cookie }, body: {} });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.code).toBe('forbidden');
    const wrongCsrf = await call(t.app, 'POST', '/mfa/totp/setup', { headers: { cookie, 'x-csrf-token': 'nope' }, body: {} });
    expect(wrongCsrf.status).toBe(403);
    const ok = await call(t.app, 'POST', '/mfa/totp/setup', { headers: { cookie, 'x-csrf-token': jar.twofold_csrf.value }, body: {} });
    expect(ok.status).toBe(200);
  });

  it('refreshes from the cookie and logout clears the cookies and the session', async () => {
    const { jar } = await browserLogin();
    const refreshed = await call(t.app, 'POST', '/auth/token/refresh', { headers: { ...COOKIE_MODE, cookie: `twofold_rt=${jar.twofold_rt.value}` }, body: {} });
    expect(refreshed.status).toBe(200);
    const jar2 = cookiesOf(refreshed.headers['set-cookie']);
    expect(jar2.twofold_rt.value).not.toBe(jar.twofold_rt.value);
    const cookie = `twofold_at=${jar2.twofold_at.value}; twofold_csrf=${jar2.twofold_csrf.value}`;
    const out = await call(t.app, 'POST', '/auth/logout', { headers: { ...COOKIE_MODE, cookie, 'x-csrf-token': jar2.twofold_csrf.value }, body: {} });
    expect(out.status).toBe(204);
    const cleared = cookiesOf(out.headers['set-cookie']);
    expect(cleared.twofold_at.value).toBe('');
    expect((await call(t.app, 'GET', '/auth/sessions', { headers: { cookie } })).status).toBe(401);
  });

  it('a bearer request ignores the CSRF rule (a browser never attaches one by itself)', async () => {
    const res = await call(t.app, 'POST', '/auth/login', { body: { email: 'browser@example.com', password: STRONG } });
    expect((await call(t.app, 'POST', '/mfa/totp/setup', { token: res.body.access_token, body: {} })).status).toBe(200);
  });
});
