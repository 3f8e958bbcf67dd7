/**
 * Recognising driver errors without leaking driver types to callers.
 */

/**
 * Whether `err` is a unique-constraint violation (duplicate email, credential id, refresh token
 * hash...): PostgreSQL SQLSTATE 23505, SQLite SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('code' in err)) return false;
  const code = (err as { code: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
