/**
 * What the `twofold` entry point (bin/twofold.js) sets up before the service loads: libuv's
 * thread pool sized to TWOFOLD_HASH_CONCURRENCY (one thread per password hash computed at once),
 * observed as the threads of the real process; and V8's young generation held at its cap
 * (src/server/heap-settings.ts), observed through /metrics.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { http, startServe, type ServeProcess } from './serve-process.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** `twofold serve` on a data directory of its own, stopped and removed after the file. */
async function startFresh(env: Record<string, string>): Promise<ServeProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'twofold-tuning-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const svc = await startServe({ TWOFOLD_DATA_DIR: dataDir, ...env });
  cleanups.push(async () => void (await svc.stop()));
  return svc;
}

/** Start the service with this hash concurrency, hash one password, and count its threads. */
async function threadsAfterAHash(hashConcurrency: string, extra: Record<string, string> = {}): Promise<number> {
  const svc = await startFresh({ TWOFOLD_HASH_CONCURRENCY: hashConcurrency, ...extra });
  // A registration hashes a password, which starts the pool (all its threads at once).
  const r = await http(svc.base, 'POST', '/auth/register', { body: { email: 'threads@example.com', password: 'correct horse battery staple' } });
  expect(r.status).toBe(201);
  return readdirSync(`/proc/${svc.pid}/task`).length;
}

// Threads are read from /proc, which only Linux has; the service's tuning is the same elsewhere.
describe.runIf(existsSync('/proc/self/task'))('thread pool of `twofold serve`', () => {
  it('has one libuv thread per password hash computed at once (TWOFOLD_HASH_CONCURRENCY)', async () => {
    const [one, three] = await Promise.all([threadsAfterAHash('1'), threadsAfterAHash('3')]);
    expect(three - one).toBe(2);
  }, 90_000);

  it('leaves an operator UV_THREADPOOL_SIZE alone', async () => {
    const [one, six] = await Promise.all([threadsAfterAHash('1'), threadsAfterAHash('1', { UV_THREADPOOL_SIZE: '6' })]);
    expect(six - one).toBe(5);
  }, 90_000);
});

/** The service's V8 new space as /metrics reports it, bytes. */
async function newSpaceBytes(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => /nodejs_heap_space_size_total_bytes\{space="new"\}/.test(l));
  expect(line, 'the new space in /metrics').toBeDefined();
  return Number(line!.split(' ').pop());
}

describe('V8 heap of `twofold serve`', () => {
  it('keeps the young generation near its 2 MB semi-spaces through start-up and load', async () => {
    const svc = await startFresh({});
    // Module loading at start-up alone would have taken it to V8's maximum (32 MB).
    expect(await newSpaceBytes(svc.base)).toBeLessThanOrEqual(8 * 1024 * 1024);
    for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 50 }, () => fetch(`${svc.base}/openapi.json`).then((r) => r.arrayBuffer())));
    expect(await newSpaceBytes(svc.base)).toBeLessThanOrEqual(8 * 1024 * 1024);
  }, 90_000);

  it('leaves it to node when the operator gives a semi-space size', async () => {
    const svc = await startFresh({ NODE_OPTIONS: '--max-semi-space-size=16' });
    expect(await newSpaceBytes(svc.base)).toBeGreaterThan(8 * 1024 * 1024);
  }, 90_000);
});
