import type { BackupCodesRepo } from '../../core/ports.js';
import { affected, inTransaction, lockUser, type RepoDeps } from './codec.js';
import { prepared } from './prepared.js';

// Each sign-in asks whether backup codes are left: compiled once (prepared.ts).
const countUnused = prepared((db, userId: string) =>
  db
    .selectFrom('backup_codes')
    .select((eb) => eb.fn.countAll<number | bigint | string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null),
);

export function createBackupCodesRepo(deps: RepoDeps): BackupCodesRepo {
  const { db, dialect } = deps;
  return {
    async replaceAll(userId, codes) {
      await inTransaction(db, async (trx) => {
        // Two racing regenerations must leave one set, not both: serialise on the user.
        await lockUser(trx, dialect, userId);
        await trx.deleteFrom('backup_codes').where('user_id', '=', userId).execute();
        if (codes.length === 0) return;
        await trx
          .insertInto('backup_codes')
          .values(
            codes.map((c) => ({
              id: c.id,
              user_id: userId,
              code_hash: c.codeHash,
              created_at: c.createdAt,
              used_at: c.usedAt,
            })),
          )
          .execute();
      });
    },

    async consume(userId, codeHash, now) {
      // Single use by compare-and-set on used_at (the warning in DESIGN.md: never rewrite a list).
      const r = await db
        .updateTable('backup_codes')
        .set({ used_at: now })
        .where('user_id', '=', userId)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      // Hashes are keyed and 50+ bits: a duplicate within one user's set would be a bug upstream.
      return affected(r) >= 1;
    },

    async remaining(userId) {
      return Number((await countUnused(deps, userId)).rows[0]?.n ?? 0);
    },

    async deleteAllForUser(userId) {
      await db.deleteFrom('backup_codes').where('user_id', '=', userId).execute();
    },

    /** Users with an enrolled method and fewer than `threshold` unused backup codes (0 included). */
    async usersBelow(threshold) {
      const r = await db
        .selectFrom((eb) =>
          eb
            .selectFrom('mfa_methods as m')
            .select((eb2) => [
              'm.user_id',
              eb2
                .selectFrom('backup_codes as b')
                .select((eb3) => eb3.fn.countAll<number>().as('c'))
                .whereRef('b.user_id', '=', 'm.user_id')
                .where('b.used_at', 'is', null)
                .as('unused'),
            ])
            .groupBy('m.user_id')
            .as('u'),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('u.unused', '<', threshold)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
