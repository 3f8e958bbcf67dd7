import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Factor } from '../../src/core/auth/factor.js';
import { DEFAULT_POLICY } from '../../src/core/policy.js';
import type { Clock } from '../../src/core/ports.js';
import type { Policy } from '../../src/core/types.js';
import { buildApp } from '../../src/server/app.js';
import { compose, type Composed } from '../../src/server/compose.js';
import { loadConfig } from '../../src/server/config.js';
import { createPostgresDatabase } from './databases.js';

export interface TestApp {
  app: FastifyInstance;
  composed: Composed;
  clock: MutableClock;
  mail: string[];
  /** The data directory (the SQLite file lives here unless on PostgreSQL). */
  dataDir: string;
  /** The PostgreSQL database in use, if any. */
  databaseUrl?: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  factors?: Factor[];
  clock?: MutableClock;
  /**
   * Start on this data directory (e.g. again on the one of a closed app, to prove what survives
   * a restart); the caller owns it and removes it. @default a fresh temp dir, removed at close
   */
  dataDir?: string;
  /**
   * 'postgres': a fresh PostgreSQL database (test/helpers/databases.ts), dropped at close.
   * Check `postgresSkipReason()` first. `env.DATABASE_URL` names an existing one instead.
   * @default 'sqlite'
   */
  database?: 'sqlite' | 'postgres';
  /** Policy stored before the first request (e.g. a larger failure budget). */
  policy?: Partial<Policy>;
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
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const ownDir = opts.dataDir === undefined;
  const dir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'twofold-test-'));
  const pg = opts.database === 'postgres' && !opts.env?.DATABASE_URL ? await createPostgresDatabase() : undefined;
  const cleanup = async () => {
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    await pg?.drop();
  };
  try {
    const config = loadConfig({
      TWOFOLD_DATA_DIR: dir,
      TWOFOLD_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
      ...(pg ? { DATABASE_URL: pg.url } : {}),
      ...opts.env,
    });
    const clock = opts.clock ?? mutableClock();
    const mail: string[] = [];
    const composed = await compose(config, {
      clock,
      log: { info: () => {}, warn: () => {}, error: () => {} },
      factors: opts.factors,
      consoleWrite: (line) => mail.push(line),
      defaultMetrics: false,
    });
    if (opts.policy) await composed.deps.core.store.policy.put({ ...DEFAULT_POLICY, ...opts.policy }, clock.now());
    const app = await buildApp(composed.deps, { webUi: false });
    await app.ready();
    return {
      app,
      composed,
      clock,
      mail,
      dataDir: dir,
      databaseUrl: config.databaseUrl,
      close: async () => {
        await app.close();
        await composed.close();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
