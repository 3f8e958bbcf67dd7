import type { Selectable } from 'kysely';
import type { TotpEnrollmentsRepo } from '../../core/ports.js';
import type { TotpAlgorithm, TotpEnrollment } from '../../core/types.js';
import type { TotpEnrollmentsTable } from '../schema.js';
import { affected, type RepoDeps } from './codec.js';

function toEnrollment(r: Selectable<TotpEnrollmentsTable>): TotpEnrollment {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    secretEnc: r.secret_enc,
    algorithm: r.algorithm as TotpAlgorithm,
    digits: r.digits,
    period: r.period,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  };
}

export function createTotpEnrollmentsRepo({ db }: RepoDeps): TotpEnrollmentsRepo {
  return {
    async create(rec) {
      await db
        .insertInto('totp_enrollments')
        .values({
          id: rec.id,
          user_id: rec.userId,
          name: rec.name,
          secret_enc: rec.secretEnc,
          algorithm: rec.algorithm,
          digits: rec.digits,
          period: rec.period,
          created_at: rec.createdAt,
          expires_at: rec.expiresAt,
        })
        .execute();
    },

    async byId(id) {
      const r = await db.selectFrom('totp_enrollments').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toEnrollment(r);
    },

    async consume(id) {
      // The DELETE's row count is the compare-and-set: one enrolment becomes at most one method.
      return affected(await db.deleteFrom('totp_enrollments').where('id', '=', id).executeTakeFirst()) === 1;
    },

    async updateSecret(id, secretEnc) {
      await db.updateTable('totp_enrollments').set({ secret_enc: secretEnc }).where('id', '=', id).execute();
    },

    async listWithSecrets() {
      const rows = await db.selectFrom('totp_enrollments').select(['id', 'user_id', 'secret_enc']).orderBy('id').execute();
      return rows.map((r) => ({ id: r.id, userId: r.user_id, secretEnc: r.secret_enc }));
    },
  };
}
