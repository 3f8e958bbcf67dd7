import { audit, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { DEFAULT_POLICY } from '../policy.js';
import { fail, ok, type Outcome } from '../result.js';
import { MFA_METHOD_TYPES, VERIFY_METHODS, type Ctx, type Policy, type User } from '../types.js';
import { alignGracePeriods } from './grace.js';

/**
 * The stored policy, read now rather than through `deps.policy()`'s per-process cache (an admin
 * who just saved it must see what they saved).
 */
export async function storedPolicy(deps: Pick<CoreDeps, 'store'>): Promise<Policy> {
  return { ...DEFAULT_POLICY, ...((await deps.store.policy.get()) ?? {}) };
}

/** Rules across fields, checked on the merged result; bounds of single fields are the edge's zod schema. */
function problemOf(p: Policy): { field: string; detail: string } | undefined {
  if (p.require_mfa === 'roles' && p.roles.length === 0) {
    return { field: 'roles', detail: 'roles: name at least one role when require_mfa is "roles"' };
  }
  if (!p.allowed_methods.some((m) => (MFA_METHOD_TYPES as readonly string[]).includes(m))) {
    // Backup codes come with a method; alone they cannot be enrolled, so nobody could comply.
    return { field: 'allowed_methods', detail: `allowed_methods: include at least one of ${MFA_METHOD_TYPES.join(', ')}` };
  }
  if (p.mfa_hard_lock_streak < p.mfa_max_failures) {
    return { field: 'mfa_hard_lock_streak', detail: 'mfa_hard_lock_streak: must be at least mfa_max_failures' };
  }
  return undefined;
}

/**
 * Change the policy (PUT /admin/policy): the fields given replace the stored ones, the rest
 * stay. Audited with the old and new values. Users the new policy requires to use MFA start
 * their grace period now, so a deadline counts from the change that set it (core/admin/grace.ts).
 *
 * Every process sees the change within compose.ts's policy cache lifetime (1 s); this process
 * at once (compose.ts observes `policy.put` and caches what was saved).
 */
export async function updatePolicy(deps: CoreDeps, admin: User, patch: Partial<Policy>, ctx: Ctx): Promise<Outcome<Policy>> {
  // Read, merge and write under the policy lock: a save never works from a stale read, so two
  // administrators changing different fields at once both keep theirs.
  const saved = await deps.store.transaction(async (store): Promise<Outcome<Policy>> => {
    await store.policy.lock();
    const old = await storedPolicy({ store });
    const next: Policy = { ...old, ...patch };
    next.roles = [...new Set(next.roles)];
    // One canonical order, so equal policies read the same in the audit trail.
    next.allowed_methods = VERIFY_METHODS.filter((m) => next.allowed_methods.includes(m));
    const problem = problemOf(next);
    if (problem) return fail('validation_failed', problem.detail, { field: problem.field });
    await store.policy.put(next, ctx.now);
    await audit(store, ctx, EVENT.policyUpdated, null, { old, new: next }, admin.id);
    return ok(next);
  });
  if (saved.ok) await alignGracePeriods(deps, saved.value, ctx.now);
  return saved;
}

