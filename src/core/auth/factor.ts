import type { CoreDeps } from '../deps.js';
import type { Acr, Amr, Ctx, MfaMethod, User, VerifyMethod } from '../types.js';

/** Why a second factor did not verify; all of them look the same to the caller. */
export type FactorRejection = 'invalid' | 'replayed' | 'not_enrolled' | 'expired';

export type FactorResult =
  | { ok: true; amr: Amr[]; acr: Acr; methodId: string | null; details?: Record<string, unknown> }
  | { ok: false; reason: FactorRejection; details?: Record<string, unknown> };

/** A second-factor check, for a login (bound to an MFA-pending token) or a step-up. */
export interface FactorAttempt {
  user: User;
  methods: MfaMethod[];
  purpose: 'login' | 'step_up';
  /** The MFA-pending token's id during login. */
  pendingId: string | null;
  code?: string;
  credential?: unknown;
  ctx: Ctx;
}

/**
 * The interface the factor modules plug into. The login and step-up machinery owns the
 * budgets, the lockout and the audit trail; a factor only says whether the proof is good.
 */
export interface Factor {
  method: VerifyMethod;
  /**
   * The check needs nothing but the store (no thread pool, no network): a login may run it
   * inside the store transaction that holds the connection (mfa-verify.ts).
   */
  inline?: boolean;
  /** Whether this user can use the method (enrolled, codes left...). */
  available(deps: CoreDeps, user: User, methods: MfaMethod[]): Promise<boolean>;
  verify(deps: CoreDeps, attempt: FactorAttempt): Promise<FactorResult>;
}

export type FactorRegistry = ReadonlyMap<VerifyMethod, Factor>;

export function factorRegistry(factors: Factor[]): FactorRegistry {
  return new Map(factors.map((f) => [f.method, f]));
}

/** The methods a user can be asked for, in a stable order, filtered by policy. */
export async function availableMethods(
  deps: CoreDeps,
  registry: FactorRegistry,
  user: User,
  methods: MfaMethod[],
  allowed: readonly VerifyMethod[],
): Promise<VerifyMethod[]> {
  const out: VerifyMethod[] = [];
  for (const [method, factor] of registry) {
    if (allowed.includes(method) && (await factor.available(deps, user, methods))) out.push(method);
  }
  const order: VerifyMethod[] = ['totp', 'webauthn', 'email', 'sms', 'backup_code'];
  return out.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/**
 * The methods a login (or step-up) may use. A policy that later disallows every method a user
 * has must not lock them out or turn MFA off: they keep their enrolled methods until they enrol
 * an allowed one.
 */
export async function loginMethodsFor(deps: CoreDeps, registry: FactorRegistry, user: User, methods: MfaMethod[]): Promise<VerifyMethod[]> {
  const policy = await deps.policy();
  const usable = await availableMethods(deps, registry, user, methods, policy.allowed_methods);
  return usable.length > 0 ? usable : availableMethods(deps, registry, user, methods, [...registry.keys()]);
}

/**
 * Whether one method may be used now: the same answer as `loginMethodsFor(...).includes(method)`,
 * without asking every other factor (the hot path of each verification asks for one method).
 */
export async function methodUsable(deps: CoreDeps, registry: FactorRegistry, user: User, methods: MfaMethod[], method: VerifyMethod): Promise<boolean> {
  const factor = registry.get(method);
  if (!factor) return false;
  const policy = await deps.policy();
  if (policy.allowed_methods.includes(method)) return factor.available(deps, user, methods);
  return (await loginMethodsFor(deps, registry, user, methods)).includes(method);
}
