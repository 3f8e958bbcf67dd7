import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Factor } from '../../src/core/auth/factor.js';
import type { Clock } from '../../src/core/ports.js';
import { buildApp } from '../../src/server/app.js';
import { compose, type Composed } from '../../src/server/compose.js';
import { loadConfig } from '../../src/server/config.js';

export interface TestApp {
  app: FastifyInstance;
  composed: Composed;
  clock: MutableClock;
  mail: string[];
  close(): Promise<void>;
}

export interface MutableClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function mutableClock(start = Date.now()): MutableClock {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms), advance: (ms) => (t += ms) };
}

/**
 * A real app over a real store: a fresh SQLite file by default, or the database a test names.
 * Mail and SMS go to the console sink, captured in `mail`.
 */
export async function startTestApp(opts: { env?: Record<string, string>; factors?: Factor[]; clock?: MutableClock } = {}): Promise<TestApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'twofold-test-'));
  const config = loadConfig({ TWOFOLD_DATA_DIR: dir, TWOFOLD_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'), ...opts.env });
  const clock = opts.clock ?? mutableClock();
  const mail: string[] = [];
  const composed = await compose(config, {
    clock,
    log: { info: () => {}, warn: () => {}, error: () => {} },
    factors: opts.factors,
    consoleWrite: (line) => mail.push(line),
    defaultMetrics: false,
  });
  const app = await buildApp(composed.deps, { webUi: false });
  await app.ready();
  return {
    app,
    composed,
    clock,
    mail,
    close: async () => {
      await app.close();
      await composed.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
