/**
 * Encryption of secrets we must read back (TOTP seeds, signing keys): AES-256-GCM under data
 * keys derived from the master key, one per key id, so keys can rotate without re-keying the
 * master: add a kid, re-encrypt what `needsRotation` reports, then drop the old kid.
 *
 * Envelope: `v1.<kid>.<iv>.<ciphertext>.<tag>`, the last three base64url.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Cipher, Random } from '../../core/ports.js';
import { assertMasterKey, deriveKey } from './hkdf.js';

const VERSION = 'v1';
/** NIST SP 800-38D §8.2: 96-bit IVs; random ones are safe for up to 2^32 messages per key. */
const IV_BYTES = 12;
/** The full 128-bit tag; a shorter accepted tag would weaken forgery resistance (SP 800-38D §5.2.1.2). */
const TAG_BYTES = 16;
const KID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;
const B64URL = /^[A-Za-z0-9_-]*$/;

/** A decryption that must not be trusted: wrong key, wrong aad, tampered or malformed envelope. */
export class DecryptError extends Error {
  override name = 'DecryptError';
}

export interface Keyring extends Cipher {
  /** The kid new envelopes are sealed under (the last one given). */
  currentKid(): string;
  /** Replace the known kids; the last becomes current. Envelopes under a dropped kid no longer open. */
  setKids(kids: string[]): void;
}

function checkKids(kids: string[]): string[] {
  if (!Array.isArray(kids) || kids.length === 0) throw new RangeError('keyring: at least one key id is required');
  for (const kid of kids) {
    if (typeof kid !== 'string' || !KID_SHAPE.test(kid)) throw new RangeError(`keyring: invalid key id ${JSON.stringify(kid)}`);
  }
  return [...kids];
}

interface Parsed {
  kid: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function parse(envelope: string): Parsed {
  const parts = typeof envelope === 'string' ? envelope.split('.') : [];
  if (parts.length !== 5 || parts[0] !== VERSION) throw new DecryptError('keyring: not a v1 envelope');
  const [, kid, iv, ciphertext, tag] = parts;
  if (!KID_SHAPE.test(kid) || !B64URL.test(iv) || !B64URL.test(ciphertext) || !B64URL.test(tag)) {
    throw new DecryptError('keyring: malformed envelope');
  }
  const parsed = {
    kid,
    iv: Buffer.from(iv, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
  };
  if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) throw new DecryptError('keyring: malformed envelope');
  return parsed;
}

/**
 * @param master the master key (>= 32 bytes)
 * @param kids known key ids, oldest first; the last one encrypts
 */
export function createKeyring(master: Buffer, kids: string[]): Keyring {
  assertMasterKey(master);
  const masterCopy = Buffer.from(master);
  let known = checkKids(kids);
  const dataKeys = new Map<string, Buffer>();
  const dataKey = (kid: string): Buffer => {
    let key = dataKeys.get(kid);
    if (key === undefined) {
      key = deriveKey(masterCopy, `twofold:dek:${kid}`);
      dataKeys.set(kid, key);
    }
    return key;
  };
  const current = (): string => known[known.length - 1];

  return {
    currentKid: current,
    setKids(next: string[]): void {
      known = checkKids(next);
    },
    encrypt(plaintext: Buffer, aad: string): string {
      const kid = current();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', dataKey(kid), iv, { authTagLength: TAG_BYTES });
      // The aad (e.g. the row's id) binds the ciphertext to its place: moved elsewhere, it fails.
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, kid, iv.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join('.');
    },
    decrypt(envelope: string, aad: string): Buffer {
      const { kid, iv, ciphertext, tag } = parse(envelope);
      if (!known.includes(kid)) throw new DecryptError(`keyring: key id "${kid}" is not in the keyring`);
      const decipher = createDecipheriv('aes-256-gcm', dataKey(kid), iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      } catch {
        throw new DecryptError('keyring: authentication failed (wrong key or aad, or tampered data)');
      }
    },
    needsRotation(envelope: string): boolean {
      return parse(envelope).kid !== current();
    },
  };
}

const KID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** A fresh key id: `k` and 8 base32 symbols (40 bits, so ids never collide in practice). */
export function newKid(random: Random): string {
  let kid = 'k';
  for (let i = 0; i < 8; i++) kid += KID_ALPHABET[random.int(KID_ALPHABET.length)];
  return kid;
}
