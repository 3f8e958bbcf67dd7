import { sql, type Selectable } from 'kysely';
import type { UsersRepo } from '../../core/ports.js';
import type { User } from '../../core/types.js';
import type { UsersTable } from '../schema.js';
import { inTransaction, likeContains, pageSize, parseJson, toBool, toInt, type RepoDeps } from './codec.js';
import { prepared } from './prepared.js';

export function toUser(r: Selectable<UsersTable>): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    passwordHash: r.password_hash,
    roles: parseJson<string[]>(r.roles),
    disabled: toBool(r.disabled),
    createdAt: r.created_at,
    lastLoginAt: r.last_login_at,
    mfaRequiredSince: r.mfa_required_since,
    mfaFailureStreak: r.mfa_failure_streak,
  };
}

/** Emails are unique case-insensitively: stored and looked up lowercased. */
const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** The list cursor: the last row's (created_at, id), opaque to callers. */
function encodeCursor(u: User): string {
  return Buffer.from(JSON.stringify([u.createdAt, u.id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') {
      return [v[0] as number, v[1]];
    }
  } catch {
    // fall through: not one of ours
  }
  return undefined;
}

/** Postgres advisory lock taken by every change that may remove an admin (any constant of ours). */
const ADMIN_SET_LOCK = 0x7477_6f66_0001;

const isEnabledAdmin = (roles: string[], disabled: boolean): boolean => roles.includes('admin') && !disabled;

// Read or written by every sign-in: compiled once (prepared.ts).
const selectById = prepared((db, id: string) => db.selectFrom('users').selectAll().where('id', '=', id));
const selectByEmail = prepared((db, email: string) => db.selectFrom('users').selectAll().where('email', '=', email));
const updateLastLogin = prepared((db, id: string, at: number) => db.updateTable('users').set({ last_login_at: at }).where('id', '=', id));
// One statement: concurrent failures each see their own new value, none is lost.
const incrementStreak = prepared((db, id: string) =>
  db
    .updateTable('users')
    .set((eb) => ({ mfa_failure_streak: eb('mfa_failure_streak', '+', 1) }))
    .where('id', '=', id)
    .returning('mfa_failure_streak'),
);
const resetStreak = prepared((db, id: string) => db.updateTable('users').set({ mfa_failure_streak: 0 }).where('id', '=', id));

export function createUsersRepo(deps: RepoDeps): UsersRepo {
  const { db, dialect } = deps;
  return {
    async create(user) {
      await db
        .insertInto('users')
        .values({
          id: user.id,
          email: normaliseEmail(user.email),
          name: user.name,
          password_hash: user.passwordHash,
          roles: JSON.stringify(user.roles),
          disabled: toInt(user.disabled),
          created_at: user.createdAt,
          last_login_at: user.lastLoginAt,
          mfa_required_since: user.mfaRequiredSince,
          mfa_failure_streak: user.mfaFailureStreak,
        })
        .execute();
    },

    async byId(id) {
      const r = (await selectById(deps, id)).rows[0];
      return r && toUser(r);
    },

    async byEmail(email) {
      const r = (await selectByEmail(deps, normaliseEmail(email))).rows[0];
      return r && toUser(r);
    },

    async setPasswordHash(id, hash) {
      await db.updateTable('users').set({ password_hash: hash }).where('id', '=', id).execute();
    },

    async setLastLogin(id, at) {
      await updateLastLogin(deps, id, at);
    },

    async update(id, patch) {
      const set: Partial<Pick<UsersTable, 'roles' | 'disabled' | 'name' | 'mfa_required_since'>> = {};
      if (patch.roles !== undefined) set.roles = JSON.stringify(patch.roles);
      if (patch.disabled !== undefined) set.disabled = toInt(patch.disabled);
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.mfaRequiredSince !== undefined) set.mfa_required_since = patch.mfaRequiredSince;
      if (Object.keys(set).length === 0) return;
      await db.updateTable('users').set(set).where('id', '=', id).execute();
    },

    async incrementFailureStreak(id) {
      const r = (await incrementStreak(deps, id)).rows[0];
      return r?.mfa_failure_streak ?? 0;
    },

    async resetFailureStreak(id) {
      await resetStreak(deps, id);
    },

    /** Enabled users holding the `admin` role (a disabled admin cannot administer anything). */
    async countAdmins() {
      // Roles are JSON text: narrow with LIKE in SQL, then decide exactly on the parsed array.
      const rows = await db
        .selectFrom('users')
        .select('roles')
        .where('disabled', '=', 0)
        .where('roles', 'like', '%"admin"%')
        .execute();
      return rows.filter((r) => parseJson<string[]>(r.roles).includes('admin')).length;
    },

    /**
     * Users in (created_at, id) order; `query` matches a case-insensitive substring of the email
     * or the name. An unrecognised cursor yields an empty last page rather than restarting.
     */
    async list({ query, cursor, limit: asked }) {
      const limit = pageSize(asked);
      let q = db.selectFrom('users').selectAll();
      if (query !== undefined && query.trim() !== '') {
        const pattern = likeContains(query.trim().toLowerCase());
        q = q.where((eb) =>
          eb.or([
            sql<boolean>`lower(email) like ${pattern} escape '\\'`,
            sql<boolean>`lower(coalesce(name, '')) like ${pattern} escape '\\'`,
          ]),
        );
      }
      if (cursor !== undefined && cursor !== '') {
        const after = decodeCursor(cursor);
        if (!after) return { users: [], nextCursor: null };
        const [createdAt, id] = after;
        q = q.where((eb) =>
          eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]),
        );
      }
      const rows = await q
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .limit(limit + 1)
        .execute();
      const users = rows.slice(0, limit).map(toUser);
      const more = rows.length > limit;
      return { users, nextCursor: more && users.length > 0 ? encodeCursor(users[users.length - 1]) : null };
    },

    async count() {
      const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async updateKeepingAnAdmin(id, patch) {
      return inTransaction(db, async (trx) => {
        // Serialise every such change before reading: on PostgreSQL one advisory lock (row locks
        // alone would let two admins demote each other, each seeing the other still admin); on
        // SQLite a first write takes the database's write lock, so the count below is current.
        if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${sql.lit(ADMIN_SET_LOCK)})`.execute(trx);
        else await trx.updateTable('users').set((eb) => ({ id: eb.ref('id') })).where('id', '=', id).execute();
        const row = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) return 'not_found';
        const before = toUser(row);
        const roles = patch.roles ?? before.roles;
        const disabled = patch.disabled ?? before.disabled;
        if (isEnabledAdmin(before.roles, before.disabled) && !isEnabledAdmin(roles, disabled)) {
          const others = await trx
            .selectFrom('users')
            .select('roles')
            .where('disabled', '=', 0)
            .where('id', '<>', id)
            .where('roles', 'like', '%"admin"%')
            .execute();
          if (!others.some((r) => parseJson<string[]>(r.roles).includes('admin'))) return 'last_admin';
        }
        await trx.updateTable('users').set({ roles: JSON.stringify(roles), disabled: toInt(disabled) }).where('id', '=', id).execute();
        return 'updated';
      });
    },
  };
}
