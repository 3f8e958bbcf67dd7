/**
 * Shared steps of the administration suites (admin-*, policy-*, enforcement): real accounts,
 * real TOTP enrolment and sign-in through the API, times from the test's mutable clock.
 */
import { expect } from 'vitest';
import { createAccount } from '../../src/core/accounts/register.js';
import { storedPolicy } from '../../src/core/admin/policy-update.js';
import { base32Decode, totp } from '../../src/core/otp/index.js';
import type { Policy } from '../../src/core/types.js';
import type { TestApp } from '../helpers/app.js';
import { call, STRONG } from '../helpers/http.js';

let n = 0;
/** A fresh address, unique within the test file. */
export const freshEmail = (label = 'user'): string => `${label}${++n}-${Date.now() % 100000}@example.com`;

/** An account created as the CLI or an admin would (no self-service rules), with these roles. */
export async function givenAccount(t: TestApp, email: string, roles: string[] = []): Promise<string> {
  const out = await createAccount(t.composed.deps.core, { email, password: STRONG, roles }, { now: t.clock.now(), ip: null, userAgent: 'test' }, { selfService: false, actorId: null });
  if (!out.ok) throw new Error(`createAccount: ${out.error.code}`);
  return out.value.user.id;
}

/** Password login; the raw response (either shape). */
export function login(t: TestApp, email: string) {
  return call(t.app, 'POST', '/auth/login', { body: { email, password: STRONG } });
}

/** Password login expected to give a session; its access token. */
export async function sessionOf(t: TestApp, email: string): Promise<string> {
  const res = await login(t, email);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.mfa_required).toBe(false);
  return res.body.access_token;
}

/**
 * A TOTP code from a time step not used before: the clock moves one step on first, since the
 * service accepts each step once per method.
 */
export function nextTotp(t: TestApp, secret: string): string {
  t.clock.advance(30_000);
  return totp(base32Decode(secret), t.clock.now());
}

/** Enrol an authenticator app with this session (no step-up needed for the first method); the secret. */
export async function enrolTotp(t: TestApp, token: string): Promise<string> {
  const setup = await call(t.app, 'POST', '/mfa/totp/setup', { token, body: {} });
  expect(setup.status, JSON.stringify(setup.body)).toBe(200);
  const code = totp(base32Decode(setup.body.secret), t.clock.now());
  const verified = await call(t.app, 'POST', '/mfa/totp/verify', { token, body: { enrollment_id: setup.body.enrollment_id, code } });
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  return setup.body.secret;
}

/** Both login steps with TOTP: a session whose second factor was just verified. */
export async function loginWithTotp(t: TestApp, email: string, secret: string): Promise<string> {
  const first = await login(t, email);
  expect(first.body.mfa_required, JSON.stringify(first.body)).toBe(true);
  const res = await call(t.app, 'POST', '/auth/mfa/verify', { body: { mfa_token: first.body.mfa_token, method: 'totp', code: nextTotp(t, secret) } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.access_token;
}

/** An admin with an authenticator app, signed in with it (fresh for admin routes whatever the policy). */
export async function givenTotpAdmin(t: TestApp, email = freshEmail('admin')): Promise<{ id: string; email: string; secret: string; token: string }> {
  const id = await givenAccount(t, email, ['admin']);
  const secret = await enrolTotp(t, await sessionOf(t, email));
  return { id, email, secret, token: await loginWithTotp(t, email, secret) };
}

/**
 * Store a policy directly (for suites about something else). No grace periods start: the
 * API's PUT does that; here they start at each user's next login or reminder run.
 */
export async function putPolicyDirectly(t: TestApp, patch: Partial<Policy>): Promise<void> {
  const core = t.composed.deps.core;
  await core.store.policy.put({ ...(await storedPolicy(core)), ...patch }, t.clock.now());
}

/** The mails captured so far that were sent to `to`, delivered first. */
export async function mailsTo(t: TestApp, to: string): Promise<string[]> {
  await t.composed.deps.outbox.drain();
  return t.mail.filter((m) => m.startsWith(`--- mail to ${to} ---`));
}

/**
 * The two databases for suites that must prove their SQL on both: SQLite in a temp dir, or a
 * fresh PostgreSQL database (test/helpers/databases.ts), handed to startTestApp by environment
 * (TWOFOLD_DATA_DIR / DATABASE_URL), so several apps can share one database like processes do.
 */
export interface SharedDatabase {
  name: 'sqlite' | 'postgres';
  skipReason?: string;
  /** The environment of an app on this database (created on first call). */
  env(): Promise<Record<string, string>>;
  cleanup(): Promise<void>;
}

export async function sharedDatabases(what: string): Promise<SharedDatabase[]> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { createPostgresDatabase, postgresSkipReason } = await import('../helpers/databases.js');
  let dir: string | undefined;
  let pg: { url: string; drop(): Promise<void> } | undefined;
  return [
    {
      name: 'sqlite',
      async env() {
        dir ??= mkdtempSync(join(tmpdir(), 'twofold-admin-'));
        return { TWOFOLD_DATA_DIR: dir };
      },
      async cleanup() {
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    },
    {
      name: 'postgres',
      skipReason: await postgresSkipReason(what),
      async env() {
        pg ??= await createPostgresDatabase();
        return { DATABASE_URL: pg.url };
      },
      async cleanup() {
        await pg?.drop();
      },
    },
  ];
}
