/**
 * `twofold users reset-mfa` as an operator runs it when no admin can sign in: a real process
 * (bin/twofold.js) on the same data directory and master key as a running app, configured only
 * through the documented environment. The reset takes every factor and session, the mail is
 * printed (no SMTP configured), the audit names no admin.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolTotp, login, loginWithTotp } from '../api/admin-fixtures.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, STRONG } from '../helpers/http.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET_KEY = Buffer.alloc(32, 7).toString('base64');
const run = promisify(execFile);

let dir: string;
let t: TestApp;

/** `node bin/twofold.js ...args` with exactly the documented environment; its exit code and output. */
async function twofold(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', TWOFOLD_DATA_DIR: dir, TWOFOLD_SECRET_KEY: SECRET_KEY };
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/twofold.js', ...args], { cwd: ROOT, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'twofold-cli-'));
  t = await startTestApp({ env: { TWOFOLD_DATA_DIR: dir, TWOFOLD_SECRET_KEY: SECRET_KEY } });
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('twofold users reset-mfa', () => {
  it('resets the MFA of an account created by the CLI, ends its sessions and prints the mail', async () => {
    const email = 'locked-out@example.com';
    const created = await twofold('users', 'create', '--email', email, '--password', STRONG, '--role', 'admin');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/created user [0-9a-f-]{36} <locked-out@example.com> roles=\[admin\]/);

    // The running app sees the account: enrol an authenticator and sign in with it.
    const secret = await enrolTotp(t, (await login(t, email)).body.access_token);
    const token = await loginWithTotp(t, email, secret);
    expect((await call(t.app, 'GET', '/mfa/status', { token })).body.enabled).toBe(true);

    const reset = await twofold('users', 'reset-mfa', '--email', email, '--reason', 'lost phone, no admin left');
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(/reset MFA of [0-9a-f-]{36} <locked-out@example.com>: removed 1 method/);
    const mail = reset.stdout.slice(reset.stdout.indexOf(`--- mail to ${email} ---`));
    expect(mail).toContain('Subject: An administrator reset two-step verification');
    expect(mail).toContain('lost phone, no admin left');

    // Another process's reset is in the shared database: the session is gone, login has one step.
    expect((await call(t.app, 'GET', '/me', { token })).status).toBe(401);
    const again = await call(t.app, 'POST', '/auth/login', { body: { email, password: STRONG } });
    expect(again.body.mfa_required).toBe(false);
    const core = t.composed.deps.core;
    const user = (await core.store.users.byEmail(email))!;
    expect(await core.store.methods.listForUser(user.id)).toEqual([]);
    expect(await core.store.backupCodes.remaining(user.id)).toBe(0);
    const trail = await core.store.events.list({ userId: user.id, type: 'admin.mfa_reset', limit: 5 });
    expect(trail.events).toHaveLength(1);
    expect(trail.events[0]).toMatchObject({ actorId: null, userAgent: 'twofold cli', details: { reason: 'lost phone, no admin left', methods_removed: 1 } });
  });

  it('gives a default reason, and fails with exit code 1 for an unknown email', async () => {
    const email = 'plain@example.com';
    expect((await twofold('users', 'create', '--email', email, '--password', STRONG)).code).toBe(0);
    const reset = await twofold('users', 'reset-mfa', '--email', email);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('reset by an operator with the twofold command');

    const unknown = await twofold('users', 'reset-mfa', '--email', 'nobody@example.com');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no account with the email nobody@example.com');
    const missing = await twofold('users', 'reset-mfa');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('--email');
  });
});
