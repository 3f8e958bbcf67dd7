import type { SecretHasher } from '../ports.js';
import { CODE_HASH_PURPOSE } from './constants.js';

/**
 * The stored form of a code: a keyed hash (a leaked table alone cannot be brute-forced for
 * 6 digits), bound to its challenge so two challenges with the same code never share a hash.
 */
export const hashCode = (secrets: SecretHasher, challengeId: string, code: string): string =>
  secrets.hash(CODE_HASH_PURPOSE, `${challengeId}:${code}`);

export const codeMatches = (secrets: SecretHasher, challengeId: string, code: string, stored: string): boolean =>
  secrets.verify(CODE_HASH_PURPOSE, `${challengeId}:${code}`, stored);

/** What users type: spaces and dashes ("123 456", "123-456") are layout, not part of the code. */
export const normalizeCode = (input: string): string => input.replace(/[\s-]/g, '');
