/**
 * One budget across processes (DESIGN.md "Scale": N identical stateless processes): two real
 * `twofold serve` processes, wrong logins alternating between them, exactly 10 evaluated in
 * total (API.md: 10 failed attempts per account per 15 minutes).
 *
 * - sharing PostgreSQL: the counters live in its `rate_limits` table;
 * - with Redis: each process has its own SQLite file (the account registered in both), so
 *   Redis is the only thing they share, and it alone must hold the one budget.
 *
 * PostgreSQL or Redis unreachable: skipped with the reason printed; with CI=true, a failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, postgresSkipReason, REDIS_URL, redisOrSkip, skipCasesIf } from '../helpers/databases.js';
import { freePort } from '../helpers/smtp-server.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET_KEY = Buffer.alloc(32, 42).toString('base64');
const PASSWORD = 'correct horse battery staple';
const START_TIMEOUT_MS = 40_000;

const pgSkip = await postgresSkipReason('the two-process PostgreSQL limiter case');
const redisTarget = await redisOrSkip();
afterAll(() => redisTarget.cleanup());

interface Service {
  url: string;
  output: string[];
  stop(): Promise<void>;
}

/** Start `node bin/twofold.js serve` with only the settings given (never this process's env). */
async function startService(settings: Record<string, string>): Promise<Service> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'twofold-proc-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    TMPDIR: tmpdir(),
    PORT: String(port),
    HOST: '127.0.0.1',
    TWOFOLD_DATA_DIR: dataDir,
    TWOFOLD_SECRET_KEY: SECRET_KEY,
    // Each request names its own client address, so no other test's 127.0.0.1 counters
    // (Redis is shared) can interfere with the per-account budget under test.
    TWOFOLD_TRUST_PROXY: 'true',
    LOG_LEVEL: 'warn',
    ...settings,
  };
  const child: ChildProcess = spawn(process.execPath, ['bin/twofold.js', 'serve'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (b: Buffer) => output.push(b.toString()));
  child.stderr?.on('data', (b: Buffer) => output.push(b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, output, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`twofold serve did not come up on ${url}:\n${output.join('')}`);
}

const run = randomBytes(1)[0];
let ipSeq = 0;
const nextIp = (): string => `10.${run}.${(++ipSeq >> 8) & 255}.${ipSeq & 255}`;

async function post(base: string, url: string, body: unknown): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${base}/api/v1${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': nextIp() },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { code?: string };
  return { status: res.status, code: json.code };
}

/**
 * 30 wrong logins for one account, alternating between the services: one after another
 * (each service then sees every other attempt), or all at once (the services race for the
 * budget).
 */
async function alternatingWrongLogins(services: Service[], email: string, mode: 'in turn' | 'at once') {
  const attempt = (i: number) => post(services[i % services.length].url, '/auth/login', { email, password: 'wrong password here' });
  const answers: Array<{ status: number; code?: string }> = [];
  if (mode === 'at once') answers.push(...(await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(i)))));
  else for (let i = 0; i < 30; i++) answers.push(await attempt(i));
  return {
    unauthorized: answers.filter((a) => a.status === 401 && a.code === 'invalid_credentials').length,
    limited: answers.filter((a) => a.status === 429 && a.code === 'rate_limited').length,
    perService: services.map((_, s) => answers.filter((a, i) => i % services.length === s && a.status === 401).length),
  };
}

/** Both orders, each on its own account; then the right password is refused everywhere. */
async function expectOneBudget(services: Service[], register: (email: string) => Promise<void>): Promise<void> {
  const inTurn = `turn.${randomUUID().slice(0, 8)}@example.com`;
  const atOnce = `once.${randomUUID().slice(0, 8)}@example.com`;
  await register(inTurn);
  await register(atOnce);

  const a = await alternatingWrongLogins(services, inTurn, 'in turn');
  // Separate budgets would have answered 10 + 10; one budget shared, 5 + 5.
  expect(a.perService).toEqual([5, 5]);
  expect(a.limited).toBe(20);

  const b = await alternatingWrongLogins(services, atOnce, 'at once');
  expect(b.unauthorized).toBe(10);
  expect(b.limited).toBe(20);

  for (const email of [inTurn, atOnce]) {
    for (const s of services) expect((await post(s.url, '/auth/login', { email, password: PASSWORD })).status).toBe(429);
  }
}

describe('two processes sharing PostgreSQL enforce one login budget', () => {
  skipCasesIf(pgSkip);
  let services: Service[] = [];
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (pgSkip) return;
    const db = await createPostgresDatabase();
    drop = db.drop;
    // One after the other: the second applies no migration (the first did), as in a rollout.
    services.push(await startService({ DATABASE_URL: db.url }));
    services.push(await startService({ DATABASE_URL: db.url }));
  }, 2 * START_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    services = [];
    await drop?.();
  });

  it('exactly 10 wrong logins are evaluated in total; then both refuse even the right password', async () => {
    await expectOneBudget(services, async (email) => {
      expect((await post(services[0].url, '/auth/register', { email, password: PASSWORD })).status).toBe(201);
    });
  });
});

describe('two processes with separate databases and one Redis enforce one login budget', () => {
  skipCasesIf(redisTarget.skipReason);
  let services: Service[] = [];
  beforeAll(async () => {
    if (redisTarget.skipReason) return;
    // One at a time, so a start that fails leaves the other one registered for cleanup.
    services.push(await startService({ REDIS_URL }));
    services.push(await startService({ REDIS_URL }));
  }, 2 * START_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    services = [];
  });

  it('exactly 10 wrong logins are evaluated in total; then both refuse even the right password', async () => {
    await expectOneBudget(services, async (email) => {
      // The same account in each process's own SQLite database.
      for (const s of services) expect((await post(s.url, '/auth/register', { email, password: PASSWORD })).status).toBe(201);
    });
  });
});
