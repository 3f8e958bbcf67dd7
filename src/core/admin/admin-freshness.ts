import type { CoreDeps } from '../deps.js';
import { policyRequiresMfa } from '../policy.js';
import { fail, ok, type Outcome } from '../result.js';
import type { Session, User } from '../types.js';

/**
 * With `step_up_max_age_s` 0 ("always ask") an admin could never call a GET route, which has no
 * body to carry a proof: a proof from `POST /mfa/step-up` then counts for this long.
 */
export const ADMIN_MIN_FRESHNESS_S = 60;

/**
 * Administrators act for everyone, so where policy requires MFA of them (require_mfa `admins`,
 * `roles` naming admin, or `all`) every admin call needs a second factor verified in this
 * session within `step_up_max_age_s`; otherwise 401 `step_up_required`, answered with
 * `POST /mfa/step-up`. An admin still without a factor must enrol first.
 */
export async function requireFreshAdmin(deps: CoreDeps, user: User, session: Session, now: number): Promise<Outcome<void>> {
  const policy = await deps.policy();
  if (!policyRequiresMfa(policy, user)) return ok(undefined);
  const maxAgeMs = Math.max(policy.step_up_max_age_s, ADMIN_MIN_FRESHNESS_S) * 1000;
  if (session.mfaVerifiedAt !== null && now - session.mfaVerifiedAt <= maxAgeMs) return ok(undefined);
  const hasMfa = (await deps.store.methods.listForUser(user.id)).length > 0;
  return fail(
    'step_up_required',
    hasMfa
      ? 'administration needs a recently verified second factor: confirm one with POST /mfa/step-up'
      : 'policy requires administrators to use a second factor: set one up under /mfa first',
  );
}
