import { audit, auditEntry, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { notifyUser } from '../notify.js';
import { fail, ok, type Outcome } from '../result.js';
import type { LimitResult, Store } from '../ports.js';
import type { Ctx, NewSecurityEvent, User, VerifyMethod } from '../types.js';
import { methodUsable, type FactorRegistry, type FactorResult } from './factor.js';

export interface SecondFactorInput {
  user: User;
  purpose: 'login' | 'step_up';
  pendingId: string | null;
  method: VerifyMethod;
  code?: string;
  credential?: unknown;
  ctx: Ctx;
  /**
   * The caller holds the store's connection, and with it SQLite's write lock, for the whole
   * check (mfa-verify.ts): no other evaluation, of this process or another, can run between
   * reading the budget and writing it. The point is then taken only by a failure, instead of
   * taken before and given back by a success: the same budget, without two writes per success.
   */
  serialized?: boolean;
}

type Success = Extract<FactorResult, { ok: true }>;

/** The per-user window is spent: the same answer for right and wrong codes. */
const budgetSpent = (budget: LimitResult) => fail('rate_limited', 'too many failed attempts; try again later', { retryAfterS: budget.retryAfterS });

/** A proof that checked out, and the writes its success still owes. */
export type CheckedFactor = Success & {
  /**
   * Record the success: the budget point back, the failure streak cleared. The caller runs it
   * with the store of its own transaction, so these rows commit together with what the success
   * grants (one commit instead of three on the login's hottest path), and appends the audit
   * entry it returns together with its own (one statement).
   */
  settle(store: Store): Promise<NewSecurityEvent>;
};

/**
 * Check one second-factor proof under every budget: the per-user window (10 per 15 minutes,
 * then 429 for 15 minutes, and a correct code is refused while locked with the same answer)
 * and the run of failures in a row (100, NIST SP 800-63B 5.2.2), after which only a backup
 * code or an admin reset helps. The point is taken before the proof is evaluated, so parallel
 * guesses never get more evaluations than the budget; a success gives it back. A serialized
 * caller (see `serialized`) needs no reservation: only a failure takes its point.
 */
export async function checkSecondFactor(deps: CoreDeps, registry: FactorRegistry, input: SecondFactorInput): Promise<Outcome<CheckedFactor>> {
  const { user, ctx, method } = input;
  const policy = await deps.policy();
  const lockedS = policy.mfa_lockout_minutes * 60;

  if (user.mfaFailureStreak >= policy.mfa_hard_lock_streak && method !== 'backup_code') {
    return fail('rate_limited', 'too many failed attempts in a row: sign in with a backup code or ask an administrator to reset your second factor', { retryAfterS: lockedS });
  }
  // `reserved`: the point is taken already (and a success gives it back).
  let budget: LimitResult;
  let reserved = true;
  if (input.serialized) {
    budget = await deps.limiter.peek('mfa_user', user.id);
    reserved = !budget.allowed;
    // Refused: consume as the reserving path does, which may start the block (policy blockS).
    if (reserved) budget = await deps.limiter.consume('mfa_user', user.id);
  } else {
    budget = await deps.limiter.consume('mfa_user', user.id);
  }
  if (!budget.allowed) return budgetSpent(budget);

  const methods = await deps.store.methods.listForUser(user.id);
  const usable = await methodUsable(deps, registry, user, methods, method);
  const factor = registry.get(method);
  const result: FactorResult =
    factor && usable
      ? await factor.verify(deps, { user, methods, purpose: input.purpose, pendingId: input.pendingId, code: input.code, credential: input.credential, ctx })
      : { ok: false, reason: 'not_enrolled' };

  if (!result.ok) {
    if (!reserved) {
      budget = await deps.limiter.consume('mfa_user', user.id);
      // A limiter call of another request ran beside the transaction (limiter.ts: it may join
      // it) and took the last point meanwhile: this evaluation comes after it, so it is refused
      // as if refused before, and its answer says nothing about the code.
      if (!budget.allowed) return budgetSpent(budget);
    }
    const streak = await deps.store.users.incrementFailureStreak(user.id);
    user.mfaFailureStreak = streak;
    const type = result.reason === 'replayed' ? EVENT.mfaReplay : EVENT.mfaFailed;
    await audit(deps.store, ctx, type, user.id, { method, purpose: input.purpose, reason: result.reason, streak, ...result.details });
    if (budget.remaining === 0 || streak === policy.mfa_hard_lock_streak) {
      const until = new Date(ctx.now + (budget.remaining === 0 ? budget.retryAfterS || lockedS : lockedS) * 1000).toISOString();
      const hard = streak >= policy.mfa_hard_lock_streak;
      await audit(deps.store, ctx, EVENT.mfaLockout, user.id, { method, hard, until });
      await notifyUser(deps, user, 'lockout', ctx, { until, hard });
    }
    return fail('invalid_code', 'the code is not valid');
  }

  const settle = async (store: Store): Promise<NewSecurityEvent> => {
    if (reserved) await deps.limiter.reward('mfa_user', user.id);
    if (user.mfaFailureStreak > 0) {
      await store.users.resetFailureStreak(user.id);
      user.mfaFailureStreak = 0;
    }
    return auditEntry(ctx, EVENT.mfaVerified, user.id, { method, purpose: input.purpose, method_id: result.methodId, ...result.details });
  };
  return ok({ ...result, settle });
}
