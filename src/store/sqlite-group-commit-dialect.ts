/**
 * Kysely's SQLite dialect over the group commit of sqlite-group-commit.ts: each query or
 * transaction gets a connection handle of its own, and the core decides by handle whether a
 * query belongs to a store transaction.
 */
import type BetterSqlite3 from 'better-sqlite3';
import {
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import { SqliteGroupCommit, type GroupCommitOptions } from './sqlite-group-commit.js';

/** A connection handle: the core decides, by handle, whether a query belongs to a unit. */
class GroupCommitConnection implements DatabaseConnection {
  constructor(readonly core: SqliteGroupCommit) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.core.execute<R>(this, query);
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('SQLite streams only SELECT queries');
    // Nothing here streams (sqlite-statement-cache.ts relies on it); a whole result will do.
    yield await this.core.execute<R>(this, query);
  }
}

class GroupCommitDriver implements Driver {
  readonly #core: SqliteGroupCommit;
  constructor(core: SqliteGroupCommit) {
    this.#core = core;
  }

  async init(): Promise<void> {}

  /** No lock here: a handle per query or transaction, and the core serialises units. */
  async acquireConnection(): Promise<DatabaseConnection> {
    return new GroupCommitConnection(this.#core);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#core.begin(connection);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#core.commit(connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#core.rollback(connection);
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    this.#core.close();
  }
}

/**
 * Kysely's SQLite dialect over one better-sqlite3 handle, with group commit. Store
 * transactions take the file's write lock when they begin (the group begins IMMEDIATE): a
 * transaction that reads before it writes never meets a snapshot another process made stale.
 */
export class GroupCommitSqliteDialect implements Dialect {
  /** The handle's transaction state, for writers beside Kysely (the rate limiter). */
  readonly core: SqliteGroupCommit;

  constructor(db: BetterSqlite3.Database, opts: GroupCommitOptions) {
    this.core = new SqliteGroupCommit(db, opts);
  }

  createDriver(): Driver {
    return new GroupCommitDriver(this.core);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
