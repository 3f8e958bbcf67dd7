/**
 * WebAuthn through the public API for the API tests, with the software authenticator of
 * soft-authenticator.ts playing the browser. The test app's public URL is the default
 * `http://localhost:8080`, so the origin is that and the RP ID `localhost`.
 */
import { expect } from 'vitest';
import type { Policy } from '../../src/core/types.js';
import type { TestApp } from './app.js';
import { call, signUp, STRONG, type Res } from './http.js';
import { uniqueEmail } from './mfa.js';
import { SoftAuthenticator, type CeremonyOverrides } from './soft-authenticator.js';

export const ORIGIN = 'http://localhost:8080';
export const RP_ID = 'localhost';

export interface KeyUser {
  email: string;
  userId: string;
  /** Access token of the session that registered the key. */
  access: string;
  auth: SoftAuthenticator;
  methodId: string;
  credentialId: string;
  backupCodes: string[];
}

export async function registerOptions(t: TestApp, access: string, body: object = {}): Promise<Res> {
  return call(t.app, 'POST', '/mfa/webauthn/register/options', { token: access, body });
}

/** Options, the authenticator's answer, verify: answers the verify response (any status). */
export async function registerKey(
  t: TestApp,
  access: string,
  auth: SoftAuthenticator,
  opts: { options?: object; name?: string; overrides?: CeremonyOverrides } = {},
): Promise<{ options: Res; credential: any; verify: Res }> {
  const options = await registerOptions(t, access, opts.options);
  if (options.status !== 200) throw new Error(`register options ${options.status} ${JSON.stringify(options.body)}`);
  const credential = auth.create(options.body, opts.overrides);
  const verify = await call(t.app, 'POST', '/mfa/webauthn/register/verify', { token: access, body: { credential, ...(opts.name ? { name: opts.name } : {}) } });
  return { options, credential, verify };
}

/** A new user whose first (and only) method is a key of a fresh software authenticator. */
export async function userWithKey(t: TestApp, opts: { prefix?: string; passkey?: boolean; counting?: boolean; name?: string } = {}): Promise<KeyUser> {
  const email = uniqueEmail(opts.prefix ?? 'key');
  const { userId, access } = await signUp(t.app, email);
  const auth = new SoftAuthenticator(ORIGIN, { counting: opts.counting });
  const { credential, verify } = await registerKey(t, access, auth, { options: opts.passkey ? { passkey: true } : {}, name: opts.name });
  expect(verify.status, JSON.stringify(verify.body)).toBe(200);
  return { email, userId, access, auth, methodId: verify.body.method.id, credentialId: credential.id, backupCodes: verify.body.backup_codes };
}

/** The password step: answers the mfa_token. */
export async function passwordStep(t: TestApp, email: string): Promise<string> {
  const res = await call(t.app, 'POST', '/auth/login', { body: { email, password: STRONG } });
  expect(res.body.mfa_required, JSON.stringify(res.body)).toBe(true);
  return res.body.mfa_token;
}

export const loginOptions = (t: TestApp, mfa_token: string): Promise<Res> => call(t.app, 'POST', '/auth/mfa/webauthn/options', { body: { mfa_token } });

export const verifyWithKey = (t: TestApp, mfa_token: string, credential: unknown, extra: object = {}): Promise<Res> =>
  call(t.app, 'POST', '/auth/mfa/verify', { body: { mfa_token, method: 'webauthn', credential, ...extra } });

/** Password, options, assertion, verify: answers the verify response and the assertion sent. */
export async function loginWithKey(t: TestApp, u: Pick<KeyUser, 'email' | 'auth'>, overrides?: CeremonyOverrides): Promise<{ res: Res; assertion: any; mfaToken: string }> {
  const mfaToken = await passwordStep(t, u.email);
  const options = await loginOptions(t, mfaToken);
  expect(options.status, JSON.stringify(options.body)).toBe(200);
  const assertion = u.auth.get(options.body, overrides);
  return { res: await verifyWithKey(t, mfaToken, assertion), assertion, mfaToken };
}

export const passkeyOptions = (t: TestApp): Promise<Res> => call(t.app, 'POST', '/auth/passkey/options', { body: {} });
export const passkeyVerify = (t: TestApp, credential: unknown, headers?: Record<string, string>): Promise<Res> =>
  call(t.app, 'POST', '/auth/passkey/verify', { body: { credential }, headers });

/** Store a policy and wait out the composition root's one-second policy cache. */
export async function setPolicy(t: TestApp, patch: Partial<Policy>): Promise<void> {
  const deps = t.composed.deps.core;
  await deps.store.policy.put({ ...(await deps.policy()), ...patch }, t.clock.now());
  await new Promise((r) => setTimeout(r, 1100));
}

/** A base64url challenge's length in bytes. */
export const challengeBytes = (challenge: string): number => Buffer.from(challenge, 'base64url').length;
