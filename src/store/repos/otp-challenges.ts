import { sql, type Insertable, type Selectable } from 'kysely';
import type { OtpChallengesRepo } from '../../core/ports.js';
import type { OtpChallenge, OtpChannel, OtpPurpose } from '../../core/types.js';
import type { OtpChallengesTable } from '../schema.js';
import { affected, inTransaction, lockUser, type RepoDeps } from './codec.js';

function toChallenge(r: Selectable<OtpChallengesTable>): OtpChallenge {
  return {
    id: r.id,
    userId: r.user_id,
    channel: r.channel as OtpChannel,
    purpose: r.purpose as OtpPurpose,
    mfaPendingId: r.mfa_pending_id,
    destination: r.destination,
    codeHash: r.code_hash,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    attempts: r.attempts,
    consumedAt: r.consumed_at,
  };
}

function rowOf(rec: OtpChallenge): Insertable<OtpChallengesTable> {
  return {
    id: rec.id,
    user_id: rec.userId,
    channel: rec.channel,
    purpose: rec.purpose,
    mfa_pending_id: rec.mfaPendingId,
    destination: rec.destination,
    code_hash: rec.codeHash,
    created_at: rec.createdAt,
    expires_at: rec.expiresAt,
    attempts: rec.attempts,
    consumed_at: rec.consumedAt,
  };
}

export function createOtpChallengesRepo({ db, dialect }: RepoDeps): OtpChallengesRepo {
  return {
    async replace(rec) {
      await inTransaction(db, async (trx) => {
        // Serialise on the user so two racing sends leave exactly one live code.
        await lockUser(trx, dialect, rec.userId);
        await trx
          .deleteFrom('otp_challenges')
          .where('user_id', '=', rec.userId)
          .where('channel', '=', rec.channel)
          .where('purpose', '=', rec.purpose)
          .where('consumed_at', 'is', null)
          .execute();
        await trx
          .insertInto('otp_challenges')
          .values({
            id: rec.id,
            user_id: rec.userId,
            channel: rec.channel,
            purpose: rec.purpose,
            mfa_pending_id: rec.mfaPendingId,
            destination: rec.destination,
            code_hash: rec.codeHash,
            created_at: rec.createdAt,
            expires_at: rec.expiresAt,
            attempts: rec.attempts,
            consumed_at: rec.consumedAt,
          })
          .execute();
      });
    },

    async replaceCarryingAttempts(rec, now) {
      return inTransaction(db, async (trx) => {
        await lockUser(trx, dialect, rec.userId);
        // DELETE ... RETURNING reads each row as the delete removes it: a try reserved by a
        // concurrent check has either committed first (and is counted here) or finds the row
        // gone (and is refused), so a resend can never hand back a spent try.
        const gone = await trx
          .deleteFrom('otp_challenges')
          .where('user_id', '=', rec.userId)
          .where('channel', '=', rec.channel)
          .where('purpose', '=', rec.purpose)
          .where('consumed_at', 'is', null)
          .returning(['attempts', 'expires_at', 'mfa_pending_id'])
          .execute();
        const carried = gone
          .filter((r) => Number(r.expires_at) > now && r.mfa_pending_id === rec.mfaPendingId)
          .reduce((max, r) => Math.max(max, Number(r.attempts)), 0);
        const attempts = Math.max(rec.attempts, carried);
        await trx.insertInto('otp_challenges').values(rowOf({ ...rec, attempts })).execute();
        return attempts;
      });
    },

    /**
     * The newest challenge for (user, channel, purpose) bound to `mfaPendingId` (null: unbound),
     * consumed or expired ones included: the caller judges them. `replace` leaves at most one
     * unconsumed challenge, and it is the newest; it comes first even when a consumed one was
     * created in the same millisecond (a resend right after a use), where time alone cannot tell.
     */
    async latest(userId, channel, purpose, mfaPendingId) {
      let q = db
        .selectFrom('otp_challenges')
        .selectAll()
        .where('user_id', '=', userId)
        .where('channel', '=', channel)
        .where('purpose', '=', purpose);
      q = mfaPendingId === null ? q.where('mfa_pending_id', 'is', null) : q.where('mfa_pending_id', '=', mfaPendingId);
      const r = await q
        .orderBy(sql`case when consumed_at is null then 0 else 1 end`)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r && toChallenge(r);
    },

    async reserveAttempt(id, maxAttempts, now) {
      // API.md: 5 tries per code. Checked and counted in one statement.
      const r = await db
        .updateTable('otp_challenges')
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
        .updateTable('otp_challenges')
        .set({ consumed_at: now })
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return affected(r) === 1;
    },

    async delete(id) {
      await db.deleteFrom('otp_challenges').where('id', '=', id).execute();
    },
  };
}
