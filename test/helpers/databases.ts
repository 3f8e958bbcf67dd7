/**
 * The databases the contract suite runs on: an embedded SQLite file in a fresh temp dir, and a
 * fresh PostgreSQL database per test file (created on first use, dropped at cleanup), plus the
 * Redis the limiter cases use.
 *
 * PostgreSQL or Redis unreachable: with CI=true the suite fails (CI must prove both); otherwise
 * their cases are skipped, each named with the reason, and one line says so.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { openStore, type OpenedStore } from '../../src/store/index.js';

/** Trust auth, database `test` exists (DESIGN.md "Facts about these machines"). */
export const PG_ADMIN_URL = process.env.TWOFOLD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TWOFOLD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const inCi = (): boolean => process.env.CI === 'true';
const hostOf = (url: string): string => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? '6379' : '5432')}`;
};

/** Where a target's database lives: what `openStore` (or a child process's config) needs. */
export interface StoreLocation {
  databaseUrl?: string;
  dataDir: string;
}

export interface DatabaseTarget {
  name: 'sqlite' | 'postgres';
  /** The database (created fresh on first use) for `openStore` or a server in a child process. */
  location(): Promise<StoreLocation>;
  /** Set when this target's cases are skipped: the reason, shown with every skipped case. */
  skipReason?: string;
  /** Open a store on this target's database (the same one on every call: reopen, share). */
  open(opts?: { migrate?: boolean }): Promise<OpenedStore>;
  /** Close every store opened here, then drop the database or remove the files. */
  cleanup(): Promise<void>;
}

let pgReachable: Promise<string | undefined> | undefined;

const printed = new Set<string>();
/** One line per reason and test file, however many describe blocks ask. */
function printOnce(line: string): void {
  if (printed.has(line)) return;
  printed.add(line);
  console.log(line);
}

/** Undefined when PostgreSQL answers, else why not. Asked once per test file (worker). */
function checkPostgres(): Promise<string | undefined> {
  pgReachable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return pgReachable;
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * For suites outside the contract suite (API and black-box tests on PostgreSQL): undefined when
 * PostgreSQL answers, else the reason, printed once; with CI=true an unreachable one throws.
 */
export async function postgresSkipReason(what: string): Promise<string | undefined> {
  const problem = await checkPostgres();
  if (problem === undefined) return undefined;
  if (inCi()) throw new Error(`postgres unreachable at ${hostOf(PG_ADMIN_URL)} with CI=true: ${problem}`);
  const reason = `postgres unreachable at ${hostOf(PG_ADMIN_URL)}: skipping ${what} (set CI=true to fail instead)`;
  printOnce(reason);
  return reason;
}

/** A fresh, empty PostgreSQL database: its URL, and `drop()` to remove it (connections and all). */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const dbName = `tf_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${dbName}`);
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${dbName}`;
  return { url: u.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`) };
}

function sqliteTarget(): DatabaseTarget {
  let dir: string | undefined;
  const opened: OpenedStore[] = [];
  const location = async (): Promise<StoreLocation> => ({ dataDir: (dir ??= mkdtempSync(join(tmpdir(), 'twofold-contract-'))) });
  return {
    name: 'sqlite',
    location,
    async open(opts) {
      const s = await openStore({ ...(await location()), migrate: opts?.migrate });
      opened.push(s);
      return s;
    },
    async cleanup() {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    },
  };
}

function postgresTarget(skipReason: string | undefined): DatabaseTarget {
  let loc: StoreLocation | undefined;
  let drop: (() => Promise<void>) | undefined;
  const opened: OpenedStore[] = [];
  const location = async (): Promise<StoreLocation> => {
    if (!loc) {
      const created = await createPostgresDatabase();
      drop = created.drop;
      loc = { databaseUrl: created.url, dataDir: mkdtempSync(join(tmpdir(), 'twofold-contract-pg-')) };
    }
    return loc;
  };
  return {
    name: 'postgres',
    skipReason,
    location,
    async open(opts) {
      const s = await openStore({ ...(await location()), migrate: opts?.migrate });
      opened.push(s);
      return s;
    },
    async cleanup() {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await drop?.();
      if (loc) rmSync(loc.dataDir, { recursive: true, force: true });
      loc = drop = undefined;
    },
  };
}

/**
 * The two targets, fresh for the caller: call it at the top of a test file (or of a `describe`
 * that needs empty databases of its own). Their databases are dropped after that file or
 * describe; stores opened with `useStore` are closed after their own describe. Fails when
 * PostgreSQL is unreachable and CI=true.
 */
export async function databaseTargets(): Promise<DatabaseTarget[]> {
  const problem = await checkPostgres();
  let skipReason: string | undefined;
  if (problem !== undefined) {
    if (inCi()) throw new Error(`postgres unreachable at ${hostOf(PG_ADMIN_URL)} with CI=true: ${problem}`);
    skipReason = `postgres unreachable at ${hostOf(PG_ADMIN_URL)}: skipping postgres contract cases (set CI=true to fail instead)`;
    printOnce(skipReason);
  }
  const targets = [sqliteTarget(), postgresTarget(skipReason)];
  // One database per target for all the describes of a file: creating a PostgreSQL database
  // costs about half a second, many times that on a busy machine.
  afterAll(async () => {
    await Promise.all(targets.map((t) => t.cleanup()));
  });
  return targets;
}

export interface RedisTarget {
  skipReason?: string;
  /** A new client (each is closed at cleanup). */
  client(): Redis;
  cleanup(): Promise<void>;
}

/** Redis for the limiter cases, or a skip reason (a failure with CI=true). */
export async function redisOrSkip(): Promise<RedisTarget> {
  const clients: Redis[] = [];
  const client = (): Redis => {
    const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 2, connectTimeout: 3000 });
    clients.push(r);
    return r;
  };
  const cleanup = async (): Promise<void> => {
    await Promise.all(clients.splice(0).map((r) => r.quit().catch(() => r.disconnect())));
  };
  const probe = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return { client, cleanup };
  } catch (err) {
    const problem = err instanceof Error ? err.message : String(err);
    if (inCi()) throw new Error(`redis unreachable at ${hostOf(REDIS_URL)} with CI=true: ${problem}`);
    const skipReason = `redis unreachable at ${hostOf(REDIS_URL)}: skipping redis limiter cases (set CI=true to fail instead)`;
    printOnce(skipReason);
    return { skipReason, client, cleanup };
  } finally {
    probe.disconnect();
  }
}

/**
 * Vitest wiring for one target inside a `describe`: opens a store before the cases (unless the
 * target is skipped), skips every case with the target's reason, closes the store after. The
 * database itself lives on until the target's cleanup (see `databaseTargets`).
 * @returns a getter for the opened store.
 */
export function useStore(target: { skipReason?: string; open(): Promise<OpenedStore> }): () => OpenedStore {
  let opened: OpenedStore | undefined;
  beforeAll(async () => {
    if (!target.skipReason) opened = await target.open();
  });
  skipCasesIf(target.skipReason);
  afterAll(async () => {
    await opened?.close();
    opened = undefined;
  });
  return () => {
    if (!opened) throw new Error('store not opened (target skipped?)');
    return opened;
  };
}

/** Inside a `describe`: skip every case, named with `reason`, when a reason is given. */
export function skipCasesIf(reason: string | undefined): void {
  beforeEach((ctx) => {
    if (reason) ctx.skip(reason);
  });
}
