import { createLocalJWKSet, jwtVerify } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, signUp, STRONG } from '../helpers/http.js';
import { signCompact } from '../../src/server/auth/jws.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('register', () => {
  it('creates an account and refuses a second one with the same email', async () => {
    const a = await call(t.app, 'POST', '/auth/register', { body: { email: 'Reg@Example.com', password: STRONG, name: 'Reg' } });
    expect(a.status).toBe(201);
    expect(a.body.user_id).toMatch(/^[0-9a-f-]{36}$/);
    const b = await call(t.app, 'POST', '/auth/register', { body: { email: 'reg@example.com', password: STRONG } });
    expect(b.status).toBe(409);
    expect(b.body.code).toBe('conflict');
    expect(b.headers['content-type']).toContain('application/problem+json');
  });

  it.each([
    ['short password', { email: 'a1@example.com', password: 'short1' }, 'password'],
    ['common password', { email: 'a2@example.com', password: 'password123' }, 'password'],
    ['password equal to the email', { email: 'samesame@example.com', password: 'samesame@example.com' }, 'password'],
    ['password over 256 characters', { email: 'a3@example.com', password: 'x1'.repeat(129) }, 'password'],
    ['bad email', { email: 'not-an-email', password: STRONG }, 'email'],
    ['missing email', { password: STRONG }, 'email'],
    ['email of the wrong type', { email: 42, password: STRONG }, 'email'],
    ['password of the wrong type', { email: 'a4@example.com', password: ['x'] }, 'password'],
    ['unknown field', { email: 'a5@example.com', password: STRONG, admin: true }, 'body'],
    ['oversized name', { email: 'a6@example.com', password: STRONG, name: 'n'.repeat(101) }, 'name'],
  ])('answers 400 validation_failed naming the field: %s', async (_label, body, field) => {
    const res = await call(t.app, 'POST', '/auth/register', { body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    if (field !== 'body') expect(res.body.field).toBe(field);
    expect(res.body.detail.length).toBeGreaterThan(0);
  });
});

