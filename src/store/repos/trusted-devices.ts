import type { Selectable } from 'kysely';
import type { TrustedDevicesRepo } from '../../core/ports.js';
import type { TrustedDevice } from '../../core/types.js';
import type { TrustedDevicesTable } from '../schema.js';
import { affected, type RepoDeps } from './codec.js';

function toDevice(r: Selectable<TrustedDevicesTable>): TrustedDevice {
  return {
    id: r.id,
    userId: r.user_id,
    secretHash: r.secret_hash,
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    ip: r.ip,
    userAgent: r.user_agent,
  };
}

export function createTrustedDevicesRepo({ db }: RepoDeps): TrustedDevicesRepo {
  return {
    async create(rec) {
      await db
        .insertInto('trusted_devices')
        .values({
          id: rec.id,
          user_id: rec.userId,
          secret_hash: rec.secretHash,
          name: rec.name,
          created_at: rec.createdAt,
          last_used_at: rec.lastUsedAt,
          expires_at: rec.expiresAt,
          revoked_at: rec.revokedAt,
          ip: rec.ip,
          user_agent: rec.userAgent,
        })
        .execute();
    },

    async byId(id) {
      const r = await db.selectFrom('trusted_devices').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toDevice(r);
    },

    /** Not revoked and not expired at `now`, newest first. */
    async listLive(userId, now) {
      const rows = await db
        .selectFrom('trusted_devices')
        .selectAll()
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'asc')
        .execute();
      return rows.map(toDevice);
    },

    async touch(id, now) {
      await db.updateTable('trusted_devices').set({ last_used_at: now }).where('id', '=', id).execute();
    },

    /** Only the owner's device, only once: false for another user's id or an already revoked one. */
    async revoke(id, userId, now) {
      const r = await db
        .updateTable('trusted_devices')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(r) === 1;
    },

    async revokeAllForUser(userId, now) {
      const r = await db
        .updateTable('trusted_devices')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(r);
    },
  };
}
