import { audit, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { normalizeEmail } from '../accounts/password-rules.js';
import { fail, ok, type Outcome } from '../result.js';
import type { Ctx, User, VerifyMethod } from '../types.js';
import { enforcementFor } from './enforcement.js';
import { loginMethodsFor, type FactorRegistry } from './factor.js';
import { createMfaPending } from './mfa-pending.js';
import { startSession, type TokenGrant } from './sessions.js';
import { checkTrustedDevice } from './trusted-devices.js';

export type LoginResult =
  | { kind: 'session'; grant: TokenGrant; enrollBy?: number; enrollmentRequired?: boolean }
  | { kind: 'mfa'; mfaToken: string; methods: VerifyMethod[]; expiresIn: number };

export interface LoginInput {
  email: string;
  password: string;
  deviceToken?: string;
}

/**
 * Step one of the two-step login. Budgets are taken before the password is evaluated (so 50
 * parallel guesses never get more evaluations than the budget) and given back on success
 * (API.md: successful logins do not count).
 */
export async function passwordLogin(deps: CoreDeps, registry: FactorRegistry, input: LoginInput, ctx: Ctx): Promise<Outcome<LoginResult>> {
  const email = normalizeEmail(input.email);
  const ipKey = ctx.ip ?? 'unknown';
  const [byAccount, byIp] = await Promise.all([
    deps.limiter.consume('login_account', email),
    deps.limiter.consume('login_ip', ipKey),
  ]);
  if (!byAccount.allowed || !byIp.allowed) {
    const retryAfterS = Math.max(byAccount.allowed ? 0 : byAccount.retryAfterS, byIp.allowed ? 0 : byIp.retryAfterS);
    await audit(deps.store, ctx, EVENT.loginLocked, null, { by: byAccount.allowed ? 'ip' : 'account' });
    return fail('rate_limited', 'too many failed sign-in attempts; try again later', { retryAfterS });
  }

  const user = await deps.store.users.byEmail(email);
  // Unknown email and wrong password cost the same time and answer the same (API.md).
  const good = user?.passwordHash
    ? await deps.passwords.verify(user.passwordHash, input.password)
    : (await deps.passwords.verifyDummy(input.password), false);
  if (!user || !good) {
    await audit(deps.store, ctx, EVENT.loginFailed, user?.id ?? null, { reason: 'bad_credentials' });
    return fail('invalid_credentials', 'email or password is wrong');
  }
  const giveBack = async (): Promise<void> => {
    await Promise.all([deps.limiter.reward('login_account', email), deps.limiter.reward('login_ip', ipKey)]);
  };
  if (user.disabled) {
    await giveBack();
    await audit(deps.store, ctx, EVENT.loginFailed, user.id, { reason: 'disabled' });
    return fail('forbidden', 'this account is disabled');
  }
  return ok(await afterPassword(deps, registry, user, input.deviceToken, ctx, giveBack));
}

async function afterPassword(deps: CoreDeps, registry: FactorRegistry, user: User, deviceToken: string | undefined, ctx: Ctx, giveBack: () => Promise<void>): Promise<LoginResult> {
  const methods = await deps.store.methods.listForUser(user.id);
  const hasMfa = methods.length > 0;

  if (hasMfa) {
    const usable = await loginMethodsFor(deps, registry, user, methods);
    if (await checkTrustedDevice(deps, user, deviceToken, ctx)) {
      await giveBack();
      const grant = await startSession(deps, user, ctx, { amr: ['pwd', 'device'], acr: 'aal1', mfaVerified: false });
      await audit(deps.store, ctx, EVENT.loginSucceeded, user.id, { session_id: grant.session.id, amr: grant.session.amr });
      return { kind: 'session', grant };
    }
    // The budget points back, the pending token and its audit entry: one commit, not four (on
    // SQLite the limiter shares the connection, so its writes join the transaction).
    const pending = await deps.store.transaction(async (store) => {
      await giveBack();
      const created = await createMfaPending({ ...deps, store }, user.id, ctx);
      await audit(store, ctx, EVENT.mfaRequired, user.id, { methods: usable });
      return created;
    });
    return { kind: 'mfa', mfaToken: pending.token, methods: usable, expiresIn: pending.expiresIn };
  }

  await giveBack();
  const enforcement = hasMfa ? { state: 'not_required' as const } : await enforcementFor(deps, user, ctx.now);
  const enrollmentOnly = enforcement.state === 'enrollment_only';
  const grant = await startSession(deps, user, ctx, { amr: ['pwd'], acr: 'aal1', mfaVerified: false, enrollmentOnly });
  await audit(deps.store, ctx, EVENT.loginSucceeded, user.id, { session_id: grant.session.id, amr: grant.session.amr, enrollment_only: enrollmentOnly });
  if (enforcement.state === 'not_required') return { kind: 'session', grant };
  return { kind: 'session', grant, enrollBy: enforcement.enrollBy, enrollmentRequired: enrollmentOnly };
}
