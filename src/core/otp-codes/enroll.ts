/**
 * Enrolling an email address or a phone number: a code goes there, and the method exists
 * only once that code comes back (which also proves the address or number).
 */
import { audit, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { factorAdded, newMethodRow } from '../mfa/after-change.js';
import { fail, ok, type Outcome } from '../result.js';
import type { Ctx, MfaMethod, OtpChannel, Session, User } from '../types.js';
import { destinationHint, sendCode, type CodeSent } from './issue.js';
import type { CodeSender } from './sender.js';
import { checkCode } from './verify.js';

const DEFAULT_NAME: Record<OtpChannel, string> = { email: 'Email', sms: 'Text message' };

/** Send an enrolment code to `destination` (the account's address, or the number given). */
export async function startCodeEnrollment(deps: CoreDeps, sender: CodeSender, user: User, channel: OtpChannel, destination: string, ctx: Ctx): Promise<Outcome<CodeSent>> {
  const methods = await deps.store.methods.listForUser(user.id);
  if (methods.some((m) => m.type === channel && m.destination === destination)) {
    return fail('conflict', channel === 'email' ? 'email codes are already set up for this address' : 'this phone number is already set up');
  }
  const sent = await sendCode(deps, sender, { user, channel, purpose: 'enroll', destination, pendingId: null }, ctx);
  if (sent.ok) await audit(deps.store, ctx, EVENT.enrollStarted, user.id, { method: channel, to: destinationHint(channel, destination) });
  return sent;
}

/**
 * Confirm an enrolment with the code that was sent. Guesses count against the per-user
 * second-factor budget (as TOTP enrolment does) on top of the code's own 5 tries.
 */
export async function confirmCodeEnrollment(
  deps: CoreDeps,
  user: User,
  session: Session,
  channel: OtpChannel,
  code: string,
  name: string | undefined,
  ctx: Ctx,
): Promise<Outcome<{ method: MfaMethod; backupCodes?: string[] }>> {
  const budget = await deps.limiter.consume('mfa_user', user.id);
  if (!budget.allowed) return fail('rate_limited', 'too many failed attempts; try again later', { retryAfterS: budget.retryAfterS });
  const checked = await checkCode(deps, { userId: user.id, channel, purpose: 'enroll', pendingId: null, code, now: ctx.now });
  if (!checked.ok) {
    if (checked.reason === 'none' || checked.reason === 'replayed') {
      // Nothing was guessed: no point is spent.
      await deps.limiter.reward('mfa_user', user.id);
      return fail('not_found', 'no code is waiting for confirmation (it may have expired): ask for a new one');
    }
    await audit(deps.store, ctx, EVENT.mfaFailed, user.id, { method: channel, purpose: 'enroll', reason: checked.reason });
    return fail(
      'invalid_code',
      checked.reason === 'used_up' ? 'too many wrong codes: ask for a new code once this one has expired' : 'the code is not valid',
    );
  }
  await deps.limiter.reward('mfa_user', user.id);
  const method: MfaMethod = {
    ...newMethodRow(deps, user.id, channel, name ?? DEFAULT_NAME[channel], ctx.now),
    destination: checked.challenge.destination,
    lastUsedAt: ctx.now,
  };
  await deps.store.methods.insert(method);
  const { backupCodes } = await factorAdded(deps, user, session, method, ctx);
  return ok({ method, backupCodes });
}
