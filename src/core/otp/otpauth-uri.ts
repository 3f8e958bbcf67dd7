/**
 * The `otpauth://` URI that authenticator apps scan, per Google's Key Uri Format
 * (github.com/google/google-authenticator/wiki/Key-Uri-Format).
 */
import type { TotpAlgorithm } from '../types.js';
import { TOTP_DEFAULTS } from './totp.js';

export interface OtpauthUriInput {
  /** The service name shown in the app, e.g. "Twofold". */
  issuer: string;
  /** The user's account, usually the email address. */
  account: string;
  /** Upper-case RFC 4648 base32 without padding. */
  secretBase32: string;
  /** @default 'SHA1' */
  algorithm?: TotpAlgorithm;
  /** @default 6 */
  digits?: number;
  /** Seconds. @default 30 */
  period?: number;
}

/**
 * `otpauth://totp/Issuer:account?secret=...&issuer=...&algorithm=...&digits=...&period=...`.
 *
 * Issuer and account are each percent-encoded (a ':' inside either becomes %3A), while the one
 * ':' separating them stays literal as the format prescribes. The issuer is repeated as a
 * parameter because the format recommends both. Algorithm, digits and period are always written
 * out: some apps ignore them, but those that honour them then need no defaults of their own.
 */
export function otpauthUri(input: OtpauthUriInput): string {
  const algorithm = input.algorithm ?? TOTP_DEFAULTS.algorithm;
  const digits = input.digits ?? TOTP_DEFAULTS.digits;
  const period = input.period ?? TOTP_DEFAULTS.periodS;
  // The secret goes into the URI unencoded, so it must be pure base32 (also stops injection).
  if (!/^[A-Z2-7]+$/.test(input.secretBase32)) {
    throw new TypeError('otpauthUri: secretBase32 must be upper-case base32 without padding');
  }
  if (input.account === '') throw new TypeError('otpauthUri: account must not be empty');

  const label = input.issuer === ''
    ? encodeURIComponent(input.account)
    : `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.account)}`;
  const params = [`secret=${input.secretBase32}`];
  if (input.issuer !== '') params.push(`issuer=${encodeURIComponent(input.issuer)}`);
  params.push(`algorithm=${algorithm}`, `digits=${digits}`, `period=${period}`);
  return `otpauth://totp/${label}?${params.join('&')}`;
}
