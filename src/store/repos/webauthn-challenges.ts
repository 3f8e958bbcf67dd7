import type { Selectable } from 'kysely';
import type { WebAuthnChallengesRepo } from '../../core/ports.js';
import type { WebAuthnChallenge, WebAuthnPurpose } from '../../core/types.js';
import type { WebAuthnChallengesTable } from '../schema.js';
import { affected, type RepoDeps } from './codec.js';

function toChallenge(r: Selectable<WebAuthnChallengesTable>): WebAuthnChallenge {
  return {
    id: r.id,
    userId: r.user_id,
    mfaPendingId: r.mfa_pending_id,
    purpose: r.purpose as WebAuthnPurpose,
    challenge: r.challenge,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
  };
}

export function createWebAuthnChallengesRepo({ db }: RepoDeps): WebAuthnChallengesRepo {
  return {
    async create(rec) {
      await db
        .insertInto('webauthn_challenges')
        .values({
          id: rec.id,
          user_id: rec.userId,
          mfa_pending_id: rec.mfaPendingId,
          purpose: rec.purpose,
          challenge: rec.challenge,
          created_at: rec.createdAt,
          expires_at: rec.expiresAt,
          used_at: rec.usedAt,
        })
        .execute();
    },

    async byId(id) {
      const r = await db.selectFrom('webauthn_challenges').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toChallenge(r);
    },

    async byChallenge(challenge) {
      const r = await db.selectFrom('webauthn_challenges').selectAll().where('challenge', '=', challenge).executeTakeFirst();
      return r && toChallenge(r);
    },

    /** WebAuthn L3 13.4.3: a challenge is used once; true for exactly one caller, never after expiry. */
    async consume(id, now) {
      const r = await db
        .updateTable('webauthn_challenges')
        .set({ used_at: now })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return affected(r) === 1;
    },
  };
}
