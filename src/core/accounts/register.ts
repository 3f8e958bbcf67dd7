import { audit, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { fail, ok, type Outcome } from '../result.js';
import type { Ctx, User } from '../types.js';
import { normalizeEmail, passwordProblem } from './password-rules.js';

export interface NewAccount {
  email: string;
  password?: string;
  name?: string | null;
  roles?: string[];
}

/** Create an account (self-service registration, admin creation and the CLI share it). */
export async function createAccount(
  deps: CoreDeps,
  input: NewAccount,
  ctx: Ctx,
  opts: { actorId?: string | null; selfService: boolean },
): Promise<Outcome<{ user: User; existed: boolean }>> {
  if (opts.selfService && !deps.settings.openRegistration) return fail('forbidden', 'registration is closed');
  const email = normalizeEmail(input.email);
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password, email);
    if (problem) return fail('validation_failed', `password ${problem}`, { field: 'password' });
  }
  const existing = await deps.store.users.byEmail(email);
  if (existing) {
    if (opts.selfService && deps.settings.hideExistingEmail) return ok({ user: existing, existed: true });
    return fail('conflict', 'an account with this email exists');
  }
  const user: User = {
    id: deps.random.uuid(),
    email,
    name: input.name ?? null,
    passwordHash: input.password !== undefined ? await deps.passwords.hash(input.password) : null,
    roles: [...new Set(input.roles ?? [])],
    disabled: false,
    createdAt: ctx.now,
    lastLoginAt: null,
    mfaRequiredSince: null,
    mfaFailureStreak: 0,
  };
  try {
    await deps.store.users.create(user);
  } catch (err) {
    // Two registrations racing on one address: the unique index decides, the loser gets 409.
    if (await deps.store.users.byEmail(email)) return fail('conflict', 'an account with this email exists');
    throw err;
  }
  const type = opts.selfService ? EVENT.registered : EVENT.userCreated;
  await audit(deps.store, ctx, type, user.id, { roles: user.roles }, opts.actorId ?? user.id);
  return ok({ user, existed: false });
}
