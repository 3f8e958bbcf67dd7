/**
 * Compact JWS with EdDSA (Ed25519, RFC 8037), signed and checked with node:crypto's one-shot
 * `sign`/`verify`. Both are synchronous and take about 50 µs: jose's WebCrypto path runs each
 * signature as a job on the libuv thread pool, which costs two thread wake-ups per token and,
 * during a login storm, queues behind the password hashes that occupy that pool.
 */
import { sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';

export const JWS_ALG = 'EdDSA';

const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

/** `header.payload.signature`, the JSON members in the order given. */
export function signCompact(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64url(JSON.stringify({ ...header, alg: JWS_ALG }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${edSign(null, Buffer.from(input, 'ascii'), key).toString('base64url')}`;
}

export interface DecodedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

function parseObject(segment: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The header of a compact JWS, unverified (to pick the key by `kid`), or null if malformed. */
export function peekHeader(token: string): Record<string, unknown> | null {
  const dot = token.indexOf('.');
  if (dot <= 0 || !SEGMENT.test(token.slice(0, dot))) return null;
  return parseObject(token.slice(0, dot));
}

/**
 * The header and payload of `token` if it is a well-formed compact JWS whose `alg` is EdDSA,
 * which names no critical extension, and whose signature verifies with `key`; null otherwise.
 * Claims are the caller's to check.
 */
export function verifyCompact(token: string, key: KeyObject): DecodedJws | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) return null;
  const [h, p, s] = parts as [string, string, string];
  const header = parseObject(h);
  // RFC 7515 §4.1.11: a recipient must reject a `crit` it does not understand; we understand none.
  if (!header || header.alg !== JWS_ALG || 'crit' in header) return null;
  const signature = Buffer.from(s, 'base64url');
  if (signature.length !== 64) return null;
  if (!edVerify(null, Buffer.from(`${h}.${p}`, 'ascii'), key, signature)) return null;
  const payload = parseObject(p);
  return payload ? { header, payload } : null;
}
