/**
 * Checking an email or SMS code against the live challenge it answers.
 */
import type { CoreDeps } from '../deps.js';
import type { OtpChallenge, OtpChannel, OtpPurpose } from '../types.js';
import { CODE_DIGITS, CODE_MAX_TRIES } from './constants.js';
import { codeMatches, normalizeCode } from './hash.js';

export interface CodeCheckInput {
  userId: string;
  channel: OtpChannel;
  purpose: OtpPurpose;
  /** The login the code must be bound to; null for enrolment and step-up codes. */
  pendingId: string | null;
  code: string;
  now: number;
}

/**
 * Why a code did not verify: `none` (no live code: never sent, expired or replaced), `used_up`
 * (its 5 tries are spent), `wrong`, `replayed` (already used). Callers decide how much of this
 * the client may learn.
 */
export type CodeRejection = 'none' | 'used_up' | 'wrong' | 'replayed';

export type CodeCheck = { ok: true; challenge: OtpChallenge } | { ok: false; reason: CodeRejection };

const CODE_SHAPE = new RegExp(`^\\d{${CODE_DIGITS}}$`);

/**
 * One try at the live code. The try is counted before the code is compared, in one atomic
 * UPDATE (so parallel guesses never get more than 5 comparisons), and a good code is spent by
 * one atomic UPDATE (so it works once, even for parallel requests).
 */
export async function checkCode(deps: CoreDeps, q: CodeCheckInput): Promise<CodeCheck> {
  const challenges = deps.store.otpChallenges;
  const ch = await challenges.latest(q.userId, q.channel, q.purpose, q.pendingId);
  if (!ch || ch.expiresAt <= q.now) return { ok: false, reason: 'none' };
  if (ch.consumedAt !== null) return { ok: false, reason: 'replayed' };
  if (!(await challenges.reserveAttempt(ch.id, CODE_MAX_TRIES, q.now))) return { ok: false, reason: 'used_up' };
  const code = normalizeCode(q.code);
  if (!CODE_SHAPE.test(code) || !codeMatches(deps.secrets, ch.id, code, ch.codeHash)) return { ok: false, reason: 'wrong' };
  if (!(await challenges.consume(ch.id, q.now))) return { ok: false, reason: 'replayed' };
  return { ok: true, challenge: ch };
}
