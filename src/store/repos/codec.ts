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

/** Kysely reports affected rows as bigint (undefined on some drivers when none). */
export function affected(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined): number {
  return Number(result?.numUpdatedRows ?? result?.numDeletedRows ?? 0n);
}

/**
 * Run `fn` in a transaction, or in the caller's one when `db` already is a transaction (the
 * Store's `transaction` hands repositories a bound handle; Kysely has no nested transactions).
 */
export function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * Serialise writers per user inside a transaction: a no-op UPDATE takes the user's row lock on
 * PostgreSQL (and SQLite's write lock), so two concurrent "delete then insert" transactions for
 * one user cannot both leave their rows behind. Portable where `SELECT ... FOR UPDATE` is not.
 */
export async function lockUser(trx: Kysely<Database>, userId: string): Promise<void> {
  await trx.updateTable('users').set((eb) => ({ id: eb.ref('id') })).where('id', '=', userId).execute();
}

/** Escape `%`, `_` and the escape character itself for `LIKE ... ESCAPE '\'`. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
