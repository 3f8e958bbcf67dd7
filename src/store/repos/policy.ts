import { sql } from 'kysely';
import type { PolicyRepo } from '../../core/ports.js';
import type { Policy } from '../../core/types.js';
import { parseJson, type RepoDeps } from './codec.js';

/** The policy is one row (id 1): a CHECK constraint in the schema keeps it single. */
const POLICY_ROW = 1;
/** PostgreSQL advisory lock key of policy writers (any constant unique to this purpose; "2FAP"). */
const POLICY_LOCK_KEY = 0x32464150;

export function createPolicyRepo({ db, dialect }: RepoDeps): PolicyRepo {
  return {
    /** Undefined until an administrator first saves one (callers then use the defaults). */
    async get() {
      const r = await db.selectFrom('policy').select('data').where('id', '=', POLICY_ROW).executeTakeFirst();
      return r && parseJson<Policy>(r.data);
    },

    async put(policy, now) {
      const data = JSON.stringify(policy);
      await db
        .insertInto('policy')
        .values({ id: POLICY_ROW, data, updated_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet({ data, updated_at: now }))
        .execute();
    },

    async lock() {
      if (!db.isTransaction) throw new Error('policy.lock() needs a transaction');
      // SQLite needs nothing more: its transactions begin IMMEDIATE (sqlite-group-commit.ts), holding
      // the file's one write lock from the start, so the read that follows is current.
      if (dialect === 'postgres') {
        // Transaction-scoped: released by the commit or rollback. A row lock would not do,
        // since before the first save there is no row to lock.
        await sql`select pg_advisory_xact_lock(${POLICY_LOCK_KEY})`.execute(db);
      }
    },
  };
}
