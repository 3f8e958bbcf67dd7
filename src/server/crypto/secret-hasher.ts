/**
 * Keyed hashes for secrets we only ever verify (backup codes, email/SMS codes, device and
 * refresh tokens). HMAC rather than a plain hash: a leaked database alone cannot be brute-forced
 * for 6-digit codes without the master key. HMAC rather than argon2: the inputs are random
 * (>= 50 bits, or short-lived and rate-limited), and lookups by hash must be deterministic.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SecretHasher } from '../../core/ports.js';
import { assertMasterKey, deriveKey } from './hkdf.js';

export function createSecretHasher(master: Buffer): SecretHasher {
  assertMasterKey(master);
  const masterCopy = Buffer.from(master);
  // One key per purpose, so a backup code's hash can never pass as, say, a refresh token's.
  const keys = new Map<string, Buffer>();
  const keyFor = (purpose: string): Buffer => {
    if (typeof purpose !== 'string' || purpose === '') throw new TypeError('secret hasher: purpose must be a non-empty string');
    let key = keys.get(purpose);
    if (key === undefined) {
      key = deriveKey(masterCopy, `twofold:hash:${purpose}`);
      keys.set(purpose, key);
    }
    return key;
  };
  const mac = (purpose: string, value: string): Buffer => createHmac('sha256', keyFor(purpose)).update(value, 'utf8').digest();

  return {
    hash: (purpose, value) => mac(purpose, value).toString('base64url'),
    verify(purpose, value, stored) {
      const expected = Buffer.from(mac(purpose, value).toString('base64url'), 'utf8');
      const given = Buffer.from(String(stored), 'utf8');
      // Lengths are public (every hash has the same one); only the contents need constant time.
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
