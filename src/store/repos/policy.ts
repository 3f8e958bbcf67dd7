import type { PolicyRepo } from '../../core/ports.js';
import type { Policy } from '../../core/types.js';
import { parseJson, type RepoDeps } from './codec.js';

/** The policy is one row (id 1): a CHECK constraint in the schema keeps it single. */
const POLICY_ROW = 1;

export function createPolicyRepo({ db }: RepoDeps): PolicyRepo {
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
  };
}
