/** One-time passwords: HOTP (RFC 4226), TOTP (RFC 6238), base32 secrets and otpauth URIs. */
export { hotp, MIN_DIGITS, MAX_DIGITS } from './hotp.js';
export type { HotpOptions } from './hotp.js';
export { timeStep, totp, verifyTotp, TOTP_DEFAULTS } from './totp.js';
export type { TotpOptions, VerifyTotpInput, VerifyTotpResult } from './totp.js';
export { base32Encode, base32Decode } from './base32.js';
export { otpauthUri } from './otpauth-uri.js';
export type { OtpauthUriInput } from './otpauth-uri.js';
