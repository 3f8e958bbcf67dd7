import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from '../../../src/core/otp/index.js';

// RFC 4648 §10 test vectors, padding removed (the Key Uri Format omits it).
const RFC4648: Array<[string, string]> = [
  ['', ''],
  ['f', 'MY'],
  ['fo', 'MZXQ'],
  ['foo', 'MZXW6'],
  ['foob', 'MZXW6YQ'],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI'],
];

describe('base32', () => {
  it.each(RFC4648)('encodes %j as %s (RFC 4648 §10)', (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain))).toBe(encoded);
    expect(base32Decode(encoded).toString()).toBe(plain);
  });

  it('round-trips random bytes of every length 0..70', () => {
    for (let n = 0; n <= 70; n++) {
      const data = randomBytes(n);
      const text = base32Encode(data);
      expect(text).toMatch(/^[A-Z2-7]*$/);
      expect(base32Decode(text).equals(data)).toBe(true);
      expect(base32Decode(text.toLowerCase()).equals(data)).toBe(true);
    }
  });

  it('accepts lower case, padding and spaces as authenticator apps show them', () => {
    expect(base32Decode('mzxw6ytboi').toString()).toBe('foobar');
    expect(base32Decode('MZXW6YQ=').toString()).toBe('foob');
    expect(base32Decode('MY======').toString()).toBe('f');
    expect(base32Decode('mzxw 6ytb oi').toString()).toBe('foobar');
    expect(base32Decode(' MZXW6YTBOI \n').toString()).toBe('foobar');
  });

  it('rejects characters outside the alphabet', () => {
    for (const bad of ['MZXW6YT1', 'MZXW6YT0', 'MZXW6YT8', 'MZXW6YT!', 'MZ=XW6YT', 'MZXW6YTé']) {
      expect(() => base32Decode(bad), bad).toThrow(TypeError);
    }
  });

  it('rejects lengths no byte string encodes to', () => {
    for (const bad of ['M', 'MZX', 'MZXW6Y']) expect(() => base32Decode(bad), bad).toThrow(TypeError);
  });
});
