import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyring, DecryptError, newKid } from '../../../src/server/crypto/keyring.js';
import { nodeRandom } from '../../../src/server/crypto/random.js';

const master = randomBytes(32);
const secret = Buffer.from('a TOTP seed, 20 b!!');

/** Replace one base64url field of an envelope with a version whose first byte is flipped. */
function flip(envelope: string, field: 2 | 3 | 4): string {
  const parts = envelope.split('.');
  const bytes = Buffer.from(parts[field], 'base64url');
  bytes[0] ^= 0x01;
  parts[field] = bytes.toString('base64url');
  return parts.join('.');
}

describe('keyring', () => {
  it('round-trips with the envelope v1.<kid>.<iv>.<ciphertext>.<tag>', () => {
    const ring = createKeyring(master, ['k1']);
    const env = ring.encrypt(secret, 'method:abc');
    expect(env).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(ring.decrypt(env, 'method:abc').equals(secret)).toBe(true);
    expect(ring.decrypt(ring.encrypt(Buffer.alloc(0), 'x'), 'x').length).toBe(0);
  });

  it('uses a fresh IV each time, so equal plaintexts give different envelopes', () => {
    const ring = createKeyring(master, ['k1']);
    const envs = new Set(Array.from({ length: 50 }, () => ring.encrypt(secret, 'a')));
    expect(envs.size).toBe(50);
    expect(new Set([...envs].map((e) => e.split('.')[2])).size).toBe(50);
  });

  it('fails when the aad differs (ciphertext moved to another row)', () => {
    const ring = createKeyring(master, ['k1']);
    const env = ring.encrypt(secret, 'method:abc');
    expect(() => ring.decrypt(env, 'method:abd')).toThrow(DecryptError);
    expect(() => ring.decrypt(env, '')).toThrow(/authentication failed/);
  });

  it('fails on a tampered tag, ciphertext or IV', () => {
    const ring = createKeyring(master, ['k1']);
    const env = ring.encrypt(secret, 'a');
    for (const field of [2, 3, 4] as const) expect(() => ring.decrypt(flip(env, field), 'a')).toThrow(DecryptError);
  });

  it('refuses a truncated tag instead of checking fewer bits', () => {
    const ring = createKeyring(master, ['k1']);
    const parts = ring.encrypt(secret, 'a').split('.');
    parts[4] = Buffer.from(parts[4], 'base64url').subarray(0, 4).toString('base64url');
    expect(() => ring.decrypt(parts.join('.'), 'a')).toThrow(/malformed/);
  });

  it.each([
    ['empty', ''],
    ['other version', 'v2.k1.AAAAAAAAAAAAAAAA.AA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['missing part', 'v1.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['bad characters', 'v1.k1.AAAA+AAAAAAAAAAA.AA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['short iv', 'v1.k1.AAAA.AA.AAAAAAAAAAAAAAAAAAAAAA'],
  ])('throws a clear error for a malformed envelope (%s)', (_name, env) => {
    const ring = createKeyring(master, ['k1']);
    expect(() => ring.decrypt(env, 'a')).toThrow(DecryptError);
  });

  it('rotates: old envelopes still open, report needsRotation, new ones use the new kid', () => {
    const ring = createKeyring(master, ['k1']);
    const old = ring.encrypt(secret, 'row1');
    expect(ring.needsRotation(old)).toBe(false);
    expect(ring.currentKid()).toBe('k1');

    ring.setKids(['k1', 'k2']);
    expect(ring.currentKid()).toBe('k2');
    expect(ring.decrypt(old, 'row1').equals(secret)).toBe(true);
    expect(ring.needsRotation(old)).toBe(true);

    const fresh = ring.encrypt(secret, 'row1');
    expect(fresh.split('.')[1]).toBe('k2');
    expect(ring.needsRotation(fresh)).toBe(false);
    expect(ring.decrypt(fresh, 'row1').equals(secret)).toBe(true);

    // Once the old kid is dropped, its envelopes no longer open.
    ring.setKids(['k2']);
    expect(() => ring.decrypt(old, 'row1')).toThrow(/not in the keyring/);
    expect(ring.decrypt(fresh, 'row1').equals(secret)).toBe(true);
  });

  it('derives distinct data keys per kid: relabelling an envelope does not open it', () => {
    const ring = createKeyring(master, ['k1', 'k2']);
    const env = ring.encrypt(secret, 'a');
    const relabelled = env.replace(/^v1\.k2\./, 'v1.k1.');
    expect(() => ring.decrypt(relabelled, 'a')).toThrow(DecryptError);
  });

  it('two keyrings from different masters cannot read each other', () => {
    const a = createKeyring(master, ['k1']);
    const b = createKeyring(randomBytes(32), ['k1']);
    expect(() => b.decrypt(a.encrypt(secret, 'x'), 'x')).toThrow(DecryptError);
    expect(() => a.decrypt(b.encrypt(secret, 'x'), 'x')).toThrow(DecryptError);
    // The same master gives the same keys in another instance (what a restart relies on).
    expect(createKeyring(Buffer.from(master), ['k1']).decrypt(a.encrypt(secret, 'x'), 'x').equals(secret)).toBe(true);
  });

  it('refuses bad kids and short master keys', () => {
    expect(() => createKeyring(master, [])).toThrow(RangeError);
    expect(() => createKeyring(master, ['a.b'])).toThrow(RangeError);
    expect(() => createKeyring(randomBytes(16), ['k1'])).toThrow(RangeError);
    const ring = createKeyring(master, ['k1']);
    expect(() => ring.setKids([])).toThrow(RangeError);
    expect(ring.currentKid()).toBe('k1');
  });

  it('newKid makes k + 8 base32 symbols, usable as a kid', () => {
    const kids = new Set(Array.from({ length: 100 }, () => newKid(nodeRandom)));
    expect(kids.size).toBe(100);
    for (const kid of kids) expect(kid).toMatch(/^k[a-z2-7]{8}$/);
    const ring = createKeyring(master, [...kids]);
    expect(ring.decrypt(ring.encrypt(secret, 'a'), 'a').equals(secret)).toBe(true);
  });
});
