/**
 * Bench users, made through the public API only (as an integrator would): register, sign in,
 * enrol TOTP methods. Nothing is written to the database behind the service's back.
 */
import { randomBytes } from 'node:crypto';
import { base32Decode, timeStep, totp } from '../../src/core/otp/index.js';
import { describeReply, type HttpClient } from './http.js';

/** One enrolled authenticator, as the bench's "phone" holds it. */
export interface TotpMethod {
  key: Buffer;
  /** The newest time step the server has accepted (or will, once in flight) for this method. */
  lastStep: number;
}

export interface BenchUser {
  email: string;
  password: string;
  methods: TotpMethod[];
}

export const API = '/api/v1';
/** RFC 6238 default period; the service enrols with it. */
export const PERIOD_S = 30;

/** Run `fn(i)` for i in [0, count) with at most `concurrency` in flight. */
export async function pool(count: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

function expect(ok: boolean, what: string, r: { status: number; body: unknown }): void {
  if (!ok) throw new Error(`${what}: ${describeReply(r)}`);
}

/** Register `count` accounts (each costs the server one argon2id hash). */
export async function registerUsers(http: HttpClient, count: number, concurrency: number): Promise<BenchUser[]> {
  const run = randomBytes(4).toString('hex');
  const users: BenchUser[] = Array.from({ length: count }, (_, i) => ({
    email: `bench-${run}-${i}@example.com`,
    // Unique and random, so the common-password check never refuses one.
    password: `bench ${randomBytes(9).toString('base64url')}`,
    methods: [],
  }));
  await pool(count, concurrency, async (i) => {
    const r = await http.post(`${API}/auth/register`, { email: users[i].email, password: users[i].password });
    expect(r.status === 201, `register ${users[i].email}`, r);
  });
  return users;
}

/** Sign in (password step) and answer the parsed body. */
export async function login(http: HttpClient, user: BenchUser): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await http.post(`${API}/auth/login`, { email: user.email, password: user.password });
  return { status: r.status, body: (typeof r.body === 'object' && r.body ? r.body : {}) as Record<string, unknown> };
}

/**
 * Enrol `count` TOTP methods for a user without MFA yet. The first needs no step-up; the first
 * verification marks the session as having just passed a second factor, so the next ones are
 * within `step_up_max_age_s` (API.md "Step-up") and need no proof either.
 */
export async function enrolTotp(http: HttpClient, user: BenchUser, count: number): Promise<void> {
  const signedIn = await login(http, user);
  expect(signedIn.status === 200 && typeof signedIn.body.access_token === 'string', `login ${user.email}`, signedIn);
  const token = signedIn.body.access_token as string;
  for (let i = 0; i < count; i++) {
    const setup = await http.post(`${API}/mfa/totp/setup`, { name: `bench ${i}` }, token);
    const s = setup.body as { enrollment_id?: string; secret?: string };
    expect(setup.status === 200 && !!s.secret && !!s.enrollment_id, `totp setup ${user.email}`, setup);
    const key = base32Decode(s.secret!);
    const now = Date.now();
    const verified = await http.post(`${API}/mfa/totp/verify`, { enrollment_id: s.enrollment_id, code: totp(key, now) }, token);
    expect(verified.status === 200, `totp verify ${user.email}`, verified);
    // The server stored the step of the code as the method's last step (no replay of it).
    user.methods.push({ key, lastStep: timeStep(now, PERIOD_S) });
  }
}
