/**
 * WebAuthn as the second step of the login and as step-up (issue #5): options bound to the
 * MFA-pending token (or the session's user), single-use challenges, the user's own credentials
 * only, the signature counter and its clone alarm.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call } from '../helpers/http.js';
import { claimsOf, eventsOf, typesOf, userWithTotp } from '../helpers/mfa.js';
import { flipByte, FLAG, SoftAuthenticator } from '../helpers/soft-authenticator.js';
import { challengeBytes, loginOptions, loginWithKey, ORIGIN, passwordStep, RP_ID, userWithKey, verifyWithKey } from '../helpers/webauthn-api.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const store = () => t.composed.deps.core.store;
const expectInvalid = (res: { status: number; body: any }) => {
  expect(res.status, JSON.stringify(res.body)).toBe(401);
  expect(res.body.code).toBe('invalid_code');
};
const failures = async (userId: string) => (await eventsOf(t, userId)).filter((e) => e.type === 'mfa.verify_failed' || e.type === 'mfa.replay_rejected');

describe('login options', () => {
  it('list the user\'s credentials and bind a 32-byte challenge to the mfa_token', async () => {
    const u = await userWithKey(t);
    const login = await call(t.app, 'POST', '/auth/login', { body: { email: u.email, password: 'correct horse battery staple' } });
    expect(login.body.methods).toEqual(['webauthn', 'backup_code']);
    const res = await loginOptions(t, login.body.mfa_token);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ rpId: RP_ID, timeout: 300_000, userVerification: 'discouraged', allowCredentials: [{ id: u.credentialId, type: 'public-key', transports: ['usb'] }] });
    expect(challengeBytes(res.body.challenge)).toBe(32);
    const pendingId = login.body.mfa_token.split('.')[0];
    expect(await store().webauthnChallenges.byChallenge(res.body.challenge)).toMatchObject({ purpose: 'login', userId: u.userId, mfaPendingId: pendingId, usedAt: null });
  });

  it('answer a bad mfa_token with mfa_token_invalid, a user without keys with not_found, a bad body with 400', async () => {
    expect((await loginOptions(t, 'nope')).body.code).toBe('mfa_token_invalid');
    expect((await loginOptions(t, '00000000-0000-0000-0000-000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(401);
    const totpUser = await userWithTotp(t, 'nokey');
    const res = await loginOptions(t, await passwordStep(t, totpUser.email));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    for (const body of [{}, { mfa_token: 5 }, { mfa_token: 'x', extra: 1 }, { mfa_token: 'x'.repeat(201) }]) {
      expect((await call(t.app, 'POST', '/auth/mfa/webauthn/options', { body })).status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('second factor at login', () => {
  it('signs in: amr pwd+hwk+mfa, acr aal2; counter and last use stored; audited', async () => {
    const u = await userWithKey(t);
    const { res } = await loginWithKey(t, u);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const claims = claimsOf(res.body.access_token);
    expect(claims.amr).toEqual(['pwd', 'hwk', 'mfa']);
    expect(claims.acr).toBe('aal2');
    expect(await store().methods.byId(u.methodId)).toMatchObject({ signCount: 1, lastUsedAt: t.clock.now() });
    const status = await call(t.app, 'GET', '/mfa/status', { token: res.body.access_token });
    expect(status.body.methods[0].last_used_at).toBe(new Date(t.clock.now()).toISOString());
    const ok = (await eventsOf(t, u.userId)).filter((e) => e.type === 'mfa.verify_succeeded');
    expect(ok.at(-1)!.details).toMatchObject({ method: 'webauthn', purpose: 'login', method_id: u.methodId });
  });

  it('says "user" too when the authenticator verified the user', async () => {
    const u = await userWithKey(t);
    const mfaToken = await passwordStep(t, u.email);
    const options = (await loginOptions(t, mfaToken)).body;
    const res = await verifyWithKey(t, mfaToken, u.auth.get({ ...options, userVerification: 'required' }));
    expect(claimsOf(res.body.access_token).amr).toEqual(['pwd', 'hwk', 'user', 'mfa']);
  });

  it('trust_device works with a key as with any factor', async () => {
    const u = await userWithKey(t);
    const mfaToken = await passwordStep(t, u.email);
    const res = await verifyWithKey(t, mfaToken, u.auth.get((await loginOptions(t, mfaToken)).body), { trust_device: true });
    expect(res.body.device_token).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]+$/);
  });

  it('a challenge works once: the same response replayed is refused and audited as a replay', async () => {
    const u = await userWithKey(t);
    const mfaToken = await passwordStep(t, u.email);
    const assertion = u.auth.get((await loginOptions(t, mfaToken)).body);
    // A tampered copy arrives first and spends the challenge...
    expectInvalid(await verifyWithKey(t, mfaToken, { ...assertion, response: { ...assertion.response, signature: flipByte(assertion.response.signature) } }));
    // ...so the genuine response, replayed after it, is refused too.
    expectInvalid(await verifyWithKey(t, mfaToken, assertion));
    expect((await failures(u.userId)).map((e) => [e.type, e.details.reason])).toEqual([
      ['mfa.verify_failed', 'invalid'],
      ['mfa.replay_rejected', 'replayed'],
    ]);
    // After a success the token itself is spent.
    const ok = await loginWithKey(t, u);
    expect(ok.res.status).toBe(200);
    expect((await verifyWithKey(t, ok.mfaToken, ok.assertion)).body.code).toBe('mfa_token_invalid');
  });

  it('two parallel copies of one response: exactly one evaluation succeeds', async () => {
    const u = await userWithKey(t);
    const mfaToken = await passwordStep(t, u.email);
    const assertion = u.auth.get((await loginOptions(t, mfaToken)).body);
    const results = await Promise.all(Array.from({ length: 10 }, () => verifyWithKey(t, mfaToken, assertion)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status >= 500)).toHaveLength(0);
  });

  it('a challenge is bound to its mfa_token and purpose', async () => {
    const u = await userWithKey(t);
    const token1 = await passwordStep(t, u.email);
    const token2 = await passwordStep(t, u.email);
    const forToken1 = u.auth.get((await loginOptions(t, token1)).body);
    expectInvalid(await verifyWithKey(t, token2, forToken1));
    // A step-up challenge does not serve a login either.
    const stepUp = await call(t.app, 'POST', '/mfa/step-up/webauthn/options', { token: u.access, body: {} });
    expectInvalid(await verifyWithKey(t, token2, u.auth.get(stepUp.body)));
    // Nor a challenge the client made up.
    const options = (await loginOptions(t, token2)).body;
    expectInvalid(await verifyWithKey(t, token2, u.auth.get({ ...options, challenge: Buffer.alloc(32, 1).toString('base64url') })));
  });

  it("another user's credential, or an unknown one, is invalid and counts as a failure", async () => {
    const a = await userWithKey(t, { prefix: 'victim' });
    const b = await userWithKey(t, { prefix: 'attacker' });
    const mfaToken = await passwordStep(t, a.email);
    const options = (await loginOptions(t, mfaToken)).body;
    // B's authenticator signs A's challenge with B's own (registered) key.
    expectInvalid(await verifyWithKey(t, mfaToken, b.auth.get({ ...options, allowCredentials: [] })));
    const stranger = new SoftAuthenticator(ORIGIN);
    stranger.create({ rp: { id: RP_ID }, user: { id: 'eA' }, challenge: 'AAAA', authenticatorSelection: {} });
    expectInvalid(await verifyWithKey(t, mfaToken, stranger.get((await loginOptions(t, mfaToken)).body, { credentialId: stranger.credentials[0].id })));
    expect((await failures(a.userId)).map((e) => e.details.why)).toEqual(['unknown_credential', 'unknown_credential']);
    expect((await store().users.byId(a.userId))!.mfaFailureStreak).toBe(2);
    expect((await store().methods.byId(b.methodId))!.signCount).toBe(0);
  });

  it('refuses a bad signature, another origin, another RP ID, missing user presence', async () => {
    const u = await userWithKey(t);
    const cases: [string, (o: any) => any][] = [
      ['signature', (o) => { const a = u.auth.get(o); return { ...a, response: { ...a.response, signature: flipByte(a.response.signature, 20) } }; }],
      ['origin', (o) => u.auth.get(o, { origin: 'https://evil.example' })],
      ['rp_id', (o) => u.auth.get(o, { rpId: 'evil.example' })],
      ['user_presence', (o) => u.auth.get(o, { flags: FLAG.UV })],
      ['type', (o) => u.auth.get(o, { type: 'webauthn.create' })],
    ];
    for (const [why, make] of cases) {
      const mfaToken = await passwordStep(t, u.email);
      expectInvalid(await verifyWithKey(t, mfaToken, make((await loginOptions(t, mfaToken)).body)));
      expect((await failures(u.userId)).at(-1)!.details.why, why).toBe(why);
    }
  });

  it('a counter that goes backwards or stands still is refused and audited as a possible clone', async () => {
    const u = await userWithKey(t);
    expect((await loginWithKey(t, u, { counter: 5 })).res.status).toBe(200);
    for (const counter of [3, 5, 0]) {
      const { res } = await loginWithKey(t, u, { counter });
      expectInvalid(res);
    }
    const clones = (await eventsOf(t, u.userId)).filter((e) => e.type === 'webauthn.clone_suspected');
    expect(clones.map((e) => [e.details.stored_count, e.details.presented_count])).toEqual([[5, 3], [5, 5], [5, 0]]);
    expect(clones[0].details.method_id).toBe(u.methodId);
    expect((await store().methods.byId(u.methodId))!.signCount).toBe(5);
    expect((await loginWithKey(t, u, { counter: 6 })).res.status).toBe(200);
    expect((await store().methods.byId(u.methodId))!.signCount).toBe(6);
  });

  it('an authenticator that does not count (always 0) is accepted every time', async () => {
    const u = await userWithKey(t, { counting: false });
    for (let i = 0; i < 3; i++) expect((await loginWithKey(t, u)).res.status).toBe(200);
    expect(typesOf(await eventsOf(t, u.userId))).not.toContain('webauthn.clone_suspected');
  });

  it('answers malformed credentials with 400 or invalid_code, never 5xx', async () => {
    const u = await userWithKey(t);
    const mfaToken = await passwordStep(t, u.email);
    const good = u.auth.get((await loginOptions(t, mfaToken)).body);
    const cases: [unknown, number][] = [
      ['string', 400],
      [[good], 400],
      [{}, 401],
      [{ ...good, type: 'x' }, 401],
      [{ ...good, rawId: 'AAAA' }, 401],
      [{ ...good, id: 5 }, 401],
      [{ ...good, response: null }, 401],
      [{ ...good, response: { ...good.response, clientDataJSON: 'not base64 !' } }, 401],
      [{ ...good, response: { ...good.response, clientDataJSON: Buffer.from('{"challenge":[]}').toString('base64url') } }, 401],
      [{ ...good, response: { ...good.response, authenticatorData: 'AAAA' } }, 401],
      [{ ...good, response: { ...good.response, signature: 'AA' } }, 401],
      [{ ...good, response: { ...good.response, userHandle: 7 } }, 401],
    ];
    for (const [credential, status] of cases) {
      const token = await passwordStep(t, u.email);
      const options = (await loginOptions(t, token)).body;
      // Aim each malformed variant at a live challenge where it still carries one.
      const fresh = u.auth.get(options);
      const aimed = credential && typeof credential === 'object' && !Array.isArray(credential) && (credential as any).response?.clientDataJSON === good.response.clientDataJSON
        ? { ...(credential as any), response: { ...(credential as any).response, clientDataJSON: fresh.response.clientDataJSON } }
        : credential;
      const res = await verifyWithKey(t, token, aimed);
      expect(res.status, JSON.stringify(credential).slice(0, 100)).toBe(status);
      expect(res.body.code).toBe(status === 400 ? 'validation_failed' : 'invalid_code');
    }
    const missing = await call(t.app, 'POST', '/auth/mfa/verify', { body: { mfa_token: mfaToken, method: 'webauthn' } });
    expect(missing.status).toBe(400);
    expect(missing.body.field).toBe('credential');
  });
});

describe('step-up with a key', () => {
  it('options need a session, list the keys, and bind the challenge to the user for 5 minutes', async () => {
    expect((await call(t.app, 'POST', '/mfa/step-up/webauthn/options', { body: {} })).status).toBe(401);
    const u = await userWithKey(t);
    const res = await call(t.app, 'POST', '/mfa/step-up/webauthn/options', { token: u.access });
    expect(res.status).toBe(200);
    expect(res.body.allowCredentials).toEqual([{ id: u.credentialId, type: 'public-key', transports: ['usb'] }]);
    expect(await store().webauthnChallenges.byChallenge(res.body.challenge)).toMatchObject({ purpose: 'step_up', userId: u.userId, mfaPendingId: null });
    const totpUser = await userWithTotp(t, 'stepnokey');
    expect((await call(t.app, 'POST', '/mfa/step-up/webauthn/options', { token: totpUser.access, body: {} })).status).toBe(404);
    expect((await call(t.app, 'POST', '/mfa/step-up/webauthn/options', { token: u.access, body: { x: 1 } })).status).toBe(400);
  });

  it('confirms a sensitive action once the recent sign-in is too old', async () => {
    const u = await userWithKey(t);
    const second = await call(t.app, 'POST', '/mfa/webauthn/register/options', { token: u.access, body: {} });
    const other = new SoftAuthenticator(ORIGIN);
    const added = await call(t.app, 'POST', '/mfa/webauthn/register/verify', { token: u.access, body: { credential: other.create(second.body) } });
    expect(added.status).toBe(200);
    t.clock.advance(301_000);
    const del = (body: object) => call(t.app, 'DELETE', `/mfa/methods/${added.body.method.id}`, { token: u.access, body });
    expect((await del({})).body.code).toBe('step_up_required');

    const stale = (await call(t.app, 'POST', '/mfa/step-up/webauthn/options', { token: u.access })).body;
    t.clock.advance(5 * 60_000);
    expectInvalid(await del({ method: 'webauthn', credential: u.auth.get(stale) }));

    // A login challenge is no step-up proof.
    const mfaToken = await passwordStep(t, u.email);
    expectInvalid(await del({ method: 'webauthn', credential: u.auth.get((await loginOptions(t, mfaToken)).body) }));

    const options = (await call(t.app, 'POST', '/mfa/step-up/webauthn/options', { token: u.access })).body;
    const proof = u.auth.get(options);
    expect((await del({ method: 'webauthn', credential: proof })).status).toBe(204);
    // The proof was spent with its challenge (a proof in the body is checked even when the
    // session's recent step-up would do).
    expectInvalid(await call(t.app, 'POST', '/mfa/backup-codes/regenerate', { token: u.access, body: { method: 'webauthn', credential: proof } }));
    expect((await failures(u.userId)).map((e) => e.details.reason)).toEqual(['expired', 'invalid', 'replayed']);
  });
});
