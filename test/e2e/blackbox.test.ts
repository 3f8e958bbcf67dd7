/**
 * The black-box test: the service started as an operator starts it, driven over real HTTP, with
 * the TOTP side checked by independent tools: the QR code decoded by zbarimg, the codes computed
 * by oathtool (OATH Toolkit), as a user's phone would. On SQLite and on PostgreSQL, side by side
 * (each may wait up to one 30 s time step: a login code must come from a later step than the
 * enrolment code, since a step is accepted once).
 *
 * oathtool, zbarimg or PostgreSQL missing: skipped with the reason, or a failure with CI=true.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, it, type ExpectStatic } from 'vitest';
import { createPostgresDatabase, postgresSkipReason } from '../helpers/databases.js';
import { toolSkipReason } from '../helpers/mfa.js';
import { http, startServe, type ServeProcess } from './serve-process.js';

const STEP_MS = 30_000;
const FLOW_TIMEOUT_MS = 150_000;
const toolsMissing = toolSkipReason('oathtool') ?? toolSkipReason('zbarimg', ['--version']);
const pgMissing = await postgresSkipReason('the PostgreSQL black-box test');

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const oathtool = (secret: string) => execFileSync('oathtool', ['--totp', '-b', secret], { encoding: 'utf8' }).trim();
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a scanning phone reads from the QR code of the setup answer. */
function scanQr(dataUrl: string, dir: string): string {
  const prefix = 'data:image/png;base64,';
  if (!dataUrl.startsWith(prefix)) throw new Error(`not a PNG data URL: ${dataUrl.slice(0, 40)}`);
  const file = path.join(dir, 'qr.png');
  writeFileSync(file, Buffer.from(dataUrl.slice(prefix.length), 'base64'));
  return execFileSync('zbarimg', ['--raw', '-q', '--nodbus', file], { encoding: 'utf8' }).trim();
}

async function flow(expect: ExpectStatic, database: 'sqlite' | 'postgres'): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'twofold-blackbox-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const env: Record<string, string> = { TWOFOLD_DATA_DIR: dataDir };
  if (database === 'postgres') {
    const pg = await createPostgresDatabase();
    cleanups.push(() => pg.drop());
    env.DATABASE_URL = pg.url;
  }
  const svc: ServeProcess = await startServe(env);
  cleanups.push(async () => void (await svc.stop()));
  const { base } = svc;
  const email = `blackbox-${database}-${process.pid}@example.com`;
  const password = 'correct horse battery staple';

  // Register, log in, refresh, log out.
  const reg = await http(base, 'POST', '/auth/register', { body: { email, password } });
  expect(reg.status).toBe(201);
  const login = await http(base, 'POST', '/auth/login', { body: { email, password } });
  expect(login.status).toBe(200);
  expect(login.body).toMatchObject({ mfa_required: false, token_type: 'bearer', user: { id: reg.body.user_id, email } });
  const refreshed = await http(base, 'POST', '/auth/token/refresh', { body: { refresh_token: login.body.refresh_token } });
  expect(refreshed.status).toBe(200);
  expect(refreshed.body.refresh_token).not.toBe(login.body.refresh_token);
  expect((await http(base, 'GET', '/auth/sessions', { token: refreshed.body.access_token })).status).toBe(200);
  expect((await http(base, 'POST', '/auth/logout', { token: refreshed.body.access_token, body: {} })).status).toBe(204);
  expect((await http(base, 'GET', '/auth/sessions', { token: refreshed.body.access_token })).status).toBe(401);

  // Enrol an authenticator app from the QR code.
  const access = (await http(base, 'POST', '/auth/login', { body: { email, password } })).body.access_token;
  const setup = await http(base, 'POST', '/mfa/totp/setup', { token: access, body: { name: 'Phone' } });
  expect(setup.status).toBe(200);
  expect(scanQr(setup.body.qr_code, dataDir)).toBe(setup.body.otpauth_uri);
  expect(new URL(setup.body.otpauth_uri).searchParams.get('secret')).toBe(setup.body.secret);
  const enrolCode = oathtool(setup.body.secret);
  // Read after the code: if a step boundary passed meanwhile, this errs towards waiting longer.
  const enrolStep = Math.floor(Date.now() / STEP_MS);
  const verified = await http(base, 'POST', '/mfa/totp/verify', { token: access, body: { enrollment_id: setup.body.enrollment_id, code: enrolCode } });
  expect(verified.status).toBe(200);
  expect(verified.body.backup_codes).toHaveLength(10);
  expect((await http(base, 'POST', '/auth/logout', { token: access, body: {} })).status).toBe(204);

  // Log in with the second factor.
  const first = await http(base, 'POST', '/auth/login', { body: { email, password } });
  expect(first.body).toMatchObject({ mfa_required: true, methods: ['totp', 'backup_code'] });
  const replay = await http(base, 'POST', '/auth/mfa/verify', { body: { mfa_token: first.body.mfa_token, method: 'totp', code: enrolCode } });
  expect(replay.status).toBe(401);
  expect(replay.body.code).toBe('invalid_code');
  const nextStepAt = (enrolStep + 1) * STEP_MS;
  if (Date.now() < nextStepAt) await sleep(nextStepAt - Date.now() + 250);
  const mfa = await http(base, 'POST', '/auth/mfa/verify', { body: { mfa_token: first.body.mfa_token, method: 'totp', code: oathtool(setup.body.secret) } });
  expect(mfa.status).toBe(200);
  expect(claimsOf(mfa.body.access_token)).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: 'aal2', sub: reg.body.user_id });
  const status = await http(base, 'GET', '/mfa/status', { token: mfa.body.access_token });
  expect(status.body).toMatchObject({ enabled: true, backup_codes_remaining: 10 });
  expect(JSON.stringify(status.body)).not.toContain(setup.body.secret);

  // The generated master key, and the operator warned about it.
  expect(statSync(path.join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
  expect(svc.output()).toMatch(/generated a secret key at .*secret\.key; set TWOFOLD_SECRET_KEY in production/);

  expect(await svc.stop()).toBe(0);
}

describe('the service as a black box', () => {
  it.concurrent('on SQLite: account, tokens, TOTP enrolment with oathtool and zbarimg, MFA login, clean stop', async ({ expect, skip }) => {
    if (toolsMissing) skip(toolsMissing);
    await flow(expect, 'sqlite');
  }, FLOW_TIMEOUT_MS);

  it.concurrent('on PostgreSQL: the same', async ({ expect, skip }) => {
    if (toolsMissing) skip(toolsMissing);
    if (pgMissing) skip(pgMissing);
    await flow(expect, 'postgres');
  }, FLOW_TIMEOUT_MS);
});
