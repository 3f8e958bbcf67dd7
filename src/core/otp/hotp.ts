/**
 * HOTP, RFC 4226: an HMAC over a 64-bit big-endian counter, dynamically truncated to a
 * short decimal code. Pure: no clock, no randomness. node:crypto's HMAC is a primitive,
 * not a driver, so it is allowed in the core.
 */
import { createHmac } from 'node:crypto';
import type { TotpAlgorithm } from '../types.js';

/** HMAC hash per OTP algorithm name (RFC 6238 §1.2 allows SHA-256 and SHA-512 besides SHA-1). */
const HMAC_HASH: Record<TotpAlgorithm, string> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

/**
 * RFC 4226 §5.3 requires at least 6 digits. Dynamic truncation yields a 31-bit number
 * (< 2^31 = 2147483648), so more than 10 digits would add only leading zeros.
 */
export const MIN_DIGITS = 6;
export const MAX_DIGITS = 10;

/** The counter is an 8-byte unsigned integer (RFC 4226 §5.1). */
const MAX_COUNTER = (1n << 64n) - 1n;

export interface HotpOptions {
  /** @default 'SHA1' */
  algorithm?: TotpAlgorithm;
  /** @default 6 */
  digits?: number;
}

/** Throws for a digit count outside RFC 4226's range: a programmer error, not user input. */
export function assertDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < MIN_DIGITS || digits > MAX_DIGITS) {
    throw new RangeError(`OTP digits must be an integer from ${MIN_DIGITS} to ${MAX_DIGITS}, got ${digits}`);
  }
}

function counterBytes(counter: bigint | number): Buffer {
  let c: bigint;
  if (typeof counter === 'number') {
    // A number past 2^53 has already lost precision; demand a bigint there instead.
    if (!Number.isSafeInteger(counter)) throw new RangeError(`HOTP counter must be a safe integer, got ${counter}`);
    c = BigInt(counter);
  } else {
    c = counter;
  }
  if (c < 0n || c > MAX_COUNTER) throw new RangeError(`HOTP counter must be in [0, 2^64), got ${c}`);
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(c);
  return buf;
}

/**
 * The HOTP value of `key` at `counter`, zero-padded to `digits` characters.
 * Works for any counter below 2^64 (TOTP at time 20000000000 already needs more than 32 bits).
 */
export function hotp(key: Buffer, counter: bigint | number, opts: HotpOptions = {}): string {
  const algorithm = opts.algorithm ?? 'SHA1';
  const digits = opts.digits ?? 6;
  assertDigits(digits);
  const hashName = HMAC_HASH[algorithm];
  if (hashName === undefined) throw new RangeError(`unknown OTP algorithm ${String(algorithm)}`);

  const mac = createHmac(hashName, key).update(counterBytes(counter)).digest();
  // Dynamic truncation, RFC 4226 §5.3: the low nibble of the last byte picks the offset,
  // and the top bit is masked so the result is the same signed or unsigned.
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) >>> 0;
  return (binary % 10 ** digits).toString().padStart(digits, '0');
}
