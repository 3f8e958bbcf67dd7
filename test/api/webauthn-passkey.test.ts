/**
 * Passwordless sign-in with a passkey (issue #5, API.md `/auth/passkey/*`): options fit for
 * conditional mediation, user verification required, the credential names the account, the
 * token response of a login with amr hwk+user+mfa.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call } from '../helpers/http.js';
import { claimsOf, eventsOf } from '../helpers/mfa.js';
import { flipByte, FLAG, SoftAuthenticator } from '../helpers/soft-authenticator.js';
import { challengeBytes, loginOptions, ORIGIN, passkeyOptions, passkeyVerify, passwordStep, RP_ID, setPolicy, userWithKey } from '../helpers/webauthn-api.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const store = () => t.composed.deps.core.store;
const expectRefused = (res: { status: number; body: any }) => {
  expect(res.status, JSON.stringify(res.body)).toBe(401);
  expect(res.body.code).toBe('invalid_credentials');
};
const loginFailures = async (userId: string | null) =>
  (await store().events.list({ type: 'login.failed', limit: 1000, ...(userId ? { userId } : {}) })).events
    .filter((e) => e.details.method === 'passkey')
    .sort((a, b) => a.id - b.id);

async function signIn(u: { auth: SoftAuthenticator }, overrides = {}) {
  const options = await passkeyOptions(t);
  return passkeyVerify(t, u.auth.get(options.body, overrides));
}

describe('passkey options', () => {
  it('name no credential (conditional UI), require user verification, and store an unbound challenge', async () => {
    const res = await passkeyOptions(t);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ rpId: RP_ID, userVerification: 'required', timeout: 300_000, allowCredentials: [] });
    expect(challengeBytes(res.body.challenge)).toBe(32);
    expect(await store().webauthnChallenges.byChallenge(res.body.challenge)).toMatchObject({ purpose: 'passkey', userId: null, mfaPendingId: null, usedAt: null });
    expect((await call(t.app, 'POST', '/auth/passkey/options')).status).toBe(200);
    expect((await call(t.app, 'POST', '/auth/passkey/options', { body: { email: 'a@b.c' } })).status).toBe(400);
  });
});

describe('passkey sign-in', () => {
  it('answers the token response with amr hwk+user+mfa and acr aal2, audited as a login', async () => {
    const u = await userWithKey(t, { passkey: true });
    const res = await signIn(u);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ mfa_required: false, token_type: 'bearer', expires_in: 900, user: { id: u.userId, email: u.email, roles: [] } });
    expect(res.body.refresh_token).toEqual(expect.any(String));
    expect(res.headers['cache-control']).toBe('no-store');
    const claims = claimsOf(res.body.access_token);
    expect(claims.amr).toEqual(['hwk', 'user', 'mfa']);
    expect(claims.acr).toBe('aal2');
    const me = await call(t.app, 'GET', '/me', { token: res.body.access_token });
    expect(me.body).toMatchObject({ id: u.userId, amr: ['hwk', 'user', 'mfa'], acr: 'aal2' });
    expect(await store().methods.byId(u.methodId)).toMatchObject({ signCount: 1, lastUsedAt: t.clock.now() });
    const ok = (await eventsOf(t, u.userId)).filter((e) => e.type === 'login.succeeded').at(-1)!;
    expect(ok.details).toMatchObject({ method: 'passkey', method_id: u.methodId, amr: ['hwk', 'user', 'mfa'] });
    // The session is a full one: sensitive actions within the step-up window need no more.
    const regen = await call(t.app, 'POST', '/mfa/backup-codes/regenerate', { token: res.body.access_token, body: {} });
    expect(regen.status).toBe(200);
  });

  it('works with a key registered as a plain second factor, when the authenticator kept it discoverable', async () => {
    const u = await userWithKey(t);
    expect((await signIn(u)).status).toBe(200);
  });

  it('cookie mode: tokens in cookies, not in the body', async () => {
    const u = await userWithKey(t, { passkey: true });
    const options = await passkeyOptions(t);
    const res = await passkeyVerify(t, u.auth.get(options.body), { 'x-twofold-session': 'cookie' });
    expect(res.status).toBe(200);
    expect(res.body.access_token).toBeUndefined();
    expect(res.body.refresh_token).toBeUndefined();
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] as string[]);
    expect(cookies.map((c) => c.split('=')[0]).sort()).toEqual(['twofold_at', 'twofold_csrf', 'twofold_rt']);
  });

  it('requires user verification, and user presence', async () => {
    const u = await userWithKey(t, { passkey: true });
    expectRefused(await signIn(u, { flags: FLAG.UP }));
    expectRefused(await signIn(u, { flags: FLAG.UV }));
    // An authenticator that cannot verify the user gets nowhere either.
    const options = await passkeyOptions(t);
    const noUv = new SoftAuthenticator(ORIGIN, { userVerified: false });
    noUv.credentials.push(...u.auth.credentials);
    expectRefused(await passkeyVerify(t, noUv.get(options.body)));
    expect((await loginFailures(u.userId)).map((e) => e.details.reason)).toEqual(['user_verification', 'user_presence', 'user_verification']);
  });

  it('the user handle must name the account that holds the credential', async () => {
    const a = await userWithKey(t, { passkey: true });
    const b = await userWithKey(t, { passkey: true });
    const bHandle = b.auth.credentials[0].userHandle!;
    expectRefused(await signIn(a, { userHandle: bHandle }));
    expectRefused(await signIn(a, { userHandle: null }));
    expect((await loginFailures(a.userId)).map((e) => e.details.reason)).toEqual(['user_handle_mismatch', 'user_handle_mismatch']);
  });

  it('refuses an unknown credential, a bad signature, another origin or RP ID', async () => {
    const u = await userWithKey(t, { passkey: true });
    const stranger = new SoftAuthenticator(ORIGIN);
    stranger.create({ rp: { id: RP_ID }, user: { id: 'eA' }, challenge: 'AAAA', authenticatorSelection: { residentKey: 'required' } });
    expectRefused(await signIn({ auth: stranger }));
    const options = await passkeyOptions(t);
    const a = u.auth.get(options.body);
    expectRefused(await passkeyVerify(t, { ...a, response: { ...a.response, signature: flipByte(a.response.signature) } }));
    expectRefused(await signIn(u, { origin: 'http://localhost:9999' }));
    expectRefused(await signIn(u, { rpId: 'example.com' }));
    expect((await loginFailures(u.userId)).map((e) => e.details.reason)).toEqual(['signature', 'origin', 'rp_id']);
    expect((await loginFailures(null)).some((e) => e.details.reason === 'unknown_credential')).toBe(true);
  });

  it('a challenge works once, for 5 minutes, and only for passkey sign-in', async () => {
    const u = await userWithKey(t, { passkey: true });
    const options = await passkeyOptions(t);
    const assertion = u.auth.get(options.body);
    expect((await passkeyVerify(t, assertion)).status).toBe(200);
    expectRefused(await passkeyVerify(t, assertion));

    const late = await passkeyOptions(t);
    t.clock.advance(5 * 60_000);
    expectRefused(await passkeyVerify(t, u.auth.get(late.body)));

    // A second-factor login challenge is bound to its user and token, not to passkey sign-in.
    const mfaOptions = await loginOptions(t, await passwordStep(t, u.email));
    expectRefused(await passkeyVerify(t, u.auth.get(mfaOptions.body)));
    expect((await loginFailures(null)).filter((e) => e.userId === null).map((e) => e.details.reason)).toEqual(
      expect.arrayContaining(['challenge_replayed', 'challenge_expired', 'challenge_invalid']),
    );
  });

  it('a counter that goes backwards is refused and audited as a possible clone', async () => {
    const u = await userWithKey(t, { passkey: true });
    expect((await signIn(u, { counter: 10 })).status).toBe(200);
    expectRefused(await signIn(u, { counter: 9 }));
    const clone = (await eventsOf(t, u.userId)).find((e) => e.type === 'webauthn.clone_suspected');
    expect(clone?.details).toMatchObject({ method_id: u.methodId, stored_count: 10, presented_count: 9 });
  });

  it('a disabled account is refused as at login', async () => {
    const u = await userWithKey(t, { passkey: true });
    await store().users.update(u.userId, { disabled: true });
    const res = await signIn(u);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });

  it('policy can switch WebAuthn off for passwordless sign-in', async () => {
    const u = await userWithKey(t, { passkey: true });
    await setPolicy(t, { allowed_methods: ['totp', 'backup_code'] });
    try {
      const res = await signIn(u);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('policy_violation');
    } finally {
      await setPolicy(t, { allowed_methods: ['totp', 'webauthn', 'email', 'sms', 'backup_code'] });
    }
  });

  it('answers malformed bodies with 400 naming the field, never 5xx', async () => {
    const u = await userWithKey(t, { passkey: true });
    const good = u.auth.get((await passkeyOptions(t)).body);
    const cases: [unknown, string][] = [
      [{}, 'credential'],
      [{ credential: 'x' }, 'credential'],
      [{ credential: good, extra: 1 }, 'body'],
      [{ credential: { ...good, type: 'password' } }, 'credential.type'],
      [{ credential: { ...good, id: '***' } }, 'credential.id'],
      [{ credential: { ...good, id: 'A'.repeat(2000) } }, 'credential.id'],
      [{ credential: { ...good, response: { ...good.response, signature: 12 } } }, 'credential.response.signature'],
      [{ credential: { ...good, response: { ...good.response, authenticatorData: '' } } }, 'credential.response.authenticatorData'],
      [{ credential: { ...good, response: { ...good.response, userHandle: 'A'.repeat(200) } } }, 'credential.response.userHandle'],
      [{ credential: { ...good, response: undefined } }, 'credential.response'],
    ];
    for (const [body, field] of cases) {
      const res = await call(t.app, 'POST', '/auth/passkey/verify', { body });
      expect(res.status, JSON.stringify(body).slice(0, 100)).toBe(400);
      expect(res.body).toMatchObject({ code: 'validation_failed', field });
    }
    // Well-formed JSON whose inside is garbage is a refusal, not a crash.
    for (const response of [
      { ...good.response, clientDataJSON: 'AAAA' },
      { ...good.response, clientDataJSON: Buffer.from('{"challenge":"' + (await passkeyOptions(t)).body.challenge + '"}').toString('base64url') },
      { ...good.response, authenticatorData: 'AAAA' },
    ]) {
      expectRefused(await passkeyVerify(t, { ...good, response }));
    }
    expectRefused(await passkeyVerify(t, { ...good, rawId: 'AAAA' }));
  });

  it('failures spend the per-IP login budget (30 per 15 minutes), then 429', async () => {
    const app = await startTestApp();
    try {
      const u = await userWithKey(app, { passkey: true });
      const options = (await call(app.app, 'POST', '/auth/passkey/options', { body: {} })).body;
      const good = u.auth.get(options);
      const bad = { ...good, response: { ...good.response, signature: flipByte(good.response.signature) } };
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++) statuses.push((await call(app.app, 'POST', '/auth/passkey/verify', { body: { credential: bad } })).status);
      // The first spends the challenge, the rest are replays; the budget runs out after 30.
      expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
      const last = await call(app.app, 'POST', '/auth/passkey/verify', { body: { credential: good } });
      expect(statuses[30]).toBe(429);
      expect(last.status).toBe(429);
      expect(last!.headers['retry-after']).toBeDefined();
    } finally {
      await app.close();
    }
  });
});
