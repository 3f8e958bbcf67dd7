/** Short numeric codes sent by email or SMS. */
import type { Random } from './ports.js';

/**
 * A uniformly random code of `digits` decimal digits, zero-padded (so "000123" is as likely as
 * any other). 6 digits is API.md's default; NIST SP 800-63B §5.1.3 (out-of-band) asks for at
 * least 6 decimal digits, which limited tries then make safe.
 * @param digits @default 6
 */
export function numericCode(random: Random, digits = 6): string {
  // 10^12 stays far below crypto.randomInt's 2^48 range limit.
  if (!Number.isInteger(digits) || digits < 1 || digits > 12) throw new RangeError(`numeric code digits must be from 1 to 12, got ${digits}`);
  return random.int(10 ** digits).toString().padStart(digits, '0');
}
