/**
 * The policy audience (whom policy requires to use MFA) as a SQL condition on `users`. Roles
 * are a JSON array in a text column; each dialect reads it with its own JSON function, so the
 * match is exact (a LIKE on the text would take "admin" for "sysadmin").
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { MfaAudience } from '../../core/ports.js';
import type { Dialect } from '../schema.js';

const NOBODY = sql<SqlBool>`1 = 0`;
const EVERYBODY = sql<SqlBool>`1 = 1`;

/** A condition true for the rows of `users` (unaliased) that `audience` covers. */
export function inAudience(dialect: Dialect, audience: MfaAudience): RawBuilder<SqlBool> {
  if (audience.kind === 'none') return NOBODY;
  if (audience.kind === 'all') return EVERYBODY;
  if (audience.roles.length === 0) return NOBODY;
  const roles = sql.join(audience.roles);
  return dialect === 'sqlite'
    ? sql<SqlBool>`exists (select 1 from json_each(users.roles) where json_each.value in (${roles}))`
    : sql<SqlBool>`exists (select 1 from jsonb_array_elements_text(users.roles::jsonb) as r(v) where r.v in (${roles}))`;
}

/** Users without any enrolled method. */
export const WITHOUT_METHODS = sql<SqlBool>`not exists (select 1 from mfa_methods where mfa_methods.user_id = users.id)`;
