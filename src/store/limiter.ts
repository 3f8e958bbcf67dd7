/**
 * The Limiter port over rate-limiter-flexible: in Redis when configured, otherwise in the
 * `rate_limits` table of the store's own database, so budgets survive restarts and are shared by
 * every process on one PostgreSQL (or one SQLite file).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Redis } from 'ioredis';
import {
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  RateLimiterSQLite,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { sql } from 'kysely';
import type { Budget, LimitBucket, LimitResult, Limiter } from '../core/ports.js';
import type { OpenedStore } from './connect.js';
import type { SqliteGroupCommit } from './sqlite-group-commit.js';

export interface LimiterOptions {
  /** Keep counters in Redis instead of the database. */
  redis?: Redis;
  /** The budget of a bucket, asked at every call: policy may change it at run time. */
  budgets: (bucket: LimitBucket) => Budget;
}

/** The table the migrations create with rate-limiter-flexible's layout. */
const TABLE = 'rate_limits';
/** Redis is often shared: our keys live under one recognisable namespace. */
const REDIS_NAMESPACE = 'twofold:rl:';
/** Sweep rows whose window ended over an hour ago, every 5 minutes (the library's own cadence). */
const SWEEP_EVERY_MS = 5 * 60_000;
const SWEEP_GRACE_MS = 60 * 60_000;

type Backend = (bucket: LimitBucket, budget: Budget) => RateLimiterAbstract;

/**
 * rate-limiter-flexible's SQLite backend with its one write statement run as it is, in the
 * store's commit group. The library wraps its single `INSERT ... ON CONFLICT ... RETURNING` in a
 * better-sqlite3 transaction function built anew on every call (plus BEGIN and COMMIT, or a
 * savepoint inside a store transaction): 4-6% of the event loop on the sign-in paths
 * (bench/README.md). One statement is atomic in SQLite on its own. It joins the open commit
 * group, or opens one (sqlite-group-commit.ts): so it shares a commit with the request's other
 * writes instead of committing alone, and while another process holds the write lock it waits
 * with timers, not asleep in SQLite's busy handler on the event loop. The delete of `reset`
 * likewise. If a library update renames these hooks, the library's own (equally correct)
 * path runs instead.
 */
class SqliteLimiter extends RateLimiterSQLite {
  readonly #conn: BetterSqlite3.Database;

  constructor(
    opts: ConstructorParameters<typeof RateLimiterSQLite>[0] & { storeClient: BetterSqlite3.Database },
    private readonly groups: SqliteGroupCommit | undefined,
  ) {
    super(opts);
    this.#conn = opts.storeClient;
  }

  async _upsertTransactionBetterSQLite3(conn: BetterSqlite3.Database, upsertQuery: string, upsertParams: unknown[]): Promise<unknown> {
    return this.#inGroup(() => conn.prepare(upsertQuery).get(...upsertParams));
  }

  /** The library's delete (`reset`), in the commit group too: resolved once durable. */
  async _delete(rlKey: string): Promise<boolean> {
    return this.#inGroup(() => this.#conn.prepare(`DELETE FROM ${TABLE} WHERE key = ?`).run(rlKey).changes > 0);
  }

  #inGroup<T>(run: () => T): T | Promise<T> {
    return this.groups ? this.groups.writeBeside(run) : run();
  }
}

function backendFor(opened: OpenedStore, redis: Redis | undefined): Backend {
  const common = (bucket: LimitBucket, b: Budget) => ({
    points: b.points,
    duration: b.durationS,
    blockDuration: b.blockS ?? 0,
  });
  if (redis) {
    return (bucket, b) =>
      new RateLimiterRedis({ ...common(bucket, b), storeClient: redis, keyPrefix: `${REDIS_NAMESPACE}${bucket}` });
  }
  // tableCreated: the migrations made the table, so no limiter races to create it at start-up;
  // clearExpiredByTimeout off: one sweeper below instead of a timer per cached limiter.
  if (opened.dialect === 'postgres' && opened.pgPool) {
    const pool = opened.pgPool;
    return (bucket, b) =>
      new RateLimiterPostgres({
        ...common(bucket, b),
        storeClient: pool,
        storeType: 'pool',
        tableName: TABLE,
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: bucket,
      });
  }
  if (opened.dialect === 'sqlite' && opened.sqlite) {
    const sqlite = opened.sqlite;
    // Caveat: better-sqlite3 is one connection, so a limiter call made while a store
    // transaction is open joins that transaction (and commits or rolls back with it); otherwise
    // it joins the commit group.
    return (bucket, b) =>
      new SqliteLimiter(
        {
          ...common(bucket, b),
          storeClient: sqlite,
          storeType: 'better-sqlite3',
          tableName: TABLE,
          tableCreated: true,
          clearExpiredByTimeout: false,
          keyPrefix: bucket,
        },
        opened.sqliteGroups,
      );
  }
  throw new Error(`createLimiter: the opened ${opened.dialect} store carries no driver handle`);
}

