import { createAccount } from '../accounts/register.js';
import { audit, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { resetMfa } from '../mfa/manage.js';
import { fail, ok, type Outcome } from '../result.js';
import type { Ctx, MfaMethodType, User } from '../types.js';
import { alignGracePeriods } from './grace.js';

/** A user as an administrator sees it: the account and which kinds of factor it has. */
export interface AdminUserView {
  user: User;
  methods: MfaMethodType[];
}

export async function withMethodTypes(deps: Pick<CoreDeps, 'store'>, users: User[]): Promise<AdminUserView[]> {
  const types = await deps.store.methods.typesForUsers(users.map((u) => u.id));
  return users.map((user) => ({ user, methods: types[user.id] ?? [] }));
}

/** A role may bring a user under the policy or out of it: now, not at the next job run. */
async function alignGrace(deps: CoreDeps, now: number): Promise<void> {
  await alignGracePeriods(deps, await deps.policy(), now);
}

/** POST /admin/users: an account made by an administrator (open registration does not matter). */
export async function createUserByAdmin(
  deps: CoreDeps,
  admin: User,
  input: { email: string; password?: string; roles?: string[] },
  ctx: Ctx,
): Promise<Outcome<User>> {
  const out = await createAccount(deps, input, ctx, { selfService: false, actorId: admin.id });
  if (!out.ok) return out;
  await alignGrace(deps, ctx.now);
  return ok(out.value.user);
}

/**
 * PATCH /admin/users/{id}. Disabling ends every session of the user at once. A change that
 * would leave no enabled administrator is refused with `conflict`; the caller being an enabled
 * admin, that is an admin demoting or disabling themselves while the last one.
 */
export async function updateUserByAdmin(
  deps: CoreDeps,
  admin: User,
  id: string,
  patch: { roles?: string[]; disabled?: boolean },
  ctx: Ctx,
): Promise<Outcome<AdminUserView>> {
  const before = await deps.store.users.byId(id);
  if (!before) return fail('not_found', 'no such user');
  const roles = patch.roles === undefined ? undefined : [...new Set(patch.roles)];
  const result = await deps.store.users.updateKeepingAnAdmin(id, { roles, disabled: patch.disabled });
  if (result === 'not_found') return fail('not_found', 'no such user');
  if (result === 'last_admin') return fail('conflict', 'this would leave no enabled administrator: make another one first');
  const after = (await deps.store.users.byId(id))!;
  let sessionsEnded = 0;
  if (after.disabled && !before.disabled) sessionsEnded = await deps.store.sessions.revokeAllForUser(id, ctx.now);
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  if (roles !== undefined && JSON.stringify(before.roles) !== JSON.stringify(after.roles)) changes.roles = { old: before.roles, new: after.roles };
  if (before.disabled !== after.disabled) changes.disabled = { old: before.disabled, new: after.disabled };
  await audit(deps.store, ctx, EVENT.userUpdated, id, { changes, sessions_ended: sessionsEnded }, admin.id);
  if (changes.roles || changes.disabled) await alignGrace(deps, ctx.now);
  return ok((await withMethodTypes(deps, [after]))[0]);
}

/**
 * POST /admin/users/{id}/mfa/reset (and the CLI, with no admin): every factor, backup code,
 * trusted device and session goes, the user is mailed. Answers the types of the methods removed.
 */
export async function resetMfaByAdmin(deps: CoreDeps, adminId: string | null, user: User, reason: string, ctx: Ctx): Promise<MfaMethodType[]> {
  const removed = (await deps.store.methods.listForUser(user.id)).map((m) => m.type);
  await resetMfa(deps, user, adminId, reason, ctx);
  return removed;
}
