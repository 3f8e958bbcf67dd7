/**
 * Issuing and sending one email or SMS code: the send budgets, the stored challenge, the
 * message, and what a failed delivery leaves behind (nothing usable).
 */
import { audit, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { numericCode } from '../numeric-code.js';
import { fail, ok, type Outcome } from '../result.js';
import type { Ctx, OtpChallenge, OtpChannel, OtpPurpose, User } from '../types.js';
import { CODE_DIGITS, CODE_MAX_TRIES, CODE_TTL_MS } from './constants.js';
import { hashCode } from './hash.js';
import type { CodeSender } from './sender.js';

export interface CodeRequest {
  user: User;
  channel: OtpChannel;
  purpose: OtpPurpose;
  /** The address or E.164 number to send to. */
  destination: string;
  /** The login (MFA-pending token id) the code is bound to; null outside a login. */
  pendingId: string | null;
  /** The code must not outlive this (the login it is bound to ends then). */
  notAfter?: number;
}

export interface CodeSent {
  /** Seconds the code is valid. */
  expiresIn: number;
}

const secondsUntil = (ms: number, now: number): number => Math.max(1, Math.ceil((ms - now) / 1000));

/** What the audit trail shows of a destination: an SMS number's last digits only. */
export function destinationHint(channel: OtpChannel, destination: string): string {
  return channel === 'sms' ? `…${destination.slice(-2)}` : destination;
}

/**
 * Send a fresh code, replacing the previous one of the same user, channel and purpose.
 *
 * Order matters: the send budgets are taken first (per user: one send per 30 s, then 3 per
 * hour; API.md), so a refused request sends nothing; the hashed code is stored before the
 * message leaves (so the code works as soon as it arrives); a failed delivery deletes it again
 * (a code is never usable without having been sent) and gives the hourly point back.
 */
export async function sendCode(deps: CoreDeps, sender: CodeSender, req: CodeRequest, ctx: Ctx): Promise<Outcome<CodeSent>> {
  const { user, channel, purpose } = req;
  const challenges = deps.store.otpChallenges;

  // A code whose tries are spent stays the live one until it expires: a resend would carry
  // the spent tries over (a resend never resets the count), so refuse before spending a send.
  const live = await challenges.latest(user.id, channel, purpose, req.pendingId);
  if (live && live.consumedAt === null && live.expiresAt > ctx.now && live.attempts >= CODE_MAX_TRIES) {
    return fail('rate_limited', 'too many wrong codes: a new code can be sent once the last one has expired', {
      retryAfterS: secondsUntil(live.expiresAt, ctx.now),
    });
  }
  const gap = await deps.limiter.consume('otp_send_gap', user.id);
  if (!gap.allowed) return fail('rate_limited', 'a code was sent moments ago: wait before asking for another', { retryAfterS: gap.retryAfterS });
  const hourly = await deps.limiter.consume('otp_send_hour', user.id);
  if (!hourly.allowed) return fail('rate_limited', 'too many codes sent in the last hour: try again later', { retryAfterS: hourly.retryAfterS });

  const id = deps.random.uuid();
  const code = numericCode(deps.random, CODE_DIGITS);
  const expiresAt = Math.min(ctx.now + CODE_TTL_MS, req.notAfter ?? Number.POSITIVE_INFINITY);
  const rec: OtpChallenge = {
    id,
    userId: user.id,
    channel,
    purpose,
    mfaPendingId: req.pendingId,
    destination: req.destination,
    codeHash: hashCode(deps.secrets, id, code),
    createdAt: ctx.now,
    expiresAt,
    attempts: 0,
    consumedAt: null,
  };
  await challenges.replaceCarryingAttempts(rec, ctx.now);

  const details = { channel, purpose, to: destinationHint(channel, req.destination) };
  let delivery;
  try {
    delivery = await sender.send({
      channel,
      to: req.destination,
      code,
      purpose,
      minutes: Math.ceil((expiresAt - ctx.now) / 60_000),
      host: hostOf(deps.settings.publicUrl),
      name: user.name,
    });
  } catch (err) {
    // A bug (a template that cannot render): still never leave an unsent code behind.
    await challenges.delete(id);
    throw err;
  }
  if (!delivery.ok) {
    await challenges.delete(id);
    await deps.limiter.reward('otp_send_hour', user.id);
    await audit(deps.store, ctx, EVENT.codeSendFailed, user.id, { ...details, permanent: delivery.permanent, error: delivery.error });
    const what = channel === 'sms' ? 'text message' : 'email';
    return delivery.permanent
      ? fail('delivery_failed', `the ${what} was refused by the provider: check the ${channel === 'sms' ? 'phone number' : 'address'}`)
      : fail('delivery_unavailable', `the ${what} could not be sent right now: try again in a moment`);
  }
  await audit(deps.store, ctx, EVENT.codeSent, user.id, { ...details, challenge_id: id });
  return ok({ expiresIn: secondsUntil(expiresAt, ctx.now) });
}

/** The host of the public URL, for the SMS's origin-bound line (WebOTP). */
function hostOf(publicUrl: string): string | null {
  try {
    return new URL(publicUrl).host || null;
  } catch {
    return null;
  }
}
