import type { Selectable } from 'kysely';
import type { SessionsRepo } from '../../core/ports.js';
import type { Acr, Amr, Session } from '../../core/types.js';
import type { SessionsTable } from '../schema.js';
import { affected, parseJson, toBool, toInt, type RepoDeps } from './codec.js';
import { prepared, preparedRow } from './prepared.js';

function toSession(r: Selectable<SessionsTable>): Session {
  return {
    id: r.id,
    userId: r.user_id,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    ip: r.ip,
    userAgent: r.user_agent,
    amr: parseJson<Amr[]>(r.amr),
    acr: r.acr as Acr,
    mfaVerifiedAt: r.mfa_verified_at,
    enrollmentOnly: toBool(r.enrollment_only),
  };
}

// Every sign-in writes a session and every authenticated request reads one: compiled once.
const insertSession = preparedRow<Selectable<SessionsTable>, unknown>(
  ['id', 'user_id', 'created_at', 'last_used_at', 'expires_at', 'revoked_at', 'ip', 'user_agent', 'amr', 'acr', 'mfa_verified_at', 'enrollment_only'],
  (db, row) => db.insertInto('sessions').values(row),
);
const selectById = prepared((db, id: string) => db.selectFrom('sessions').selectAll().where('id', '=', id));

export function createSessionsRepo(deps: RepoDeps): SessionsRepo {
  const { db } = deps;
  return {
    async create(s) {
      await insertSession(deps, {
        id: s.id,
        user_id: s.userId,
        created_at: s.createdAt,
        last_used_at: s.lastUsedAt,
        expires_at: s.expiresAt,
        revoked_at: s.revokedAt,
        ip: s.ip,
        user_agent: s.userAgent,
        amr: JSON.stringify(s.amr),
        acr: s.acr,
        mfa_verified_at: s.mfaVerifiedAt,
        enrollment_only: toInt(s.enrollmentOnly),
      });
    },

    async byId(id) {
      const r = (await selectById(deps, id)).rows[0];
      return r && toSession(r);
    },

    /** Most recently used first. */
    async listLive(userId, now) {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('last_used_at', 'desc')
        .orderBy('id', 'asc')
        .execute();
      return rows.map(toSession);
    },

    async touch(id, now) {
      await db.updateTable('sessions').set({ last_used_at: now }).where('id', '=', id).execute();
    },

    async revoke(id, now) {
      const r = await db
        .updateTable('sessions')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return affected(r) === 1;
    },

    /** Revokes every live session of the user (but `exceptId`); answers how many. */
    async revokeAllForUser(userId, now, exceptId) {
      let q = db
        .updateTable('sessions')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now);
      if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
      return affected(await q.executeTakeFirst());
    },

    async markMfaVerified(id, now, amr, acr) {
      await db
        .updateTable('sessions')
        .set({ mfa_verified_at: now, last_used_at: now, amr: JSON.stringify(amr), acr })
        .where('id', '=', id)
        .execute();
    },

    async clearEnrollmentOnly(id) {
      await db.updateTable('sessions').set({ enrollment_only: 0 }).where('id', '=', id).execute();
    },
  };
}
