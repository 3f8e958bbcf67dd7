import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { EVENT } from '../../src/core/audit.js';
import { compose } from '../../src/server/compose.js';
import { loadConfig } from '../../src/server/config.js';
import { rotateKeys } from '../../src/server/key-rotation.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, signUp } from '../helpers/http.js';
import { codeAt, loginWithTotp, totpSetup, uniqueEmail, userWithTotp } from '../helpers/mfa.js';

/** `twofold keys rotate` (issue #3): every secret re-encrypted under a new key, no downtime. */
const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
/** The master key startTestApp uses (the CLI must open the same data). */
const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

const apps: TestApp[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
async function app(opts: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
  const a = await startTestApp(opts);
  apps.push(a);
  return a;
}
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'twofold-keys-'));
  dirs.push(d);
  return d;
}

const kidOf = (envelope: string | null | undefined) => envelope?.split('.')[1];
const jwks = async (t: TestApp) => (await call(t.app, 'GET', '/.well-known/jwks.json')).body;
const verifies = async (t: TestApp, token: string) => (await call(t.app, 'GET', '/mfa/status', { token })).status === 200;

describe('rotateKeys', () => {
  it('re-encrypts TOTP secrets, pending enrolments and signing keys under a new key id, and adds a signing key', async () => {
    const t = await app();
    const u = await userWithTotp(t, 'rotate');
    const other = await signUp(t.app, uniqueEmail('pending'));
    const pending = await totpSetup(t, other.access);
    const oldKid = t.composed.deps.keyring.currentKid();
    const oldToken = (await loginWithTotp(t, u)).body.access_token;
    expect((await jwks(t)).keys).toHaveLength(1);

    const r = await rotateKeys(t.composed.deps, t.clock.now());
    expect(r.kid).not.toBe(oldKid);
    expect(r).toMatchObject({ methods: 1, enrollments: 1, signingKeys: 1 });
    expect(t.composed.deps.keyring.currentKid()).toBe(r.kid);
    const store = t.composed.deps.core.store;
    expect(kidOf((await store.methods.byId(u.methodId))!.secretEnc)).toBe(r.kid);
    expect(kidOf((await store.totpEnrollments.byId(pending.body.enrollment_id))!.secretEnc)).toBe(r.kid);
    for (const k of await store.signingKeys.all()) expect(kidOf(k.privateEnc)).toBe(r.kid);
    const { events } = await store.events.list({ type: EVENT.keysRotated, limit: 10 });
    expect(events.map((e) => e.details)).toEqual([{ kid: r.kid, signing_kid: r.signingKid, methods: 1, enrollments: 1, signing_keys: 1 }]);

    // Everything still works: TOTP login, the pending enrolment, the token issued before.
    const fresh = (await loginWithTotp(t, u)).body.access_token;
    const confirmed = await call(t.app, 'POST', '/mfa/totp/verify', { token: other.access, body: { enrollment_id: pending.body.enrollment_id, code: codeAt(t, pending.body.secret) } });
    expect(confirmed.status).toBe(200);
    expect(await verifies(t, oldToken)).toBe(true);

    const published = await jwks(t);
    expect(published.keys).toHaveLength(2);
    expect(decodeProtectedHeader(fresh).kid).toBe(r.signingKid);
    const keySet = createLocalJWKSet(published);
    for (const token of [oldToken, fresh]) await expect(jwtVerify(token, keySet)).resolves.toBeTruthy();
  });

  it('a process that has not refreshed yet keeps working, then picks up the new keys', async () => {
    const dir = tempDir();
    const running = await app({ dataDir: dir });
    const u = await userWithTotp(running, 'running');
    const before = (await loginWithTotp(running, u)).body.access_token;
    // Another process (as `twofold keys rotate` is) on the same database.
    const rotator = await app({ dataDir: dir, clock: running.clock });
    const r = await rotateKeys(rotator.composed.deps, rotator.clock.now());

    // Not refreshed: the secret sealed under the unknown new key id still opens.
    expect(running.composed.deps.keyring.currentKid()).not.toBe(r.kid);
    const stillOld = (await loginWithTotp(running, u)).body.access_token;
    expect(decodeProtectedHeader(stillOld).kid).not.toBe(r.signingKid);
    // Tokens signed by either process verify in both.
    const byRotator = (await loginWithTotp(rotator, u)).body.access_token;
    expect(decodeProtectedHeader(byRotator).kid).toBe(r.signingKid);
    expect(await verifies(running, byRotator)).toBe(true);
    expect(await verifies(rotator, before)).toBe(true);

    await running.composed.refreshKeys();
    expect(running.composed.deps.keyring.currentKid()).toBe(r.kid);
    expect(decodeProtectedHeader((await loginWithTotp(running, u)).body.access_token).kid).toBe(r.signingKid);
    const other = await signUp(running.app, uniqueEmail('after'));
    const setup = await totpSetup(running, other.access);
    expect(kidOf((await running.composed.deps.core.store.totpEnrollments.byId(setup.body.enrollment_id))!.secretEnc)).toBe(r.kid);
  });

  it('a started process re-reads the keys on its own (every minute; here every 50 ms)', async () => {
    const dir = tempDir();
    const rotator = await app({ dataDir: dir });
    const quiet = { info: () => {}, warn: () => {}, error: () => {} };
    const config = loadConfig({ TWOFOLD_DATA_DIR: dir, TWOFOLD_SECRET_KEY: TEST_SECRET_KEY });
    const running = await compose(config, { log: quiet, keyRefreshMs: 50, consoleWrite: () => {}, defaultMetrics: false });
    running.start();
    try {
      const r = await rotateKeys(rotator.composed.deps, Date.now());
      await vi.waitFor(() => expect(running.deps.keyring.currentKid()).toBe(r.kid), { timeout: 5000, interval: 50 });
      const claims = { sub: 'u', sid: 's', amr: ['pwd' as const], acr: 'aal1' as const };
      await vi.waitFor(async () => expect(decodeProtectedHeader((await running.deps.jwt.sign(claims, Date.now())).token).kid).toBe(r.signingKid), { timeout: 5000, interval: 50 });
    } finally {
      await running.close();
    }
  });

  it('refuses an envelope under an unknown key id that does not authenticate, and does not adopt the id', async () => {
    const t = await app();
    const keyring = t.composed.deps.keyring;
    const sealed = keyring.encrypt(Buffer.from('secret'), 'aad');
    const forged = sealed.replace(`v1.${keyring.currentKid()}.`, 'v1.kforged01.');
    expect(() => keyring.decrypt(forged, 'aad')).toThrow();
    // Had the id been adopted, the next rotation would see it as known; it must not be.
    expect(keyring.needsRotation(forged)).toBe(true);
    expect(keyring.decrypt(sealed, 'aad').toString()).toBe('secret');
  });
});

