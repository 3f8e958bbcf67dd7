import type { CoreDeps } from '../deps.js';
import { enrollDeadline, policyRequiresMfa } from '../policy.js';
import type { User } from '../types.js';

export type Enforcement =
  | { state: 'not_required' }
  | { state: 'grace'; enrollBy: number }
  | { state: 'enrollment_only'; enrollBy: number };

/**
 * Where a user without a second factor stands under the policy. The grace period starts the
 * first time policy is seen to require MFA of the user, and is remembered, so changing the
 * grace period later moves every deadline consistently.
 */
export async function enforcementFor(deps: CoreDeps, user: User, now: number): Promise<Enforcement> {
  const policy = await deps.policy();
  if (!policyRequiresMfa(policy, user)) return { state: 'not_required' };
  let since = user.mfaRequiredSince;
  if (since === null) {
    since = now;
    await deps.store.users.update(user.id, { mfaRequiredSince: since });
    user.mfaRequiredSince = since;
  }
  const enrollBy = enrollDeadline(policy, since);
  return now < enrollBy ? { state: 'grace', enrollBy } : { state: 'enrollment_only', enrollBy };
}

/**
 * Whether a live session must be treated as enrolment-only now: a session begun inside the grace
 * period does not outlive the deadline as a full one (refresh tokens last 30 days). Cheap for
 * everyone else: it reads the methods only for a user whose deadline has passed.
 */
export async function deadlinePassedWithoutMfa(deps: CoreDeps, user: User, now: number): Promise<boolean> {
  if (user.mfaRequiredSince === null) return false;
  const policy = await deps.policy();
  if (!policyRequiresMfa(policy, user) || now < enrollDeadline(policy, user.mfaRequiredSince)) return false;
  return (await deps.store.methods.listForUser(user.id)).length === 0;
}
