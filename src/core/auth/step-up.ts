import { audit, auditEntry, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { fail, ok, type Outcome } from '../result.js';
import type { Ctx, Session, User, VerifyMethod } from '../types.js';
import type { FactorRegistry } from './factor.js';
import { checkSecondFactor } from './second-factor.js';

export interface StepUpProof {
  method?: VerifyMethod;
  code?: string;
  credential?: unknown;
  password?: string;
}

/**
 * Confirm a sensitive action (API.md "Step-up"): a fresh proof in the request, or a second
 * factor verified in this session within `step_up_max_age_s` (0 = always ask). A user without
 * MFA proves it with the password, or by a password sign-in that recent.
 */
export async function requireStepUp(
  deps: CoreDeps,
  registry: FactorRegistry,
  user: User,
  session: Session,
  proof: StepUpProof,
  ctx: Ctx,
): Promise<Outcome<void>> {
  if (proof.method) {
    const checked = await checkSecondFactor(deps, registry, { user, purpose: 'step_up', pendingId: null, method: proof.method, code: proof.code, credential: proof.credential, ctx });
    if (!checked.ok) return checked;
    const amr = [...new Set([...session.amr, ...checked.value.amr, 'mfa' as const])];
    // A step-up never lowers the session's assurance (an email code after a TOTP login stays aal2).
    const acr = session.acr === 'aal2' || checked.value.acr === 'aal2' ? 'aal2' : 'aal1';
    await deps.store.transaction(async (store) => {
      const verified = await checked.value.settle(store);
      await store.sessions.markMfaVerified(session.id, ctx.now, amr, acr);
      await store.events.appendAll([verified, auditEntry(ctx, EVENT.stepUp, user.id, { method: proof.method, session_id: session.id })]);
    });
    session.mfaVerifiedAt = ctx.now;
    return ok(undefined);
  }
  // Only the password and recency paths need to know whether the user has MFA at all (the
  // factor check above reads the methods itself).
  const hasMfa = (await deps.store.methods.listForUser(user.id)).length > 0;
  if (proof.password !== undefined) {
    if (hasMfa) return fail('step_up_required', 'confirm with a second factor');
    const budget = await deps.limiter.consume('login_account', user.email);
    if (!budget.allowed) return fail('rate_limited', 'too many failed attempts; try again later', { retryAfterS: budget.retryAfterS });
    if (!user.passwordHash || !(await deps.passwords.verify(user.passwordHash, proof.password))) {
      await audit(deps.store, ctx, EVENT.loginFailed, user.id, { reason: 'step_up_password' });
      return fail('invalid_credentials', 'the password is wrong');
    }
    await deps.limiter.reward('login_account', user.email);
    await audit(deps.store, ctx, EVENT.stepUp, user.id, { method: 'password', session_id: session.id });
    return ok(undefined);
  }
  const maxAgeMs = (await deps.policy()).step_up_max_age_s * 1000;
  const verifiedAt = hasMfa ? session.mfaVerifiedAt : session.createdAt;
  if (maxAgeMs > 0 && verifiedAt !== null && ctx.now - verifiedAt <= maxAgeMs) return ok(undefined);
  return fail('step_up_required', hasMfa ? 'confirm with a second factor' : 'confirm with your password');
}