describe('malformed requests never give a 5xx', () => {
  it.each([
    ['bad JSON', '{"email": '],
    ['bad UTF-8', Buffer.from([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ['a JSON array', '[1,2,3]'],
    ['a JSON string', '"hello"'],
    ['null', 'null'],
  ])('%s is a 400 problem', async (_label, raw) => {
    const res = await call(t.app, 'POST', '/auth/login', { raw });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });

  it('a body over 64 KiB is a 400 naming the body', async () => {
    const res = await call(t.app, 'POST', '/auth/login', { body: { email: 'x@example.com', password: 'p'.repeat(70 * 1024) } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.field).toBe('body');
  });

  it('a non-JSON content type is a 400', async () => {
    const res = await call(t.app, 'POST', '/auth/login', { raw: 'email=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });

  it('an unknown route is a problem+json 404', async () => {
    const res = await call(t.app, 'GET', '/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });
});

describe('login', () => {
  beforeAll(async () => {
    await call(t.app, 'POST', '/auth/register', { body: { email: 'login@example.com', password: STRONG } });
  });

  it('answers the token shape when no second factor is needed', async () => {
    const res = await call(t.app, 'POST', '/auth/login', { body: { email: 'LOGIN@example.com', password: STRONG } });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ mfa_required: false, token_type: 'bearer', expires_in: 900, user: { email: 'login@example.com', roles: [] } });
    expect(typeof res.body.access_token).toBe('string');
    expect(typeof res.body.refresh_token).toBe('string');
  });

  it('access tokens are JWTs verifiable with the published JWKS and carry the claims', async () => {
    const res = await call(t.app, 'POST', '/auth/login', { body: { email: 'login@example.com', password: STRONG } });
    const jwks = await call(t.app, 'GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(JSON.stringify(jwks.body)).not.toMatch(/"d"/); // never a private part
    const { payload, protectedHeader } = await jwtVerify(res.body.access_token, createLocalJWKSet(jwks.body), { issuer: t.composed.deps.config.publicUrl, currentDate: new Date(t.clock.now()) });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload.sub).toBe(res.body.user.id);
    expect(typeof payload.sid).toBe('string');
    expect(payload.amr).toEqual(['pwd']);
    expect(payload.acr).toBe('aal1');
    expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(900);
  });

  it('unknown email and wrong password are indistinguishable', async () => {
    const wrong = await call(t.app, 'POST', '/auth/login', { body: { email: 'login@example.com', password: 'wrong password here' } });
    const unknown = await call(t.app, 'POST', '/auth/login', { body: { email: 'nobody@example.com', password: 'wrong password here' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.code).toBe('invalid_credentials');
  });

  it('limits failed logins per account to 10 per 15 minutes, with Retry-After; successes do not count', async () => {
    await call(t.app, 'POST', '/auth/register', { body: { email: 'limited@example.com', password: STRONG } });
    for (let i = 0; i < 5; i++) expect((await call(t.app, 'POST', '/auth/login', { body: { email: 'limited@example.com', password: STRONG } })).status).toBe(200);
    for (let i = 0; i < 10; i++) {
      const res = await call(t.app, 'POST', '/auth/login', { body: { email: 'limited@example.com', password: 'not the password' } });
      expect(res.status).toBe(401);
    }
    const locked = await call(t.app, 'POST', '/auth/login', { body: { email: 'limited@example.com', password: STRONG } });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('rate_limited');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('counts failures per IP address too (30 per 15 minutes)', async () => {
    const headers = { 'x-test': '1' };
    const ip = '203.0.113.9';
    let lastStatus = 0;
    for (let i = 0; i < 31; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify({ email: `ipuser${i}@example.com`, password: 'whatever pass' }) });
      lastStatus = res.statusCode;
    }
    expect(lastStatus).toBe(429);
  });
});

describe('sessions, refresh and logout', () => {
  it('refresh rotates the token; a reused refresh token revokes its session', async () => {
    const u = await signUp(t.app, 'refresh@example.com');
    const r1 = await call(t.app, 'POST', '/auth/token/refresh', { body: { refresh_token: u.refresh } });
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).not.toBe(u.refresh);
    const me = await call(t.app, 'GET', '/auth/sessions', { token: r1.body.access_token });
    expect(me.status).toBe(200);
    // The old token again: theft detected, the whole session ends.
    const reuse = await call(t.app, 'POST', '/auth/token/refresh', { body: { refresh_token: u.refresh } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('unauthenticated');
    expect((await call(t.app, 'GET', '/auth/sessions', { token: r1.body.access_token })).status).toBe(401);
    expect((await call(t.app, 'POST', '/auth/token/refresh', { body: { refresh_token: r1.body.refresh_token } })).status).toBe(401);
  });

  it('stores refresh tokens under keys that ascend in the order they are issued, never the token itself', async () => {
    const u = await signUp(t.app, 'refresh-order@example.com');
    const issued = [u.refresh];
    for (let i = 0; i < 4; i++) {
      const r = await call(t.app, 'POST', '/auth/token/refresh', { body: { refresh_token: issued.at(-1) } });
      expect(r.status).toBe(200);
      issued.push(r.body.refresh_token);
    }
    const session = (await t.composed.deps.core.store.sessions.listLive(u.userId, Date.now()))[0];
    const db = t.composed.opened.db;
    const keys = (await db.selectFrom('refresh_tokens').select('hash').where('session_id', '=', session.id).orderBy('created_at').orderBy('hash').execute()).map((r) => r.hash);
    expect(keys).toHaveLength(5);
    // Ascending keys: each insert lands at the end of the key's index (sessions.ts refreshKey).
    expect([...keys].sort()).toEqual(keys);
    for (const [i, token] of issued.entries()) {
      const [id, secret] = token.split('.');
      expect(keys[i].startsWith(`${id}.`)).toBe(true);
      expect(keys.some((k) => k.includes(secret))).toBe(false);
    }
  });

  it('still rotates a refresh token of the earlier form, a bare secret keyed by its hash', async () => {
    const u = await signUp(t.app, 'refresh-old@example.com');
    const session = (await t.composed.deps.core.store.sessions.listLive(u.userId, Date.now()))[0];
    const { core } = t.composed.deps;
    const bare = core.random.bytes(32).toString('base64url');
    const now = Date.now();
    await core.store.refreshTokens.insert({ hash: core.secrets.hash('refresh', bare), sessionId: session.id, createdAt: now, expiresAt: now + 60_000, usedAt: null });
    const r = await call(t.app, 'POST', '/auth/token/refresh', { body: { refresh_token: bare } });
    expect(r.status).toBe(200);
    expect(r.body.refresh_token).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    // Used once, like any other: again is theft.
    expect((await call(t.app, 'POST', '/auth/token/refresh', { body: { refresh_token: bare } })).status).toBe(401);
  });

  it('logout revokes the session at once', async () => {
    const u = await signUp(t.app, 'logout@example.com');
    expect((await call(t.app, 'POST', '/auth/logout', { token: u.access, body: {} })).status).toBe(204);
    expect((await call(t.app, 'GET', '/auth/sessions', { token: u.access })).status).toBe(401);
    expect((await call(t.app, 'POST', '/auth/token/refresh', { body: { refresh_token: u.refresh } })).status).toBe(401);
  });

  it('lists own sessions and revokes one; another user\'s session is not found', async () => {
    const a = await signUp(t.app, 'sess-a@example.com');
    const a2 = await call(t.app, 'POST', '/auth/login', { body: { email: 'sess-a@example.com', password: STRONG }, headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0' } });
    const b = await signUp(t.app, 'sess-b@example.com');
    const list = await call(t.app, 'GET', '/auth/sessions', { token: a.access });
    expect(list.body.sessions).toHaveLength(2);
    expect(list.body.sessions.filter((s: any) => s.current)).toHaveLength(1);
    const other = list.body.sessions.find((s: any) => !s.current);
    expect(other.user_agent).toContain('Chrome');
    const bList = await call(t.app, 'GET', '/auth/sessions', { token: b.access });
    const bSession = bList.body.sessions[0].id;
    expect((await call(t.app, 'DELETE', `/auth/sessions/${bSession}`, { token: a.access })).status).toBe(404);
    expect((await call(t.app, 'DELETE', `/auth/sessions/${other.id}`, { token: a.access })).status).toBe(204);
    expect((await call(t.app, 'GET', '/auth/sessions', { token: a2.body.access_token })).status).toBe(401);
    expect((await call(t.app, 'GET', '/auth/sessions', { token: b.access })).status).toBe(200);
  });

  it('authenticates before validating: no session and a bad body is 401, not 400', async () => {
    const res = await call(t.app, 'POST', '/auth/password/change', { body: { current_password: 42 } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
  });

  it('rejects a missing, malformed or forged bearer token', async () => {
    expect((await call(t.app, 'GET', '/auth/sessions')).body.code).toBe('unauthenticated');
    expect((await call(t.app, 'GET', '/auth/sessions', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    expect((await call(t.app, 'GET', '/auth/sessions', { token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' })).status).toBe(401);
  });

  it('checks the whole access token: key, type, issuer and expiry', async () => {
    const u = await signUp(t.app, 'claims@example.com');
    const [h, p] = u.access.split('.') as [string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
    expect(payload).toMatchObject({ iss: t.composed.deps.config.publicUrl, exp: (payload.iat as number) + 900 });
    // The same claims under the server's kid, but signed by a key the server never had.
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const sessions = (token: string) => call(t.app, 'GET', '/auth/sessions', { token }).then((r) => r.status);
    expect(await sessions(signCompact({ kid: header.kid, typ: 'at+jwt' }, payload, stranger))).toBe(401);
    expect(await sessions(u.access)).toBe(200);
    t.clock.advance(899_000);
    expect(await sessions(u.access)).toBe(200);
    t.clock.advance(1_000);
    expect(await sessions(u.access)).toBe(401);
    const fresh = await call(t.app, 'POST', '/auth/token/refresh', { body: { refresh_token: u.refresh } });
    expect(await sessions(fresh.body.access_token)).toBe(200);
  });

  it('re-reads the signing keys for an unknown kid at most once a second', async () => {
    const u = await signUp(t.app, 'kids@example.com');
    const payload = JSON.parse(Buffer.from(u.access.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const repo = t.composed.deps.core.store.signingKeys;
    const all = repo.all.bind(repo);
    let reads = 0;
    repo.all = () => (reads++, all());
    try {
      const forged = (n: number) => signCompact({ kid: `forged-${n}`, typ: 'at+jwt' }, payload, stranger);
      t.clock.advance(1_000);
      const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => call(t.app, 'GET', '/auth/sessions', { token: forged(i) }).then((r) => r.status)));
      expect(statuses.every((s) => s === 401)).toBe(true);
      expect(reads).toBe(1);
      t.clock.advance(999);
      expect((await call(t.app, 'GET', '/auth/sessions', { token: forged(99) })).status).toBe(401);
      expect(reads).toBe(1);
      t.clock.advance(1);
      expect((await call(t.app, 'GET', '/auth/sessions', { token: forged(100) })).status).toBe(401);
      expect(reads).toBe(2);
    } finally {
      repo.all = all;
    }
  });
});

describe('password change and reset', () => {
  it('change needs step-up once the login is older than step_up_max_age_s; other sessions end', async () => {
    const u = await signUp(t.app, 'change@example.com');
    const other = await signUp(t.app, 'change2@example.com');
    const second = await call(t.app, 'POST', '/auth/login', { body: { email: 'change@example.com', password: STRONG } });
    t.clock.advance(301_000);
    const refreshed = await call(t.app, 'POST', '/auth/token/refresh', { body: { refresh_token: u.refresh } });
    const token = refreshed.body.access_token;
    const noStep = await call(t.app, 'POST', '/auth/password/change', { token, body: { current_password: STRONG, new_password: 'a brand new passphrase' } });
    expect(noStep.status).toBe(401);
    expect(noStep.body.code).toBe('step_up_required');
    const badStep = await call(t.app, 'POST', '/auth/password/change', { token, body: { current_password: STRONG, new_password: 'a brand new passphrase', password: 'wrong one!' } });
    expect(badStep.body.code).toBe('invalid_credentials');
    const ok = await call(t.app, 'POST', '/auth/password/change', { token, body: { current_password: STRONG, new_password: 'a brand new passphrase', password: STRONG } });
    expect(ok.status).toBe(204);
    expect((await call(t.app, 'GET', '/auth/sessions', { token })).status).toBe(200);
    expect((await call(t.app, 'GET', '/auth/sessions', { token: second.body.access_token })).status).toBe(401);
    expect((await call(t.app, 'GET', '/auth/sessions', { token: other.access })).status).toBe(200);
    expect((await call(t.app, 'POST', '/auth/login', { body: { email: 'change@example.com', password: STRONG } })).status).toBe(401);
    expect((await call(t.app, 'POST', '/auth/login', { body: { email: 'change@example.com', password: 'a brand new passphrase' } })).status).toBe(200);
  });

  it('forgot answers 202 either way and mails a single-use link; reset ends every session', async () => {
    const u = await signUp(t.app, 'forgot@example.com');
    t.mail.length = 0;
    const unknown = await call(t.app, 'POST', '/auth/password/forgot', { body: { email: 'ghost@example.com' } });
    const known = await call(t.app, 'POST', '/auth/password/forgot', { body: { email: 'forgot@example.com' } });
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    await t.composed.deps.outbox.drain();
    const text = t.mail.join('\n');
    expect(text).not.toContain('ghost@example.com');
    const m = /reset-password\?token=([A-Za-z0-9%._-]+)/.exec(text);
    expect(m).not.toBeNull();
    expect(text).toContain(t.composed.deps.config.publicUrl);
    const token = decodeURIComponent(m![1]);
    const weak = await call(t.app, 'POST', '/auth/password/reset', { body: { token, new_password: 'password1' } });
    expect(weak.status).toBe(400);
    expect(weak.body.field).toBe('new_password');
    const reset = await call(t.app, 'POST', '/auth/password/reset', { body: { token, new_password: 'reset passphrase 2026' } });
    expect(reset.status).toBe(204);
    expect((await call(t.app, 'POST', '/auth/password/reset', { body: { token, new_password: 'another passphrase 9' } })).status).toBe(400);
    expect((await call(t.app, 'GET', '/auth/sessions', { token: u.access })).status).toBe(401);
    expect((await call(t.app, 'POST', '/auth/login', { body: { email: 'forgot@example.com', password: 'reset passphrase 2026' } })).status).toBe(200);
  });

  it('a reset link expires after one hour', async () => {
    await signUp(t.app, 'expire@example.com');
    t.mail.length = 0;
    await call(t.app, 'POST', '/auth/password/forgot', { body: { email: 'expire@example.com' } });
    await t.composed.deps.outbox.drain();
    const token = decodeURIComponent(/token=([A-Za-z0-9%._-]+)/.exec(t.mail.join('\n'))![1]);
    t.clock.advance(3601_000);
    const res = await call(t.app, 'POST', '/auth/password/reset', { body: { token, new_password: 'reset passphrase 2026' } });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('token');
  });
});

describe('audit trail', () => {
  it('records logins, failures and logouts, newest first, paginated, without secrets', async () => {
    const u = await signUp(t.app, 'audit@example.com');
    await call(t.app, 'POST', '/auth/login', { body: { email: 'audit@example.com', password: 'wrong password x' } });
    for (let i = 0; i < 3; i++) await call(t.app, 'POST', '/auth/login', { body: { email: 'audit@example.com', password: STRONG } });
    const page1 = await call(t.app, 'GET', '/me/security-events?limit=3', { token: u.access });
    expect(page1.status).toBe(200);
    expect(page1.body.events).toHaveLength(3);
    expect(page1.body.events[0].type).toBe('login.succeeded');
    expect(page1.body.next_cursor).toBeTruthy();
    const page2 = await call(t.app, 'GET', `/me/security-events?limit=50&cursor=${page1.body.next_cursor}`, { token: u.access });
    const types = page2.body.events.map((e: any) => e.type);
    expect(types).toContain('login.failed');
    expect(types).toContain('user.registered');
    expect(page2.body.next_cursor).toBeNull();
    const ids = [...page1.body.events, ...page2.body.events].map((e: any) => Number(e.id));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    expect(JSON.stringify([page1.body, page2.body])).not.toContain(STRONG);
    expect((await call(t.app, 'GET', '/me/security-events?cursor=abc', { token: u.access })).status).toBe(400);
  });
});

describe('operations', () => {
  it('healthz, readyz, metrics and the generated OpenAPI document', async () => {
    expect((await call(t.app, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await call(t.app, 'GET', '/readyz')).body).toEqual({ status: 'ready' });
    const metrics = await call(t.app, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('twofold_http_request_duration_seconds');
    expect(metrics.body).toContain('twofold_logins_total');
    const spec = await call(t.app, 'GET', '/openapi.json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/auth/login', '/api/v1/auth/mfa/verify', '/api/v1/auth/token/refresh', '/api/v1/mfa/status']) expect(spec.body.paths[path]).toBeDefined();
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
  });
});
