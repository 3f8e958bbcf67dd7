/**
 * Reuse compiled SQLite statements. better-sqlite3 compiles SQL anew on every `prepare()`, and
 * both Kysely's SQLite driver and rate-limiter-flexible call `prepare()` for every query: on
 * the TOTP verify path (16 statements) compiling was about a quarter of the server's CPU per
 * request (bench/README.md). The SQL texts are few (one per query shape), so a bounded cache
 * keyed by the text serves nearly every call.
 *
 * Sharing a statement object is safe here because every caller runs it to completion
 * synchronously (`run`, `get`, `all`: better-sqlite3 resets the statement after each), and
 * none changes its modes (`pluck`, `raw`, `expand`, `safeIntegers` would leak to the next
 * caller). A streaming `iterate()` would keep it busy; Kysely streams only while holding its
 * single connection, and nothing here streams.
 */
import type BetterSqlite3 from 'better-sqlite3';

/** Distinct statement texts kept; past it, the oldest is dropped. */
const DEFAULT_MAX_STATEMENTS = 500;

export function cachePreparedStatements(db: BetterSqlite3.Database, max = DEFAULT_MAX_STATEMENTS): BetterSqlite3.Database {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, BetterSqlite3.Statement>();
  // An own property shadows the prototype's method, so every holder of `db` gets the cache.
  db.prepare = ((source: string) => {
    let stmt = cache.get(source);
    if (!stmt) {
      // First in, first out: the hot texts are few and come back at once, so a hit costs one
      // lookup and no bookkeeping (an LRU reorder on every hit was measurable on the hot path).
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      stmt = compile(source);
      cache.set(source, stmt);
    }
    return stmt;
  }) as BetterSqlite3.Database['prepare'];
  return db;
}
