/**
 * Opening the database: SQLite in the data directory by default, PostgreSQL when DATABASE_URL
 * says so (API.md "Running it"). Migrates at open so every process starts on the latest schema.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Store } from '../core/ports.js';
import { createKyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrate.js';
import type { Database, Dialect } from './schema.js';
import { GroupCommitSqliteDialect } from './sqlite-group-commit-dialect.js';
import type { SqliteGroupCommit } from './sqlite-group-commit.js';
import { WalCheckpoints } from './sqlite-checkpoints.js';
import { cachePreparedStatements } from './sqlite-statement-cache.js';

export interface OpenStoreOptions {
  /** `postgres://` or `postgresql://` selects PostgreSQL; unset or empty: SQLite in `dataDir`. */
  databaseUrl?: string;
  /** Where the SQLite file `twofold.db` lives (created if missing). */
  dataDir: string;
  /** Apply pending migrations at open. @default true */
  migrate?: boolean;
}

export interface OpenedStore {
  store: Store;
  db: Kysely<Database>;
  dialect: Dialect;
  /** The raw SQLite handle (for rate-limiter-flexible), when on SQLite. */
  sqlite?: BetterSqlite3.Database;
  /** Its group commit (sqlite-group-commit.ts), which writers on the raw handle join. */
  sqliteGroups?: SqliteGroupCommit;
  /** Its WAL checkpoints (sqlite-checkpoints.ts), for diagnostics. */
  sqliteCheckpoints?: WalCheckpoints;
  /** The PostgreSQL pool (for rate-limiter-flexible), when on PostgreSQL. */
  pgPool?: pg.Pool;
  /** Close the database; idempotent. */
  close(): Promise<void>;
}

/** Connections per process: N processes share PostgreSQL's max_connections (default 100). */
const PG_POOL_MAX = 10;
/** Wait this long for a lock held by another connection or process before SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;
/** pg's OID for int8 (bigint): epoch-ms times, identity ids and COUNT(*) results. */
const PG_INT8_OID = 20;

const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

/**
 * Open the store. SQLite: `${dataDir}/twofold.db` in WAL mode with foreign keys on.
 * PostgreSQL: a pool whose bigints come back as JS numbers (per pool, not pg's global parsers).
 *
 * @throws on an unsupported URL scheme, an unreachable database or a failed migration.
 */
export async function openStore(opts: OpenStoreOptions): Promise<OpenedStore> {
  const url = opts.databaseUrl?.trim() ?? '';
  if (url !== '' && !isPostgresUrl(url)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql:// (unset it to use the embedded SQLite)');
  }
  const opened = url !== '' ? await openPostgres(url) : openSqlite(opts.dataDir);
  try {
    if (opts.migrate ?? true) await migrateToLatest(opened.db, opened.dialect);
    else await opened.store.ping();
  } catch (err) {
    await opened.close().catch(() => {});
    throw err;
  }
  return opened;
}

function assemble(db: Kysely<Database>, dialect: Dialect, extra: Pick<OpenedStore, 'sqlite' | 'sqliteGroups' | 'sqliteCheckpoints' | 'pgPool'>): OpenedStore {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= db.destroy());
  return { store: createKyselyStore(db, dialect, close, extra.sqliteGroups), db, dialect, ...extra, close };
}

/** SQLite's page cache, KiB (see openSqlite). */
const SQLITE_PAGE_CACHE_KIB = 2048;

function openSqlite(dataDir: string): OpenedStore {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'twofold.db');
  const sqlite = new BetterSqlite3(file);
  // WAL: readers do not block the writer and several processes may share the file.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  // SQLite enforces foreign keys (ON DELETE CASCADE) only when asked, per connection.
  sqlite.pragma('foreign_keys = ON');
  // NORMAL is durable across application crashes in WAL mode; only a power loss may drop the
  // last commits (sqlite.org/pragma.html#pragma_synchronous).
  sqlite.pragma('synchronous = NORMAL');
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection, which fills up as the
  // database grows and stays on the C heap. Pages past the cache are one pread() away in the
  // kernel's own cache; the hot ones (index roots, the rows just written) stay in these 2 MB.
  sqlite.pragma(`cache_size = -${SQLITE_PAGE_CACHE_KIB}`);
  // Statement journals and the savepoints' sub-journal in memory, not in temp files: store
  // transactions are savepoints inside a commit group (sqlite-group-commit.ts), whose
  // sub-journal otherwise spills to a temp file opened, written and closed for every group
  // (more write() calls than the WAL itself; bench/README.md). It holds the original of each
  // page a savepoint changes, and is emptied when the group commits.
  sqlite.pragma('temp_store = MEMORY');
  // Before anyone holds the handle: Kysely and the SQLite rate limiter both prepare per query.
  cachePreparedStatements(sqlite);
  // Checkpoints whose long syncs run on the thread pool, not on the event loop.
  const checkpoints = new WalCheckpoints(sqlite, { file });
  const dialect = new GroupCommitSqliteDialect(sqlite, { busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS, checkpoints });
  const db = new Kysely<Database>({ dialect });
  return assemble(db, 'sqlite', { sqlite, sqliteGroups: dialect.core, sqliteCheckpoints: checkpoints });
}

function parseInt8(value: string): number {
  const n = Number(value);
  // Times, ids and counts stay far below 2^53; anything beyond is corruption, not data.
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} does not fit a JS number`);
  return n;
}

async function openPostgres(connectionString: string): Promise<OpenedStore> {
  // Loaded only for PostgreSQL, so an embedded (SQLite) process does not carry the driver.
  const { default: pg } = await import('pg');
  const pgPool = new pg.Pool({
    connectionString,
    max: PG_POOL_MAX,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === PG_INT8_OID && format !== 'binary'
          ? parseInt8
          : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
    },
  });
  // An idle client losing its connection (server restart) emits 'error' on the pool; without a
  // listener that would crash the process. The next query reports the problem instead.
  pgPool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pgPool }) });
  return assemble(db, 'postgres', { pgPool });
}
