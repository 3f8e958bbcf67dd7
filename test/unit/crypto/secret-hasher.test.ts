import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretHasher } from '../../../src/server/crypto/secret-hasher.js';

const master = randomBytes(32);

describe('secret hasher', () => {
  const hasher = createSecretHasher(master);

  it('is deterministic, base64url, and verifies', () => {
    const h = hasher.hash('backup_code', 'k7f3q9xm2p');
    expect(h).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hasher.hash('backup_code', 'k7f3q9xm2p')).toBe(h);
    expect(hasher.verify('backup_code', 'k7f3q9xm2p', h)).toBe(true);
  });

  it('rejects another value, a truncated or altered hash and junk', () => {
    const h = hasher.hash('backup_code', 'k7f3q9xm2p');
    expect(hasher.verify('backup_code', 'k7f3q9xm2q', h)).toBe(false);
    expect(hasher.verify('backup_code', 'k7f3q9xm2p', h.slice(0, -1))).toBe(false);
    expect(hasher.verify('backup_code', 'k7f3q9xm2p', (h[0] === 'A' ? 'B' : 'A') + h.slice(1))).toBe(false);
    expect(hasher.verify('backup_code', 'k7f3q9xm2p', '')).toBe(false);
  });

  it('separates purposes: the same value hashes differently, and does not cross-verify', () => {
    const a = hasher.hash('backup_code', '123456');
    const b = hasher.hash('email_code', '123456');
    expect(a).not.toBe(b);
    expect(hasher.verify('email_code', '123456', a)).toBe(false);
  });

  it('is HMAC-SHA-256 under HKDF-SHA-256(master, info "twofold:hash:<purpose>")', () => {
    const key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'twofold:hash:refresh_token', 32));
    const expected = createHmac('sha256', key).update('tok').digest('base64url');
    expect(hasher.hash('refresh_token', 'tok')).toBe(expected);
  });

  it('depends on the master key', () => {
    const other = createSecretHasher(randomBytes(32));
    expect(other.hash('backup_code', 'x')).not.toBe(hasher.hash('backup_code', 'x'));
    expect(other.verify('backup_code', 'x', hasher.hash('backup_code', 'x'))).toBe(false);
  });

  it('refuses an empty purpose and a short master key', () => {
    expect(() => hasher.hash('', 'x')).toThrow(TypeError);
    expect(() => createSecretHasher(randomBytes(31))).toThrow(RangeError);
  });
});
