import { describe, expect, it } from 'vitest';
import {
  BACKUP_CODE_ALPHABET,
  BACKUP_CODE_BITS,
  generateBackupCodes,
  normalizeBackupCode,
} from '../../../src/core/backup-codes.js';
import { numericCode } from '../../../src/core/numeric-code.js';
import type { Random } from '../../../src/core/ports.js';
import { nodeRandom } from '../../../src/server/crypto/random.js';

/** A deterministic Random that replays the given ints (test double of the port, not of our code). */
function scripted(ints: number[]): Random & { calls: number[] } {
  let i = 0;
  const calls: number[] = [];
  return {
    calls,
    bytes: (n) => Buffer.alloc(n),
    int: (max) => {
      calls.push(max);
      const v = ints[i++ % ints.length];
      if (v >= max) throw new Error('scripted value out of range');
      return v;
    },
    uuid: () => '00000000-0000-4000-8000-000000000000',
  };
}

describe('backup code alphabet', () => {
  it('has 32 distinct symbols without the look-alikes 1, i, l, o', () => {
    expect(BACKUP_CODE_ALPHABET).toHaveLength(32);
    expect(new Set(BACKUP_CODE_ALPHABET).size).toBe(32);
    for (const c of '1ilo') expect(BACKUP_CODE_ALPHABET).not.toContain(c);
    expect(BACKUP_CODE_ALPHABET).toMatch(/^[0-9a-z]+$/);
  });

  it('gives each code >= 50 bits (API.md): log2(32^10) = 50', () => {
    expect(Math.log2(32 ** 10)).toBe(50);
    expect(BACKUP_CODE_BITS).toBe(Math.log2(BACKUP_CODE_ALPHABET.length ** 10));
    expect(BACKUP_CODE_BITS).toBeGreaterThanOrEqual(50);
  });
});

describe('generateBackupCodes', () => {
  it('makes 10 distinct codes shaped xxxxx-xxxxx from the alphabet', () => {
    const codes = generateBackupCodes(nodeRandom);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const shape = new RegExp(`^[${BACKUP_CODE_ALPHABET}]{5}-[${BACKUP_CODE_ALPHABET}]{5}$`);
    for (const code of codes) expect(code).toMatch(shape);
  });

  it('honours count', () => expect(generateBackupCodes(nodeRandom, 3)).toHaveLength(3));

  it('draws each symbol with random.int(32), so every symbol is reachable and unbiased', () => {
    const random = scripted(Array.from({ length: 32 }, (_, i) => i));
    const codes = generateBackupCodes(random, 16);
    expect(random.calls.every((m) => m === 32)).toBe(true);
    expect(random.calls).toHaveLength(160);
    expect(codes[0]).toBe(`${BACKUP_CODE_ALPHABET.slice(0, 5)}-${BACKUP_CODE_ALPHABET.slice(5, 10)}`);
    expect(new Set(codes.join('').replace(/-/g, '')).size).toBe(32);
  });

  it('draws again instead of repeating a code within one set', () => {
    const random = scripted([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(generateBackupCodes(random, 2)).toEqual(['00000-00000', '22222-22222']);
  });

  it('spreads symbols evenly over many draws', () => {
    const counts = new Map<string, number>();
    for (const code of generateBackupCodes(nodeRandom, 2000)) {
      for (const c of code.replace('-', '')) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    // 20000 symbols, 625 expected per symbol; sd ~24.6, so ±200 is over 8 sd.
    expect(counts.size).toBe(32);
    for (const n of counts.values()) expect(Math.abs(n - 625)).toBeLessThan(200);
  });
});

describe('normalizeBackupCode', () => {
  const code = generateBackupCodes(nodeRandom, 1)[0];
  const canonical = code.replace('-', '');

  it.each([
    ['as shown', code],
    ['upper case', code.toUpperCase()],
    ['without the dash', canonical],
    ['upper case without the dash', canonical.toUpperCase()],
    ['with spaces around', `  ${code}\t`],
    ['mixed case with newline', `${code.slice(0, 3).toUpperCase()}${code.slice(3)}\n`],
  ])('accepts the code %s', (_name, input) => {
    expect(normalizeBackupCode(input)).toBe(canonical);
  });

  it.each([
    ['too short', 'abcde-fghj'],
    ['too long', 'abcde-fghjkm'],
    ['look-alike o', 'abcde-fghjo'],
    ['look-alike l', 'abcdl-fghjk'],
    ['look-alike 1', '1bcde-fghjk'],
    ['look-alike i', 'ibcde-fghjk'],
    ['dash elsewhere', 'abc-defghjk'],
    ['two dashes', 'abcde--fghjk'],
    ['inner space', 'abcde fghjk'],
    ['symbol', 'abcde_fghjk'],
    ['non-ASCII letter', 'abcdé-fghjk'],
    ['Kelvin sign (lower-cases to k)', 'abcde-fghj\u212a'],
    ['empty', ''],
    ['huge', 'a'.repeat(10_000)],
  ])('refuses %s', (_name, input) => {
    expect(normalizeBackupCode(input)).toBeNull();
  });
});

describe('numericCode', () => {
  it('is zero-padded to the digit count', () => {
    expect(numericCode(scripted([42]))).toBe('000042');
    expect(numericCode(scripted([7]), 8)).toBe('00000007');
    expect(numericCode(scripted([999_999]))).toBe('999999');
  });

  it('draws once over the whole range (uniform)', () => {
    const random = scripted([0]);
    numericCode(random);
    numericCode(random, 8);
    expect(random.calls).toEqual([1_000_000, 100_000_000]);
  });

  it('produces 6 ASCII digits by default with the real CSPRNG', () => {
    for (let i = 0; i < 200; i++) expect(numericCode(nodeRandom)).toMatch(/^[0-9]{6}$/);
  });

  it('refuses a silly digit count', () => {
    expect(() => numericCode(nodeRandom, 0)).toThrow(RangeError);
    expect(() => numericCode(nodeRandom, 13)).toThrow(RangeError);
  });
});
