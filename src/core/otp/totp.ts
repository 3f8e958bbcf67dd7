/**
 * TOTP, RFC 6238: HOTP over the number of time steps since the Unix epoch (T0 = 0).
 * `now` is passed in, never read from a global clock, so callers and tests control time.
 */
import { timingSafeEqual } from 'node:crypto';
import type { TotpAlgorithm } from '../types.js';
import { assertDigits, hotp } from './hotp.js';

/** Defaults every authenticator app supports (API.md "Defaults"; RFC 6238 §5.2 recommends 30 s). */
export const TOTP_DEFAULTS = Object.freeze({
  periodS: 30,
  digits: 6,
  algorithm: 'SHA1' as TotpAlgorithm,
  /**
   * One step either side absorbs clock drift and the time a user takes to type: RFC 6238 §5.2
   * recommends at most one step of network delay. A wider window multiplies an attacker's
   * chances per guess, so it stays at 1.
   */
  window: 1,
});

export interface TotpOptions {
  /** Step length in seconds. @default 30 */
  periodS?: number;
  /** @default 6 */
  digits?: number;
  /** @default 'SHA1' */
  algorithm?: TotpAlgorithm;
}

function assertPeriod(periodS: number): void {
  if (!Number.isInteger(periodS) || periodS <= 0) throw new RangeError(`TOTP period must be a positive integer of seconds, got ${periodS}`);
}

/** The time step containing `nowMs`: floor((now - T0) / period) with T0 = 0 (RFC 6238 §4.2). */
export function timeStep(nowMs: number, periodS: number): number {
  assertPeriod(periodS);
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new RangeError(`TOTP time must be a non-negative number of milliseconds, got ${nowMs}`);
  return Math.floor(nowMs / (periodS * 1000));
}

/** The TOTP code of `key` at `nowMs`. */
export function totp(key: Buffer, nowMs: number, opts: TotpOptions = {}): string {
  const periodS = opts.periodS ?? TOTP_DEFAULTS.periodS;
  return hotp(key, timeStep(nowMs, periodS), { algorithm: opts.algorithm, digits: opts.digits });
}

export interface VerifyTotpInput {
  key: Buffer;
  /** What the user typed: exactly `digits` ASCII digits, nothing else. */
  code: string;
  nowMs: number;
  /** @default 30 */
  periodS?: number;
  /** @default 6 */
  digits?: number;
  /** @default 'SHA1' */
  algorithm?: TotpAlgorithm;
  /** Steps accepted either side of the current one. @default 1 */
  window?: number;
  /** The method's last accepted step; a match at or before it is a replay. */
  lastStep?: number | null;
}

export type VerifyTotpResult = { ok: true; step: number } | { ok: false; reason: 'malformed' | 'mismatch' | 'replayed' };

/**
 * Checks a TOTP code against every step in the window and answers the newest matching step.
 *
 * Every candidate is computed and compared in constant time, without stopping at the first
 * match, so the time taken does not reveal which step (if any) matched. The function is pure:
 * on `ok` the caller must still advance the method's last step with an atomic compare-and-set,
 * which is what makes a code single-use under concurrency (RFC 6238 §5.2: "MUST NOT accept the
 * second attempt of the same OTP after the successful validation").
 */
export function verifyTotp(input: VerifyTotpInput): VerifyTotpResult {
  const periodS = input.periodS ?? TOTP_DEFAULTS.periodS;
  const digits = input.digits ?? TOTP_DEFAULTS.digits;
  const algorithm = input.algorithm ?? TOTP_DEFAULTS.algorithm;
  const window = input.window ?? TOTP_DEFAULTS.window;
  assertDigits(digits);
  if (!Number.isInteger(window) || window < 0) throw new RangeError(`TOTP window must be a non-negative integer, got ${window}`);

  // [0-9] rather than \d: only ASCII digits, so full-width or Arabic-Indic digits, signs and
  // whitespace are all refused before any HMAC is computed. JS `$` does not match before a
  // trailing newline (unlike PCRE), so "123456\n" is refused too.
  if (typeof input.code !== 'string' || !new RegExp(`^[0-9]{${digits}}$`).test(input.code)) {
    return { ok: false, reason: 'malformed' };
  }
  const given = Buffer.from(input.code, 'ascii');

  const current = timeStep(input.nowMs, periodS);
  let matched = -1;
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0) continue;
    const candidate = Buffer.from(hotp(input.key, step, { algorithm, digits }), 'ascii');
    // Equal lengths are guaranteed by the format check, as timingSafeEqual requires.
    const equal = timingSafeEqual(candidate, given);
    if (equal && step > matched) matched = step;
  }

  if (matched < 0) return { ok: false, reason: 'mismatch' };
  if (input.lastStep !== undefined && input.lastStep !== null && matched <= input.lastStep) {
    return { ok: false, reason: 'replayed' };
  }
  return { ok: true, step: matched };
}
