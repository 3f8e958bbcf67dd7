import type { Selectable } from 'kysely';
import type { MfaPendingRepo } from '../../core/ports.js';
import type { MfaPending } from '../../core/types.js';
import type { MfaPendingTable } from '../schema.js';
import { affected, type RepoDeps } from './codec.js';
import { prepared, preparedRow } from './prepared.js';

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

// The sign-in's hot path: compiled once (prepared.ts).
const insertPending = preparedRow<Selectable<MfaPendingTable>, unknown>(
  ['id', 'user_id', 'secret_hash', 'created_at', 'expires_at', 'attempts', 'consumed_at', 'ip', 'user_agent'],
  (db, row) => db.insertInto('mfa_pending').values(row),
);
const selectById = prepared((db, id: string) => db.selectFrom('mfa_pending').selectAll().where('id', '=', id));
// The budget check and the increment are one statement: 20 racing callers get exactly
// `maxAttempts` reservations, never more.
const reserve = prepared((db, id: string, maxAttempts: number, now: number) =>
  db
    .updateTable('mfa_pending')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('attempts', '<', maxAttempts)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now),
);
const consumeOnce = prepared((db, id: string, now: number) =>
  db.updateTable('mfa_pending').set({ consumed_at: now }).where('id', '=', id).where('consumed_at', 'is', null).where('expires_at', '>', now),
);

export function createMfaPendingRepo(deps: RepoDeps): MfaPendingRepo {
  return {
    async create(rec) {
      await insertPending(deps, {
        id: rec.id,
        user_id: rec.userId,
        secret_hash: rec.secretHash,
        created_at: rec.createdAt,
        expires_at: rec.expiresAt,
        attempts: rec.attempts,
        consumed_at: rec.consumedAt,
        ip: rec.ip,
        user_agent: rec.userAgent,
      });
    },

    async byId(id) {
      const r = (await selectById(deps, id)).rows[0];
      return r && toPending(r);
    },

    async reserveAttempt(id, maxAttempts, now) {
      return affected(await reserve(deps, id, maxAttempts, now)) === 1;
    },

    async consume(id, now) {
      return affected(await consumeOnce(deps, id, now)) === 1;
    },
  };
}
