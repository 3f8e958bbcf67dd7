import { audit, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { fail, ok, type Outcome } from '../result.js';
import type { Amr, Ctx, TrustedDevice, VerifyMethod } from '../types.js';
import type { FactorRegistry } from './factor.js';
import { MFA_PENDING_MAX_ATTEMPTS, resolveMfaPending } from './mfa-pending.js';
import { checkSecondFactor } from './second-factor.js';
import { grantFor, recordSession, type TokenGrant } from './sessions.js';
import { trustDevice } from './trusted-devices.js';

export interface MfaVerifyInput {
  mfaToken: string;
  method: VerifyMethod;
  code?: string;
  credential?: unknown;
  trustDevice?: boolean;
}

export interface MfaVerified {
  grant: TokenGrant;
  device: { token: string; device: TrustedDevice } | null;
}

const invalidToken = () => fail('mfa_token_invalid', 'the sign-in step has expired or is not valid; sign in again');

/** Step two of the login: a second factor against an MFA-pending token. */
export async function verifyLoginFactor(deps: CoreDeps, registry: FactorRegistry, input: MfaVerifyInput, ctx: Ctx): Promise<Outcome<MfaVerified>> {
  const pending = await resolveMfaPending(deps, input.mfaToken, ctx.now);
  if (!pending) return invalidToken();
  const user = await deps.store.users.byId(pending.userId);
  if (!user || user.disabled) return invalidToken();
  // One atomic reservation per evaluation: 20 parallel wrong codes get at most 5 evaluations.
  if (!(await deps.store.mfaPending.reserveAttempt(pending.id, MFA_PENDING_MAX_ATTEMPTS, ctx.now))) return invalidToken();

  const checked = await checkSecondFactor(deps, registry, {
    user,
    purpose: 'login',
    pendingId: pending.id,
    method: input.method,
    code: input.code,
    credential: input.credential,
    ctx,
  });
  if (!checked.ok) return checked;

  const amr: Amr[] = [...new Set<Amr>(['pwd', ...checked.value.amr, 'mfa'])];
  // Consuming the token, the session's rows, the factor's success and their audit entries
  // commit together: one commit instead of seven on the hottest path of the login
  // (bench/README.md), and no session ever exists without its login.succeeded entry.
  const recorded = await deps.store.transaction(async (store) => {
    // The first success consumes the token; a parallel second success finds it gone (and the
    // factor's success is not recorded: that attempt signed nobody in).
    if (!(await store.mfaPending.consume(pending.id, ctx.now))) return null;
    await checked.value.settle(store);
    const rec = await recordSession(deps, store, user, ctx, { amr, acr: checked.value.acr, mfaVerified: true });
    await audit(store, ctx, EVENT.loginSucceeded, user.id, { session_id: rec.session.id, amr, method: input.method });
    return rec;
  });
  if (!recorded) return invalidToken();
  const grant = await grantFor(deps, user, recorded, ctx.now);
  const device = input.trustDevice ? await trustDevice(deps, user, ctx) : null;
  return ok({ grant, device });
}