function startSweeper(opened: OpenedStore): void {
  const closed = (): boolean => (opened.sqlite ? !opened.sqlite.open : (opened.pgPool?.ending ?? false));
  const timer = setInterval(() => {
    if (closed()) {
      clearInterval(timer);
      return;
    }
    sql`delete from rate_limits where expire < ${Date.now() - SWEEP_GRACE_MS}`
      .execute(opened.db)
      // Housekeeping only: a closed or unreachable database is reported by real queries.
      .catch(() => {});
  }, SWEEP_EVERY_MS);
  timer.unref();
}

const secondsUntil = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/**
 * Create the Limiter. One rate-limiter-flexible instance is kept per (bucket, points, duration,
 * block), so a policy change takes effect at the next call while counters (keyed by bucket and
 * key only) carry over.
 */
export async function createLimiter(opened: OpenedStore, opts: LimiterOptions): Promise<Limiter> {
  const make = backendFor(opened, opts.redis);
  if (!opts.redis) startSweeper(opened);
  const cache = new Map<string, RateLimiterAbstract>();

  function limiterFor(bucket: LimitBucket): { rl: RateLimiterAbstract; budget: Budget } {
    const budget = opts.budgets(bucket);
    if (!(budget.points > 0) || !(budget.durationS > 0)) {
      throw new RangeError(`limiter budget for ${bucket} must have points > 0 and durationS > 0`);
    }
    const id = `${bucket}|${budget.points}|${budget.durationS}|${budget.blockS ?? 0}`;
    let rl = cache.get(id);
    if (!rl) {
      rl = make(bucket, budget);
      cache.set(id, rl);
    }
    return { rl, budget };
  }

  return {
    sharesStoreConnection: !opts.redis && opened.dialect === 'sqlite',

    async consume(bucket, key, points = 1): Promise<LimitResult> {
      const { rl } = limiterFor(bucket);
      try {
        const res = await rl.consume(key, points);
        return { allowed: true, retryAfterS: 0, remaining: res.remainingPoints };
      } catch (err) {
        // The library rejects with a RateLimiterRes for "too many" and with an Error otherwise.
        if (err instanceof RateLimiterRes) {
          return { allowed: false, retryAfterS: secondsUntil(err.msBeforeNext), remaining: 0 };
        }
        throw err;
      }
    },

    async reward(bucket, key, points = 1) {
      const { rl } = limiterFor(bucket);
      // Never give back more than was taken in the current window: rewarding an expired or
      // unknown key would otherwise start the next window below zero (extra attempts).
      const current = await rl.get(key);
      if (!current || current.consumedPoints <= 0) return;
      await rl.reward(key, Math.min(points, current.consumedPoints));
    },

    async peek(bucket, key): Promise<LimitResult> {
      const { rl, budget } = limiterFor(bucket);
      const res = await rl.get(key);
      if (!res) return { allowed: true, retryAfterS: 0, remaining: budget.points };
      // A block stores points + 1, so a blocked key reads as spent too.
      if (res.consumedPoints >= budget.points) {
        return { allowed: false, retryAfterS: secondsUntil(res.msBeforeNext), remaining: 0 };
      }
      return { allowed: true, retryAfterS: 0, remaining: budget.points - res.consumedPoints };
    },

    async reset(bucket, key) {
      const { rl } = limiterFor(bucket);
      await rl.delete(key);
    },
  };
}
