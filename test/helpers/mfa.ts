/**
 * Second-factor helpers for the API tests: TOTP codes computed with our own RFC 6238 code at
 * the app's clock, enrolment through the public API, and the MFA login.
 */
import { execFileSync } from 'node:child_process';
import { base32Decode, totp } from '../../src/core/otp/index.js';
import type { SecurityEvent, TotpAlgorithm } from '../../src/core/types.js';
import type { TestApp } from './app.js';
import { call, signUp, STRONG, type Res } from './http.js';

export const STEP_MS = 30_000;

export interface TotpParams {
  algorithm?: TotpAlgorithm;
  digits?: 6 | 8;
}

/** The code of a base32 secret `offsetSteps` time steps from the app's current time. */
export function codeAt(t: TestApp, secret: string, offsetSteps = 0, p: TotpParams = {}): string {
  return totp(base32Decode(secret), t.clock.now() + offsetSteps * STEP_MS, { algorithm: p.algorithm, digits: p.digits });
}

/** Move the app's clock into the next time step (a code of the previous one is then spent). */
export function nextStep(t: TestApp, steps = 1): void {
  t.clock.advance(steps * STEP_MS);
}

export interface TotpUser {
  email: string;
  userId: string;
  /** The access token of the session that enrolled. */
  access: string;
  secret: string;
  methodId: string;
  backupCodes: string[];
}

let seq = 0;
/** A unique address per call (users of one app never collide). */
export const uniqueEmail = (prefix: string): string => `${prefix}${++seq}.${process.pid}@example.com`;

/** POST /mfa/totp/setup, answering 200. */
export async function totpSetup(t: TestApp, access: string, body: object = {}): Promise<Res> {
  const res = await call(t.app, 'POST', '/mfa/totp/setup', { token: access, body });
  if (res.status !== 200) throw new Error(`setup ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** Enrol a TOTP method for a signed-in user with the current code; answers the verify body. */
export async function enrolTotp(t: TestApp, access: string, body: { name?: string } & TotpParams = {}): Promise<{ secret: string; verify: Res }> {
  const setup = await totpSetup(t, access, body);
  const code = codeAt(t, setup.body.secret, 0, body);
  const verify = await call(t.app, 'POST', '/mfa/totp/verify', { token: access, body: { enrollment_id: setup.body.enrollment_id, code } });
  if (verify.status !== 200) throw new Error(`verify ${verify.status} ${JSON.stringify(verify.body)}`);
  return { secret: setup.body.secret, verify };
}

/** A new user with one TOTP method; the app clock is left in the enrolment code's step. */
export async function userWithTotp(t: TestApp, prefix = 'totp'): Promise<TotpUser> {
  const email = uniqueEmail(prefix);
  const { userId, access } = await signUp(t.app, email);
  const { secret, verify } = await enrolTotp(t, access);
  return { email, userId, access, secret, methodId: verify.body.method.id, backupCodes: verify.body.backup_codes };
}

/** The password step for a user with MFA: answers the mfa_token. */
export async function mfaToken(t: TestApp, email: string, password = STRONG): Promise<string> {
  const res = await call(t.app, 'POST', '/auth/login', { body: { email, password } });
  if (res.status !== 200 || res.body.mfa_required !== true) throw new Error(`login ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.mfa_token;
}

export const verifyMfa = (t: TestApp, mfa_token: string, method: string, code: unknown): Promise<Res> =>
  call(t.app, 'POST', '/auth/mfa/verify', { body: { mfa_token, method, code } });

/** A full MFA login with a fresh TOTP code (the clock moves to the next step first). */
export async function loginWithTotp(t: TestApp, u: Pick<TotpUser, 'email' | 'secret'>): Promise<Res> {
  nextStep(t);
  const res = await verifyMfa(t, await mfaToken(t, u.email), 'totp', codeAt(t, u.secret));
  if (res.status !== 200) throw new Error(`mfa verify ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** The claims of a JWT, unverified (the API tests check the signature elsewhere). */
export function claimsOf(jwt: string): Record<string, any> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/** A user's audit trail, oldest first. */
export async function eventsOf(t: TestApp, userId: string): Promise<SecurityEvent[]> {
  const { events } = await t.composed.deps.core.store.events.list({ userId, limit: 1000 });
  return [...events].sort((a, b) => a.id - b.id);
}

export const typesOf = (events: SecurityEvent[]): string[] => events.map((e) => e.type);

/** The mail delivered so far (the outbox is drained first), as one string. */
export async function deliveredMail(t: TestApp): Promise<string> {
  await t.composed.deps.outbox.drain();
  return t.mail.join('\n');
}

/**
 * Whether an external tool runs: undefined if so, else why not (printed). With CI=true a
 * missing tool is a failure, since CI must prove the cross-checks.
 */
export function toolSkipReason(tool: string, args: string[] = ['--version']): string | undefined {
  try {
    execFileSync(tool, args, { stdio: 'ignore' });
    return undefined;
  } catch (err) {
    const problem = `${tool} is not usable (${err instanceof Error ? err.message : String(err)}): install the Debian package (oathtool, zbar-tools)`;
    if (process.env.CI === 'true') throw new Error(`${problem}; it is required with CI=true`);
    const reason = `skipping the ${tool} cross-check: ${problem} (set CI=true to fail instead)`;
    console.log(reason);
    return reason;
  }
}

/** oathtool's TOTP code for a base32 secret at a time (RFC 6238 reference implementation check). */
export function oathtoolCode(secret: string, atMs: number, p: TotpParams = {}): string {
  const args = [`--totp=${p.algorithm ?? 'SHA1'}`, `--digits=${p.digits ?? 6}`, '-b', secret, '--now', new Date(atMs).toISOString()];
  return execFileSync('oathtool', args, { encoding: 'utf8' }).trim();
}
