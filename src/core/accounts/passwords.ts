import { audit, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { notifyUser } from '../notify.js';
import { fail, ok, type Outcome } from '../result.js';
import { newOpaqueToken, parseOpaqueToken } from '../tokens.js';
import type { Ctx, Session, User } from '../types.js';
import { revokeAllTrustedDevices } from '../auth/trusted-devices.js';
import { normalizeEmail, passwordProblem } from './password-rules.js';

const RESET_PURPOSE = 'password_reset';

/**
 * Mail a single-use reset link. Answers the same whether or not the account exists (API.md);
 * the mail is queued, so both paths take about the same time.
 */
export async function forgotPassword(deps: CoreDeps, emailInput: string, ctx: Ctx): Promise<void> {
  const email = normalizeEmail(emailInput);
  const budget = await deps.limiter.consume('password_forgot', email);
  if (!budget.allowed) return;
  const user = await deps.store.users.byEmail(email);
  if (!user || user.disabled) return;
  const t = newOpaqueToken(deps.random, deps.secrets, RESET_PURPOSE);
  await deps.store.passwordResets.create({
    id: t.id,
    userId: user.id,
    secretHash: t.hash,
    createdAt: ctx.now,
    expiresAt: ctx.now + deps.settings.resetTtlS * 1000,
    usedAt: null,
  });
  const link = `${deps.settings.publicUrl}/reset-password?token=${encodeURIComponent(t.token)}`;
  await notifyUser(deps, user, 'password_reset', ctx, { link, minutes: Math.round(deps.settings.resetTtlS / 60) });
  await audit(deps.store, ctx, EVENT.passwordResetRequested, user.id);
}

/** Set a new password from a reset link: every session and trusted device ends, MFA stays on. */
export async function resetPassword(deps: CoreDeps, token: string, newPassword: string, ctx: Ctx): Promise<Outcome<void>> {
  const invalid = fail('validation_failed', 'the reset link is invalid, used or expired', { field: 'token' });
  const parsed = parseOpaqueToken(token);
  if (!parsed) return invalid;
  const rec = await deps.store.passwordResets.byId(parsed.id);
  if (!rec || rec.usedAt !== null || rec.expiresAt <= ctx.now || !deps.secrets.verify(RESET_PURPOSE, parsed.secret, rec.secretHash)) return invalid;
  const user = await deps.store.users.byId(rec.userId);
  if (!user) return invalid;
  const problem = passwordProblem(newPassword, user.email);
  if (problem) return fail('validation_failed', `new_password ${problem}`, { field: 'new_password' });
  if (!(await deps.store.passwordResets.consume(rec.id, ctx.now))) return invalid;
  await deps.store.users.setPasswordHash(user.id, await deps.passwords.hash(newPassword));
  await deps.store.passwordResets.invalidateForUser(user.id, ctx.now);
  await deps.store.sessions.revokeAllForUser(user.id, ctx.now);
  await revokeAllTrustedDevices(deps, user.id, ctx, 'password_reset');
  await audit(deps.store, ctx, EVENT.passwordReset, user.id);
  await notifyUser(deps, user, 'password_reset_done', ctx);
  return ok(undefined);
}

/** Change the password (after step-up): other sessions and trusted devices end. */
export async function changePassword(deps: CoreDeps, user: User, session: Session, current: string, next: string, ctx: Ctx): Promise<Outcome<void>> {
  const budget = await deps.limiter.consume('login_account', user.email);
  if (!budget.allowed) return fail('rate_limited', 'too many failed attempts; try again later', { retryAfterS: budget.retryAfterS });
  if (!user.passwordHash || !(await deps.passwords.verify(user.passwordHash, current))) {
    await audit(deps.store, ctx, EVENT.loginFailed, user.id, { reason: 'password_change_wrong_current' });
    return fail('invalid_credentials', 'the current password is wrong');
  }
  await deps.limiter.reward('login_account', user.email);
  const problem = passwordProblem(next, user.email);
  if (problem) return fail('validation_failed', `new_password ${problem}`, { field: 'new_password' });
  await deps.store.users.setPasswordHash(user.id, await deps.passwords.hash(next));
  const revoked = await deps.store.sessions.revokeAllForUser(user.id, ctx.now, session.id);
  await revokeAllTrustedDevices(deps, user.id, ctx, 'password_change');
  await audit(deps.store, ctx, EVENT.passwordChanged, user.id, { sessions_revoked: revoked });
  await notifyUser(deps, user, 'password_changed', ctx);
  return ok(undefined);
}
