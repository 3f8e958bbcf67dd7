import type { Selectable } from 'kysely';
import type { PasswordResetsRepo } from '../../core/ports.js';
import type { PasswordReset } from '../../core/types.js';
import type { PasswordResetsTable } from '../schema.js';
import { affected, type RepoDeps } from './codec.js';

function toReset(r: Selectable<PasswordResetsTable>): PasswordReset {
  return {
    id: r.id,
    userId: r.user_id,
    secretHash: r.secret_hash,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
  };
}

export function createPasswordResetsRepo({ db }: RepoDeps): PasswordResetsRepo {
  return {
    async create(rec) {
      await db
        .insertInto('password_resets')
        .values({
          id: rec.id,
          user_id: rec.userId,
          secret_hash: rec.secretHash,
          created_at: rec.createdAt,
          expires_at: rec.expiresAt,
          used_at: rec.usedAt,
        })
        .execute();
    },

    async byId(id) {
      const r = await db.selectFrom('password_resets').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toReset(r);
    },

    /** True for exactly one caller, and never once the link expired. */
    async consume(id, now) {
      const r = await db
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return affected(r) === 1;
    },

    /** Marks every outstanding link of the user used, so only the newest one (issued after) works. */
    async invalidateForUser(userId, now) {
      await db
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .execute();
    },
  };
}
