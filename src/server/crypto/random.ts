/** The Random port over node:crypto's CSPRNG. */
import { randomBytes, randomFillSync, randomInt } from 'node:crypto';
import type { Random } from '../../core/ports.js';

/** UUIDs drawn per refill of the entropy buffer (node's randomUUID buffers 128 too). */
const UUIDS_PER_FILL = 128;
const entropy = Buffer.alloc(16 * UUIDS_PER_FILL);
let used = UUIDS_PER_FILL;

/**
 * A version 7 UUID (RFC 9562 5.7): the Unix time in milliseconds in the first 48 bits, then 74
 * random bits. Ids made one after another sort one after another, so every table keyed by them
 * appends at the end of its index instead of writing a random page of it: on SQLite each
 * distinct page a commit touches is a WAL frame (bench/README.md, fourth round). No id is a
 * secret: a token pairs its id with a separate random secret (core/tokens.ts), and the
 * creation time an id reveals is in the record beside it anyway.
 */
export function uuidV7(nowMs: number = Date.now()): string {
  if (used === UUIDS_PER_FILL) {
    randomFillSync(entropy);
    used = 0;
  }
  const b = entropy.subarray(used * 16, ++used * 16);
  b.writeUIntBE(nowMs, 0, 6);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const nodeRandom: Random = Object.freeze({
  bytes: (n: number): Buffer => randomBytes(n),
  // randomInt rejects out-of-range maxima itself and draws without modulo bias.
  int: (max: number): number => randomInt(max),
  uuid: (): string => uuidV7(),
});
