/**
 * Registering security keys and passkeys (issue #5, API.md "Managing one's own MFA"), with a
 * software authenticator standing in for the browser. The browser suite
 * (test/e2e/webauthn-browser.test.ts) repeats the main paths with Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, signUp } from '../helpers/http.js';
import { eventsOf, typesOf, uniqueEmail } from '../helpers/mfa.js';
import { FLAG, SoftAuthenticator } from '../helpers/soft-authenticator.js';
import { challengeBytes, ORIGIN, registerKey, registerOptions, RP_ID, setPolicy, userWithKey } from '../helpers/webauthn-api.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const newUser = async () => signUp(t.app, uniqueEmail('reg'));
const verify = (access: string, body: unknown) => call(t.app, 'POST', '/mfa/webauthn/register/verify', { token: access, body });

describe('registration options', () => {
  it('are creation options for this RP and user, with a fresh 32-byte challenge stored for 5 minutes', async () => {
    const email = uniqueEmail('opts');
    const { userId, access } = await signUp(t.app, email);
    const res = await registerOptions(t, access, { name: 'Blue key' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const o = res.body;
    expect(o.rp).toEqual({ name: 'Twofold', id: RP_ID });
    expect(o.user.name).toBe(email);
    expect(Buffer.from(o.user.id, 'base64url').toString()).toBe(userId);
    expect(challengeBytes(o.challenge)).toBe(32);
    expect(o.timeout).toBe(300_000);
    expect(o.attestation).toBe('none');
    expect(o.excludeCredentials).toEqual([]);
    expect(o.pubKeyCredParams.map((p: { alg: number }) => p.alg)).toEqual([-8, -7, -257]);
    expect(o.authenticatorSelection).toMatchObject({ residentKey: 'preferred', userVerification: 'preferred' });
    expect(o.extensions).toEqual({ credProps: true });

    const stored = await t.composed.deps.core.store.webauthnChallenges.byChallenge(o.challenge);
    expect(stored).toMatchObject({ purpose: 'register', userId, mfaPendingId: null, usedAt: null });
    expect(stored!.expiresAt - stored!.createdAt).toBe(5 * 60_000);

    const again = await registerOptions(t, access);
    expect(again.body.challenge).not.toBe(o.challenge);
  });

  it('passkey: true requires a discoverable credential and user verification', async () => {
    const { access } = await newUser();
    const o = (await registerOptions(t, access, { passkey: true })).body;
    expect(o.authenticatorSelection).toMatchObject({ residentKey: 'required', requireResidentKey: true, userVerification: 'required' });
  });

  it('need a session', async () => {
    expect((await call(t.app, 'POST', '/mfa/webauthn/register/options', { body: {} })).body.code).toBe('unauthenticated');
    const shaped = { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: 'AAAA', attestationObject: 'AAAA' } };
    expect((await call(t.app, 'POST', '/mfa/webauthn/register/verify', { body: { credential: shaped } })).body.code).toBe('unauthenticated');
  });

  it('reject bad bodies with 400 naming the field', async () => {
    const { access } = await newUser();
    for (const [body, field] of [
      [{ unknown: 1 }, 'body'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: '' }, 'name'],
      [{ passkey: 'yes' }, 'passkey'],
      [{ method: 'carrier-pigeon' }, 'method'],
    ] as const) {
      const res = await registerOptions(t, access, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      if (field !== 'body') expect(res.body.field).toContain(field);
    }
    const raw = await call(t.app, 'POST', '/mfa/webauthn/register/options', { token: access, raw: '[1,2' });
    expect(raw.status).toBe(400);
  });
});

describe('registration', () => {
  it('activates the key: method, backup codes with the first method, listed in /mfa/status, audited', async () => {
    const { userId, access } = await newUser();
    const auth = new SoftAuthenticator(ORIGIN);
    auth.aaguid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const { credential, verify: res } = await registerKey(t, access, auth, { name: 'Blue key' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.method).toMatchObject({ type: 'webauthn', name: 'Blue key', aaguid: '00112233-4455-6677-8899-aabbccddeeff', device_type: 'singleDevice', backed_up: false, last_used_at: null });
    expect(res.body.backup_codes).toHaveLength(10);

    const row = await t.composed.deps.core.store.methods.byId(res.body.method.id);
    expect(row).toMatchObject({ userId, credentialId: credential.id, signCount: 0, transports: ['usb'] });
    expect(row!.publicKey).toMatch(/^[A-Za-z0-9_-]+$/);

    const status = await call(t.app, 'GET', '/mfa/status', { token: access });
    expect(status.body.enabled).toBe(true);
    expect(status.body.methods).toEqual([expect.objectContaining({ id: res.body.method.id, type: 'webauthn', name: 'Blue key', created_at: expect.any(String), last_used_at: null, aaguid: '00112233-4455-6677-8899-aabbccddeeff' })]);
    expect(typesOf(await eventsOf(t, userId))).toEqual(expect.arrayContaining(['mfa.enrollment_started', 'mfa.enrollment_completed']));
  });

  it('names a key by what it is when no name is given', async () => {
    const { access } = await newUser();
    const passkey = await registerKey(t, access, new SoftAuthenticator(ORIGIN), { options: { passkey: true } });
    expect(passkey.verify.body.method.name).toBe('Passkey');
    // The user has MFA now; a recent second factor (the enrolment itself) is the step-up.
    const key = await registerKey(t, access, new SoftAuthenticator(ORIGIN, { residentKeys: false }));
    expect(key.verify.status).toBe(200);
    expect(key.verify.body.method.name).toBe('Security key');
    expect(key.verify.body.backup_codes).toBeUndefined();
  });

  it('lists the registered keys in excludeCredentials, and refuses one credential twice with 409', async () => {
    const u = await userWithKey(t);
    const o = await registerOptions(t, u.access);
    expect(o.body.excludeCredentials).toEqual([{ id: u.credentialId, type: 'public-key', transports: ['usb'] }]);
    // An honest authenticator refuses; a client that ignores the list meets the server's 409.
    expect(() => u.auth.create(o.body)).toThrow(/InvalidStateError/);
    const dup = await verify(u.access, { credential: u.auth.create(o.body, { credentialId: u.credentialId }) });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('conflict');

    // Another account cannot claim the same credential either.
    const other = await newUser();
    const theirs = await registerOptions(t, other.access);
    const res = await verify(other.access, { credential: u.auth.create(theirs.body, { credentialId: u.credentialId }) });
    expect(res.status).toBe(409);
    expect((await call(t.app, 'GET', '/mfa/status', { token: other.access })).body.enabled).toBe(false);
  });

  it('a challenge works once, for its own user, for 5 minutes', async () => {
    const { access } = await newUser();
    const auth = new SoftAuthenticator(ORIGIN);
    const first = await registerKey(t, access, auth);
    expect(first.verify.status).toBe(200);
    const replay = await verify(access, { credential: first.credential });
    expect(replay.status).toBe(404);
    expect(replay.body.code).toBe('not_found');

    const a = await newUser();
    const b = await newUser();
    const forA = await registerOptions(t, a.access);
    const stolen = await verify(b.access, { credential: new SoftAuthenticator(ORIGIN).create(forA.body) });
    expect(stolen.status).toBe(404);

    const late = await registerOptions(t, a.access);
    t.clock.advance(5 * 60_000);
    const res = await verify(a.access, { credential: new SoftAuthenticator(ORIGIN).create(late.body) });
    expect(res.status).toBe(404);
  });

  it('refuses a response from another origin, for another RP ID, without user presence, or of the wrong type', async () => {
    const { userId, access } = await newUser();
    for (const overrides of [
      { origin: 'https://evil.example' },
      { origin: 'http://localhost:8081' },
      { rpId: 'evil.example' },
      { flags: FLAG.UV | FLAG.AT },
      { type: 'webauthn.get' },
    ]) {
      const o = await registerOptions(t, access);
      const res = await verify(access, { credential: new SoftAuthenticator(ORIGIN).create(o.body, overrides) });
      expect(res.status, JSON.stringify(overrides)).toBe(401);
      expect(res.body.code).toBe('invalid_code');
    }
    const failed = (await eventsOf(t, userId)).filter((e) => e.type === 'mfa.verify_failed').map((e) => e.details.reason);
    expect(failed).toEqual(['origin', 'origin', 'rp_id', 'user_presence', 'type']);
    expect((await call(t.app, 'GET', '/mfa/status', { token: access })).body.enabled).toBe(false);
  });

  it('registers a key without user verification (a second factor needs none)', async () => {
    const { access } = await newUser();
    const res = await registerKey(t, access, new SoftAuthenticator(ORIGIN, { userVerified: false }));
    expect(res.verify.status).toBe(200);
  });

  it('answers malformed credentials with 400 or invalid_code, never 5xx', async () => {
    const { access } = await newUser();
    const o = await registerOptions(t, access);
    const good = new SoftAuthenticator(ORIGIN).create(o.body);
    const cases: [unknown, number][] = [
      [undefined, 400],
      ['a string', 400],
      [[good], 400],
      [{}, 400],
      [{ ...good, type: 'password' }, 400],
      [{ ...good, id: 'not base64url!' }, 400],
      [{ ...good, rawId: 'AAAA' }, 400],
      [{ ...good, response: { ...good.response, attestationObject: 'not*base64' } }, 400],
      [{ ...good, response: { ...good.response, clientDataJSON: 'AAAA' } }, 404],
      [{ ...good, response: { ...good.response, transports: 'usb' } }, 400],
      [{ ...good, response: { clientDataJSON: good.response.clientDataJSON } }, 400],
      [{ ...good, response: { ...good.response, attestationObject: 'AAAA' } }, 401],
      [{ ...good, response: { ...good.response, attestationObject: Buffer.from('garbage cbor').toString('base64url') } }, 401],
    ];
    for (const [credential, status] of cases) {
      const fresh = await registerOptions(t, access);
      // Point the malformed response at a live challenge where it still has one.
      const body = credential && typeof credential === 'object' && !Array.isArray(credential) && (credential as any).response?.clientDataJSON === good.response.clientDataJSON
        ? { ...(credential as any), response: { ...(credential as any).response, clientDataJSON: new SoftAuthenticator(ORIGIN).create(fresh.body).response.clientDataJSON } }
        : credential;
      const res = await verify(access, credential === undefined ? {} : { credential: body });
      expect(res.status, JSON.stringify(credential)?.slice(0, 120)).toBe(status);
      if (status === 400) expect(res.body.code).toBe('validation_failed');
    }
  });
});

describe('policy and enrolment', () => {
  it('an enrolment-only session can register its first key and becomes a full one', async () => {
    const app = await startTestApp();
    try {
      const email = uniqueEmail('forced');
      await call(app.app, 'POST', '/auth/register', { body: { email, password: 'correct horse battery staple' } });
      await app.composed.deps.core.store.policy.put({ ...(await app.composed.deps.core.policy()), require_mfa: 'all', grace_period_days: 0 }, app.clock.now());
      await new Promise((r) => setTimeout(r, 1100));
      const login = await call(app.app, 'POST', '/auth/login', { body: { email, password: 'correct horse battery staple' } });
      expect(login.body.mfa_enrollment_required).toBe(true);
      const access = login.body.access_token;
      expect((await call(app.app, 'GET', '/auth/sessions', { token: access })).status).toBe(200);
      const res = await registerKey(app, access, new SoftAuthenticator(ORIGIN));
      expect(res.verify.status).toBe(200);
      const me = await call(app.app, 'GET', '/me', { token: access });
      expect(me.body.enrollment_only).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('policy can switch WebAuthn off: options and verify answer policy_violation', async () => {
    const { access } = await newUser();
    const o = await registerOptions(t, access);
    await setPolicy(t, { allowed_methods: ['totp', 'backup_code'] });
    try {
      const res = await registerOptions(t, access);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('policy_violation');
      expect((await verify(access, { credential: new SoftAuthenticator(ORIGIN).create(o.body) })).body.code).toBe('policy_violation');
    } finally {
      await setPolicy(t, { allowed_methods: ['totp', 'webauthn', 'email', 'sms', 'backup_code'] });
    }
  });
});

describe('managing keys through the generic method routes', () => {
  it('renames and removes a key', async () => {
    const u = await userWithKey(t, { name: 'Old name' });
    const renamed = await call(t.app, 'PATCH', `/mfa/methods/${u.methodId}`, { token: u.access, body: { name: 'Yubikey 5C' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: u.methodId, type: 'webauthn', name: 'Yubikey 5C' });
    const removed = await call(t.app, 'DELETE', `/mfa/methods/${u.methodId}`, { token: u.access, body: {} });
    expect(removed.status).toBe(204);
    expect((await call(t.app, 'GET', '/mfa/status', { token: u.access })).body).toMatchObject({ enabled: false, methods: [] });
  });
});

describe('documentation', () => {
  it('every WebAuthn route is in the generated OpenAPI document', async () => {
    const doc = await call(t.app, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    for (const path of ['/api/v1/mfa/webauthn/register/options', '/api/v1/mfa/webauthn/register/verify', '/api/v1/mfa/step-up/webauthn/options', '/api/v1/auth/mfa/webauthn/options', '/api/v1/auth/passkey/options', '/api/v1/auth/passkey/verify']) {
      expect(doc.body.paths[path]?.post, path).toBeDefined();
    }
  });
});
