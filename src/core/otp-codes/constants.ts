/**
 * The rules of email and SMS codes (API.md "Defaults"), each with its source.
 */

/**
 * 6 decimal digits: API.md; NIST SP 800-63B §5.1.3.2 asks an out-of-band secret for at
 * least 20 bits (10^6 ~ 2^20) when, as here, tries are limited.
 */
export const CODE_DIGITS = 6;

/** 10 minutes: API.md; NIST SP 800-63B §5.1.3.2 caps an out-of-band secret's life at 10 minutes. */
export const CODE_TTL_MS = 10 * 60_000;

/**
 * 5 tries per code (API.md). A resend carries them over, so guessing stays bounded by this
 * per live code on top of the per-user second-factor budget (NIST SP 800-63B §5.2.2).
 */
export const CODE_MAX_TRIES = 5;

/** Keyed-hash purpose of stored codes (the hash input also binds the challenge id). */
export const CODE_HASH_PURPOSE = 'otp_code';
