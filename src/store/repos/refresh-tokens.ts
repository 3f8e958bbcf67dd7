import type { Selectable } from 'kysely';
import type { RefreshTokensRepo } from '../../core/ports.js';
import type { RefreshTokenRecord } from '../../core/types.js';
import type { RefreshTokensTable } from '../schema.js';
import { affected, type RepoDeps } from './codec.js';
import { preparedRow } from './prepared.js';

function toRecord(r: Selectable<RefreshTokensTable>): RefreshTokenRecord {
  return { hash: r.hash, sessionId: r.session_id, createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at };
}

/** Written by every sign-in: compiled once (prepared.ts). */
const insertToken = preparedRow<Selectable<RefreshTokensTable>, unknown>(['hash', 'session_id', 'created_at', 'expires_at', 'used_at'], (db, row) =>
  db.insertInto('refresh_tokens').values(row),
);

export function createRefreshTokensRepo(deps: RepoDeps): RefreshTokensRepo {
  const { db } = deps;
  return {
    async insert(rec) {
      await insertToken(deps, { hash: rec.hash, session_id: rec.sessionId, created_at: rec.createdAt, expires_at: rec.expiresAt, used_at: rec.usedAt });
    },

    async byHash(hash) {
      const r = await db.selectFrom('refresh_tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
      return r && toRecord(r);
    },

    /**
     * Compare-and-set on `used_at`: true for exactly one caller, never for an expired token, so
     * a replayed refresh token is detected (rotation, RFC 6819 5.2.2.3) even under a race.
     */
    async markUsed(hash, now) {
      const r = await db
        .updateTable('refresh_tokens')
        .set({ used_at: now })
        .where('hash', '=', hash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return affected(r) === 1;
    },
  };
}
