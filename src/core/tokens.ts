import type { Random, SecretHasher } from './ports.js';

/**
 * Opaque tokens of the shape `id.secret`: the id finds the row, the secret is only stored as a
 * keyed hash (DESIGN.md practice 6), so a database leak does not leak usable tokens.
 * 32 random bytes = 256 bits of secret (well beyond NIST SP 800-63B's 64-bit minimum for
 * look-up secrets).
 */
export interface OpaqueToken {
  id: string;
  secret: string;
  token: string;
  hash: string;
}

const SECRET_BYTES = 32;

export function newOpaqueToken(random: Random, hasher: SecretHasher, purpose: string): OpaqueToken {
  const id = random.uuid();
  const secret = random.bytes(SECRET_BYTES).toString('base64url');
  return { id, secret, token: `${id}.${secret}`, hash: hasher.hash(purpose, secret) };
}

const OPAQUE_RE = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,100})$/;

/** Split a presented token; null for anything not of the shape (never throws). */
export function parseOpaqueToken(token: unknown): { id: string; secret: string } | null {
  if (typeof token !== 'string') return null;
  const m = OPAQUE_RE.exec(token);
  return m ? { id: m[1], secret: m[2] } : null;
}
