/** Key derivation from the master key (HKDF-SHA-256, RFC 5869). */
import { hkdfSync } from 'node:crypto';

/**
 * A 32-byte key for one use, separated from every other use by `info` (RFC 5869 §3.2).
 * No salt: the master key is already uniformly random, where RFC 5869 §3.1 makes the salt
 * optional.
 */
export function deriveKey(master: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), Buffer.from(info, 'utf8'), 32));
}

/** Programmer error: a master key shorter than 256 bits must never reach the derivation. */
export function assertMasterKey(master: Buffer): void {
  if (!Buffer.isBuffer(master) || master.length < 32) throw new RangeError('the master key must be at least 32 bytes');
}
