import type { KeyIdsRepo } from '../../core/ports.js';
import type { RepoDeps } from './codec.js';

export function createKeyIdsRepo({ db }: RepoDeps): KeyIdsRepo {
  return {
    /** Oldest first: in the order they were added (a sequence, whatever the clocks said). */
    async list() {
      const rows = await db.selectFrom('key_ids').select('kid').orderBy('seq', 'asc').execute();
      return rows.map((r) => r.kid);
    },

    /** Idempotent, also under a race: two processes adding the first id leave one row. */
    async add(kid, now) {
      await db
        .insertInto('key_ids')
        .values({ kid, created_at: now })
        .onConflict((oc) => oc.column('kid').doNothing())
        .execute();
    },
  };
}
