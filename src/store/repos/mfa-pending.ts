import type { Selectable } from 'kysely';
import type { MfaPendingRepo } from '../../core/ports.js';
import type { MfaPending } from '../../core/types.js';
import type { MfaPendingTable } from '../schema.js';
import { affected, type RepoDeps } from './codec.js';

function toPending(r: Selectable<MfaPendingTable>): MfaPending {
  return {
    id: r.id,
    userId: r.user_id,
    secretHash: r.secret_hash,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    attempts: r.attempts,
    consumedAt: r.consumed_at,
    ip: r.ip,
    userAgent: r.user_agent,
  };
}

export function createMfaPendingRepo({ db }: RepoDeps): MfaPendingRepo {
  return {
    async create(rec) {
      await db
        .insertInto('mfa_pending')
        .values({
          id: rec.id,
          user_id: rec.userId,
          secret_hash: rec.secretHash,
          created_at: rec.createdAt,
          expires_at: rec.expiresAt,
          attempts: rec.attempts,
          consumed_at: rec.consumedAt,
          ip: rec.ip,
          user_agent: rec.userAgent,
        })
        .execute();
    },

    async byId(id) {
      const r = await db.selectFrom('mfa_pending').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toPending(r);
    },

    async reserveAttempt(id, maxAttempts, now) {
      // The budget check and the increment are one statement: 20 racing callers get exactly
      // `maxAttempts` reservations, never more.
      const r = await db
        .updateTable('mfa_pending')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .where('attempts', '<', maxAttempts)
        .where('consumed_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return affected(r) === 1;
    },

    async consume(id, now) {
      const r = await db
        .updateTable('mfa_pending')
        .set({ consumed_at: now })
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return affected(r) === 1;
    },
  };
}
