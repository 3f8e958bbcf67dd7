import { COMMON_PASSWORDS } from './common-passwords.js';

/**
 * NIST SP 800-63B 3.1.1.2: at least 8 characters, at least 64 allowed (we allow 256: long
 * passphrases are welcome, and the cap bounds the hashing work an attacker can request),
 * no composition rules, rejected if common or derived from the account.
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters`;
  if (length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'is too common; choose another';
  if (/^(.)\1+$/u.test(password)) return 'is a single repeated character';
  if (email) {
    const local = email.toLowerCase().split('@')[0];
    if (lower === email.toLowerCase() || (local.length >= 4 && lower === local)) return 'must not be your email address';
  }
  return null;
}

/** Emails are compared case-insensitively: stored trimmed and lowercased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
