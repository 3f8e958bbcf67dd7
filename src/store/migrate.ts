/**
 * Schema migrations with Kysely's Migrator. The migration modules are imported statically (not
 * found on disk by FileMigrationProvider) so they work the same under tsx, a bundle or tests.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as pg0001 from './migrations/postgres/0001_init.js';
import * as pg0002 from './migrations/postgres/0002_key_ids.js';
import * as pg0003 from './migrations/postgres/0003_admin.js';
import * as sqlite0001 from './migrations/sqlite/0001_init.js';
import * as sqlite0002 from './migrations/sqlite/0002_key_ids.js';
import * as sqlite0003 from './migrations/sqlite/0003_admin.js';
import type { Database, Dialect } from './schema.js';

/** Every migration per dialect, by name; names sort in the order they apply. */
const MIGRATIONS: Record<Dialect, Record<string, Migration>> = {
  sqlite: { '0001_init': sqlite0001, '0002_key_ids': sqlite0002, '0003_admin': sqlite0003 },
  postgres: { '0001_init': pg0001, '0002_key_ids': pg0002, '0003_admin': pg0003 },
};

function providerFor(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => MIGRATIONS[dialect] };
}

/** Thrown when a migration fails; `migration` names the failed one when known. */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/**
 * Apply every pending migration, all or nothing. Safe to call at every start-up and from several
 * processes at once: PostgreSQL runs them in one transaction under Kysely's advisory lock,
 * SQLite in one transaction holding the database's write lock.
 *
 * @returns the names of the migrations applied by this call (empty when already up to date).
 * @throws MigrationError naming the failed migration and carrying the cause.
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const migrate = (on: Kysely<Database>) => new Migrator({ db: on, provider: providerFor(dialect) }).migrateToLatest();
  const { error, results } = dialect === 'sqlite' && !db.isTransaction ? await inSqliteWriteLock(db, migrate) : await migrate(db);
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      failed ? `migration ${failed} failed on ${dialect}: ${reason}` : `migrating ${dialect} failed: ${reason}`,
      failed,
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Kysely runs SQLite migrations with no lock and no transaction (it assumes one connection), so
 * a crash mid-migration would leave half a schema and two processes starting on one file could
 * both migrate. SQLite's DDL is transactional: on one connection, hold the write lock (BEGIN
 * IMMEDIATE; others wait busy_timeout) and commit only a complete run.
 */
function inSqliteWriteLock(db: Kysely<Database>, run: (on: Kysely<Database>) => Promise<MigrationOutcome>): Promise<MigrationOutcome> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    let outcome: MigrationOutcome;
    try {
      outcome = await run(conn);
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => {});
      throw err;
    }
    await sql.raw(outcome.error === undefined ? 'commit' : 'rollback').execute(conn);
    return outcome;
  });
}

type MigrationOutcome = { error?: unknown; results?: readonly { migrationName: string; status: string }[] };

/** The migration names known for a dialect, in order (for `twofold migrate` and tests). */
export function knownMigrations(dialect: Dialect): string[] {
  return Object.keys(MIGRATIONS[dialect]).sort();
}
