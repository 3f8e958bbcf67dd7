/**
 * Small conversions shared by the repositories: the column conventions of schema.ts (0/1
 * booleans, JSON text, bigint row counts) and the one transaction helper.
 */
import type { Kysely } from 'kysely';
import type { Database, Dialect } from '../schema.js';

/** What every repository is built on: a database handle (possibly a transaction) and its dialect. */
export interface RepoDeps {
  db: Kysely<Database>;
  dialect: Dialect;
}

export const toInt = (b: boolean): number => (b ? 1 : 0);
export const toBool = (n: number): boolean => n !== 0;
export const toBoolOrNull = (n: number | null): boolean | null => (n === null ? null : n !== 0);

export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

export function parseJsonOrNull<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/**
 * Rows an UPDATE or DELETE changed, from a builder's result or a prepared query's (prepared.ts).
 * Kysely reports them as bigint (undefined on some drivers when none).
 */
export function affected(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint; numAffectedRows?: bigint } | undefined): number {
  return Number(result?.numUpdatedRows ?? result?.numDeletedRows ?? result?.numAffectedRows ?? 0n);
}

/**
 * Run `fn` in a transaction, or in the caller's one when `db` already is a transaction (the
 * Store's `transaction` hands repositories a bound handle; Kysely has no nested transactions).
 */
export function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * Serialise writers per user inside a transaction, so two concurrent "delete then insert"
 * transactions for one user cannot both leave their rows behind. PostgreSQL: the user's row
 * lock (READ COMMITTED would otherwise let the second DELETE miss the first one's inserts).
 * SQLite needs nothing: one writer at a time holds the whole database, and these transactions
 * start with a write, so they never meet a stale snapshot.
 */
export async function lockUser(trx: Kysely<Database>, dialect: Dialect, userId: string): Promise<void> {
  if (dialect === 'postgres') {
    await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
  }
}

/** Escape `%`, `_` and the escape character itself for `LIKE ... ESCAPE '\'`. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A page size must be a positive integer: anything else is a caller's bug, not data. */
export function pageSize(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`page limit must be a positive integer, got ${limit}`);
  return limit;
}
