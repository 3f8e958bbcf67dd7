/**
 * Kysely's SQLite dialect with transactions that take the write lock when they begin
 * (`BEGIN IMMEDIATE`). Kysely begins DEFERRED: a transaction that reads first holds only a
 * read snapshot, and if another process on the same file writes before it does, its own first
 * write fails at once with SQLITE_BUSY (the busy timeout cannot help a snapshot that went
 * stale; sqlite.org/lang_transaction.html). Beginning IMMEDIATE makes the other writer wait
 * (busy_timeout) instead. In one process nothing changes: its one connection runs one
 * transaction at a time anyway.
 */
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