describe('twofold keys rotate', () => {
  it('rotates the keys of a data directory from the command line; the service then works as before', async () => {
    const dir = tempDir();
    const first = await app({ dataDir: dir });
    const u = await userWithTotp(first, 'cli');
    const oldToken = (await loginWithTotp(first, u)).body.access_token;
    const oldKid = first.composed.deps.keyring.currentKid();
    const clock = first.clock;
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TWOFOLD_DATA_DIR: dir, TWOFOLD_SECRET_KEY: TEST_SECRET_KEY };
    const { stdout } = await run(process.execPath, ['bin/twofold.js', 'keys', 'rotate'], { cwd: ROOT, env, timeout: 60_000 });
    expect(stdout).toMatch(/rotated: encryption key k[a-z2-7]{8} \(re-encrypted 1 TOTP methods, 0 pending enrolments, 1 signing keys\)/);

    const second = await app({ dataDir: dir, clock });
    const newKid = second.composed.deps.keyring.currentKid();
    expect(newKid).not.toBe(oldKid);
    expect(stdout).toContain(newKid);
    expect(kidOf((await second.composed.deps.core.store.methods.byId(u.methodId))!.secretEnc)).toBe(newKid);
    expect(await verifies(second, oldToken)).toBe(true);
    expect((await jwks(second)).keys).toHaveLength(2);
    const fresh = (await loginWithTotp(second, u)).body.access_token;
    expect((await jwks(second)).keys.map((k: { kid: string }) => k.kid)).toContain(decodeProtectedHeader(fresh).kid);
  });
});
