import type { CoreDeps } from '../deps.js';
import type { Policy } from '../types.js';
import { mfaAudience } from './audience.js';

/**
 * Bring the grace periods in line with the policy: users it newly requires to use MFA start
 * theirs now (the deadline counts from the change, whether or not they sign in); users it no
 * longer requires lose theirs, so a later requirement gives them a full grace period again.
 * Called after a policy or role change and by every reminder run (changes made elsewhere).
 *
 * @returns how many started.
 */
export async function alignGracePeriods(deps: Pick<CoreDeps, 'store'>, policy: Policy, now: number): Promise<number> {
  const audience = mfaAudience(policy);
  await deps.store.enforcement.endGrace(audience);
  return deps.store.enforcement.startGrace(audience, now);
}
