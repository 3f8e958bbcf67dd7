import { audit, EVENT } from '../audit.js';
import { revokeAllTrustedDevices } from '../auth/trusted-devices.js';
import type { CoreDeps } from '../deps.js';
import { notifyUser } from '../notify.js';
import { enrollDeadline, policyRequiresMfa } from '../policy.js';
import { fail, ok, type Outcome } from '../result.js';
import { MFA_METHOD_TYPES, type Ctx, type MfaMethod, type MfaMethodType, type Session, type User } from '../types.js';
import { issueBackupCodes } from './backup-codes.js';

export interface MfaStatus {
  enabled: boolean;
  methods: MfaMethod[];
  backupCodesRemaining: number;
  required: boolean;
  enrollBy: number | null;
  /** The kinds of factor the policy lets the user set up (backup codes come with the first). */
  allowedMethods: MfaMethodType[];
}

export async function mfaStatus(deps: CoreDeps, user: User): Promise<MfaStatus> {
  const [methods, remaining, policy] = await Promise.all([
    deps.store.methods.listForUser(user.id),
    deps.store.backupCodes.remaining(user.id),
    deps.policy(),
  ]);
  const required = policyRequiresMfa(policy, user);
  const enrollBy = required && methods.length === 0 && user.mfaRequiredSince !== null ? enrollDeadline(policy, user.mfaRequiredSince) : null;
  const allowedMethods = MFA_METHOD_TYPES.filter((m) => policy.allowed_methods.includes(m));
  return { enabled: methods.length > 0, methods, backupCodesRemaining: methods.length > 0 ? remaining : 0, required, enrollBy, allowedMethods };
}

async function ownMethod(deps: CoreDeps, user: User, id: string): Promise<MfaMethod | undefined> {
  const m = await deps.store.methods.byId(id);
  // Another user's method answers exactly like an unknown one.
  return m && m.userId === user.id ? m : undefined;
}

export async function renameMethod(deps: CoreDeps, user: User, id: string, name: string, ctx: Ctx): Promise<Outcome<MfaMethod>> {
  const m = await ownMethod(deps, user, id);
  if (!m) return fail('not_found', 'no such method');
  await deps.store.methods.rename(id, name);
  await audit(deps.store, ctx, EVENT.methodRenamed, user.id, { method: m.type, method_id: id });
  return ok({ ...m, name });
}

/** Everything that ends MFA for a user: methods, backup codes, trusted devices. */
async function wipeFactors(deps: CoreDeps, userId: string, ctx: Ctx, reason: string): Promise<number> {
  const n = await deps.store.methods.deleteAllForUser(userId);
  await deps.store.backupCodes.deleteAllForUser(userId);
  await revokeAllTrustedDevices(deps, userId, ctx, reason);
  return n;
}

/** Remove one method (after step-up); the last one goes only where policy allows no MFA. Answers the removed method. */
export async function removeMethod(deps: CoreDeps, user: User, session: Session, id: string, ctx: Ctx): Promise<Outcome<MfaMethod>> {
  const m = await ownMethod(deps, user, id);
  if (!m) return fail('not_found', 'no such method');
  // One atomic delete-and-count: two parallel removals of the last two methods cannot both
  // succeed where policy requires MFA, and whichever leaves none wipes the rest.
  const keepOne = policyRequiresMfa(await deps.policy(), user);
  const result = await deps.store.methods.deleteOwned(id, user.id, keepOne);
  if (result.outcome === 'not_found') return fail('not_found', 'no such method');
  if (result.outcome === 'last') return fail('policy_violation', 'policy requires a second factor: add another method before removing this one');
  const last = result.remaining === 0;
  if (last) await wipeFactors(deps, user.id, ctx, 'last_method_removed');
  await deps.store.sessions.revokeAllForUser(user.id, ctx.now, session.id);
  await audit(deps.store, ctx, EVENT.methodRemoved, user.id, { method: m.type, method_id: id, name: m.name, last });
  await notifyUser(deps, user, 'factor_removed', ctx, { methodType: m.type, methodName: m.name });
  return ok(m);
}

export async function regenerateBackupCodes(deps: CoreDeps, user: User, ctx: Ctx): Promise<Outcome<string[]>> {
  const methods = await deps.store.methods.listForUser(user.id);
  if (methods.length === 0) return fail('conflict', 'set up a second factor first; backup codes come with it');
  const codes = await issueBackupCodes(deps, user.id, ctx.now);
  await audit(deps.store, ctx, EVENT.backupCodesRegenerated, user.id, { count: codes.length });
  await notifyUser(deps, user, 'backup_codes_regenerated', ctx);
  return ok(codes);
}

/** Turn MFA off (after step-up): refused with policy_violation where policy requires it. */
export async function disableMfa(deps: CoreDeps, user: User, session: Session, ctx: Ctx): Promise<Outcome<void>> {
  if (policyRequiresMfa(await deps.policy(), user)) return fail('policy_violation', 'policy requires a second factor for your account');
  const n = await wipeFactors(deps, user.id, ctx, 'mfa_disabled');
  await deps.store.sessions.revokeAllForUser(user.id, ctx.now, session.id);
  await audit(deps.store, ctx, EVENT.mfaDisabled, user.id, { methods_removed: n });
  await notifyUser(deps, user, 'mfa_disabled', ctx);
  return ok(undefined);
}

/** Admin reset (or the CLI's emergency path): every factor, device and session goes. */
export async function resetMfa(deps: CoreDeps, user: User, actorId: string | null, reason: string, ctx: Ctx): Promise<void> {
  const n = await wipeFactors(deps, user.id, ctx, 'admin_reset');
  await deps.store.sessions.revokeAllForUser(user.id, ctx.now);
  await deps.store.users.resetFailureStreak(user.id);
  await deps.limiter.reset('mfa_user', user.id);
  await audit(deps.store, ctx, EVENT.mfaReset, user.id, { reason, methods_removed: n }, actorId);
  await notifyUser(deps, user, 'mfa_reset_by_admin', ctx, { reason });
}
