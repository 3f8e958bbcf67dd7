/**
 * Asking for a code to sign in (bound to the MFA-pending token) or to confirm a sensitive
 * change (step-up), through an enrolled email or SMS method.
 */
import { loginMethodsFor, type FactorRegistry } from '../auth/factor.js';
import { resolveMfaPending } from '../auth/mfa-pending.js';
import type { CoreDeps } from '../deps.js';
import { fail, ok, type Outcome } from '../result.js';
import type { Ctx, MfaMethod, OtpChannel, User } from '../types.js';
import { isCodeFactor, type CodeFactor } from './code-factor.js';
import { sendCode, type CodeSent } from './issue.js';

export interface LoginCodeInput {
  mfaToken: string;
  method: OtpChannel;
  /** Which enrolled number or address, when the user has several; the oldest by default. */
  methodId?: string;
}

const invalidToken = () => fail('mfa_token_invalid', 'the sign-in step has expired or is not valid; sign in again');

/**
 * The factor and method a code goes through, or a 400 naming the field. A method the user has
 * not enrolled (or policy has switched off) answers the same generic 400 whatever the reason:
 * the caller already proved the password, so this reveals nothing about the account's
 * existence, and it names the field an integrator has to fix.
 */
async function codeTarget(deps: CoreDeps, registry: FactorRegistry, user: User, channel: OtpChannel, methodId?: string): Promise<Outcome<{ factor: CodeFactor; method: MfaMethod }>> {
  const factor = registry.get(channel);
  const methods = await deps.store.methods.listForUser(user.id);
  const usable = await loginMethodsFor(deps, registry, user, methods);
  const method = isCodeFactor(factor) && usable.includes(channel) ? factor.methodFor(methods, methodId) : undefined;
  if (!isCodeFactor(factor) || !method?.destination) {
    const field = methodId !== undefined ? 'method_id' : 'method';
    return fail('validation_failed', `${field}: no ${channel} method of this account can receive a code`, { field });
  }
  return ok({ factor, method });
}

/** `POST /auth/mfa/challenge`: send a login code, bound to the MFA-pending token. */
export async function sendLoginCode(deps: CoreDeps, registry: FactorRegistry, input: LoginCodeInput, ctx: Ctx): Promise<Outcome<CodeSent>> {
  const pending = await resolveMfaPending(deps, input.mfaToken, ctx.now);
  if (!pending) return invalidToken();
  const user = await deps.store.users.byId(pending.userId);
  if (!user || user.disabled) return invalidToken();
  const target = await codeTarget(deps, registry, user, input.method, input.methodId);
  if (!target.ok) return target;
  return sendCode(
    deps,
    target.value.factor.sender,
    // Bound to this login and never outliving it: a code that arrives after the token has
    // expired would only confuse.
    { user, channel: input.method, purpose: 'login', destination: target.value.method.destination!, pendingId: pending.id, notAfter: pending.expiresAt },
    ctx,
  );
}

/** `POST /mfa/step-up/challenge`: send a step-up code to the signed-in user. */
export async function sendStepUpCode(deps: CoreDeps, registry: FactorRegistry, user: User, channel: OtpChannel, methodId: string | undefined, ctx: Ctx): Promise<Outcome<CodeSent>> {
  const target = await codeTarget(deps, registry, user, channel, methodId);
  if (!target.ok) return target;
  return sendCode(deps, target.value.factor.sender, { user, channel, purpose: 'step_up', destination: target.value.method.destination!, pendingId: null }, ctx);
}
