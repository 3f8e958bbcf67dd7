import { auditEntry, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { fail, ok, type Outcome } from '../result.js';
import type { Amr, Ctx, MfaPending, TrustedDevice, User, VerifyMethod } from '../types.js';
import type { FactorRegistry } from './factor.js';
import { MFA_PENDING_MAX_ATTEMPTS, resolveMfaPending } from './mfa-pending.js';
import { checkSecondFactor } from './second-factor.js';
import { grantFor, recordSession, type RecordedSession, type TokenGrant } from './sessions.js';
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

/**
 * Step two of the login: a second factor against an MFA-pending token.
 *
 * For a factor whose check needs nothing but the store (`inline`: TOTP, backup codes, email
 * and SMS codes), the whole attempt is one store transaction: the token's attempt reservation,
 * the failure budget, the factor's own compare-and-set, and then either the failure's rows or
 * the session's. One commit instead of four on the hottest path of the login, and on SQLite
 * the eight clients' verifications share their commits (sqlite-group-commit.ts;
 * bench/README.md, fourth round). Only where the limiter's counters share the store's connection
 * (limiter.ts): on PostgreSQL, transactions holding pooled connections while the limiter waits
 * for another could take the whole pool. WebAuthn checks a signature through WebCrypto, off
 * the event loop, which must not hold the store's connection: its steps commit one by one.
 */
export async function verifyLoginFactor(deps: CoreDeps, registry: FactorRegistry, input: MfaVerifyInput, ctx: Ctx): Promise<Outcome<MfaVerified>> {
  let recorded: Outcome<{ user: User; rec: RecordedSession }>;
  if (registry.get(input.method)?.inline && deps.limiter.sharesStoreConnection) {
    // Read before the transaction: a stale policy cache reads through the root store, which
    // would wait for the connection this transaction holds.
    const policy = await deps.policy();
    // The token is read inside too: a read outside a transaction takes SQLite's read locks
    // of its own (bench/README.md, fifth round).
    recorded = await deps.store.transaction(async (store) => {
      const inTx: CoreDeps = { ...deps, store, policy: async () => policy };
      const pending = await resolveMfaPending(inTx, input.mfaToken, ctx.now);
      return pending ? attempt(inTx, registry, pending, input, ctx, true) : invalidToken();
    });
  } else {
    const pending = await resolveMfaPending(deps, input.mfaToken, ctx.now);
    if (!pending) return invalidToken();
    recorded = await attempt(deps, registry, pending, input, ctx, false);
  }
  if (!recorded.ok) return recorded;
  const { user, rec } = recorded.value;
  const grant = await grantFor(deps, user, rec, ctx.now);
  const device = input.trustDevice ? await trustDevice(deps, user, ctx) : null;
  return ok({ grant, device });
}

/**
 * Reserve an attempt, check the factor under its budgets, and on success record the session.
 * `serialized`: run inside one store transaction on the limiter's own connection, which holds
 * SQLite's write lock throughout (checkSecondFactor's `serialized`).
 */
async function attempt(deps: CoreDeps, registry: FactorRegistry, pending: MfaPending, input: MfaVerifyInput, ctx: Ctx, serialized: boolean): Promise<Outcome<{ user: User; rec: RecordedSession }>> {
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
    serialized,
  });
  if (!checked.ok) return checked;

  const amr: Amr[] = [...new Set<Amr>(['pwd', ...checked.value.amr, 'mfa'])];
  // Consuming the token, the session's rows, the factor's success and their audit entries
  // commit together (joining the attempt's transaction where there is one), and no session
  // ever exists without its login.succeeded entry.
  const rec = await deps.store.transaction(async (store) => {
    // The first success consumes the token; a parallel second success finds it gone (and the
    // factor's success is not recorded: that attempt signed nobody in).
    if (!(await store.mfaPending.consume(pending.id, ctx.now))) return null;
    const verified = await checked.value.settle(store);
    const r = await recordSession(deps, store, user, ctx, { amr, acr: checked.value.acr, mfaVerified: true });
    await store.events.appendAll([verified, auditEntry(ctx, EVENT.loginSucceeded, user.id, { session_id: r.session.id, amr, method: input.method })]);
    return r;
  });
  return rec ? ok({ user, rec }) : invalidToken();
}
