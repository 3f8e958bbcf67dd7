import { sql, type SqlBool } from 'kysely';
import type { EnforcementRepo } from '../../core/ports.js';
import { inAudience, WITHOUT_METHODS } from './audience-sql.js';
import { affected, type RepoDeps } from './codec.js';
import { toUser } from './users.js';

/** Each reminder kind has its own column: the deadline it was last sent for. */
const REMINDER_COLUMN = { '3d': 'reminder_3d_deadline', '1d': 'reminder_1d_deadline' } as const;

export function createEnforcementRepo({ db, dialect }: RepoDeps): EnforcementRepo {
  return {
    async startGrace(audience, now) {
      if (audience.kind === 'none') return 0;
      // One conditional UPDATE: a start already recorded is never moved, by any process.
      const r = await db
        .updateTable('users')
        .set({ mfa_required_since: now })
        .where('mfa_required_since', 'is', null)
        .where('disabled', '=', 0)
        .where(WITHOUT_METHODS)
        .where(inAudience(dialect, audience))
        .executeTakeFirst();
      return affected(r);
    },

    async endGrace(audience) {
      if (audience.kind === 'all') return 0;
      let q = db.updateTable('users').set({ mfa_required_since: null }).where('mfa_required_since', 'is not', null);
      if (audience.kind === 'roles') q = q.where(sql<SqlBool>`not (${inAudience(dialect, audience)})`);
      return affected(await q.executeTakeFirst());
    },

    async unenrolledStartedBetween(audience, from, to, { afterId, limit }) {
      if (audience.kind === 'none') return [];
      let q = db
        .selectFrom('users')
        .selectAll()
        .where('disabled', '=', 0)
        .where('mfa_required_since', '>=', from)
        .where('mfa_required_since', '<', to)
        .where(WITHOUT_METHODS)
        .where(inAudience(dialect, audience));
      if (afterId !== undefined) q = q.where('id', '>', afterId);
      const rows = await q.orderBy('id').limit(limit).execute();
      return rows.map(toUser);
    },

    async claimReminder(userId, kind, deadline) {
      const column = REMINDER_COLUMN[kind];
      // Compare-and-set: of any number of processes running the job, one moves the column to
      // this deadline and sends; the others match no row.
      const r = await db
        .updateTable('users')
        .set({ [column]: deadline })
        .where('id', '=', userId)
        .where((eb) => eb.or([eb(column, 'is', null), eb(column, '<>', deadline)]))
        .executeTakeFirst();
      return affected(r) === 1;
    },
  };
}
