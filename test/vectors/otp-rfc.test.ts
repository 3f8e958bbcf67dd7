/**
 * Standard vectors: RFC 4226 Appendix D (HOTP) and RFC 6238 Appendix B (TOTP), from the copy in
 * this folder (test/vectors/otp-rfc.json), which cites its sources in its header.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hotp, totp, verifyTotp } from '../../src/core/otp/index.js';
import type { TotpAlgorithm } from '../../src/core/types.js';

interface Vectors {
  header: { sources: string[] };
  source: string;
  hotp_rfc4226: { key_ascii: string; algorithm: TotpAlgorithm; digits: number; codes_by_counter: string[] };
  totp_rfc6238: {
    period: number;
    t0: number;
    digits: number;
    keys_ascii: Record<TotpAlgorithm, string>;
    vectors: Array<{ time: number } & Record<TotpAlgorithm, string>>;
    note: string;
  };
}

const local = new URL('./otp-rfc.json', import.meta.url);
const shared = new URL('../../../shared/vectors/otp-rfc.json', import.meta.url);
const vectors = JSON.parse(readFileSync(local, 'utf8')) as Vectors;
const ALGORITHMS: TotpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];

describe('vector file', () => {
  it('cites RFC 4226 Appendix D and RFC 6238 Appendix B', () => {
    const sources = vectors.header.sources.join(' ');
    expect(sources).toContain('RFC 4226');
    expect(sources).toContain('Appendix D');
    expect(sources).toContain('RFC 6238');
    expect(sources).toContain('Appendix B');
  });

  // Skipped only where the repository stands without ../shared beside it (a clone elsewhere): the
  // vectors above are a checked copy, so the suite still proves the RFC values there.
  it.skipIf(!existsSync(shared))('matches the shared copy in ../shared/vectors', () => { // reason: no ../shared beside this clone
    const other = JSON.parse(readFileSync(shared, 'utf8')) as Omit<Vectors, 'header'>;
    const { header: _header, ...mine } = vectors;
    expect(mine).toEqual(other);
  });
});

describe('HOTP, RFC 4226 Appendix D', () => {
  const { key_ascii, algorithm, digits, codes_by_counter } = vectors.hotp_rfc4226;
  const key = Buffer.from(key_ascii, 'ascii');

  it('has the ten published values', () => expect(codes_by_counter).toHaveLength(10));

  codes_by_counter.forEach((code, counter) => {
    it(`counter ${counter} -> ${code}`, () => {
      expect(hotp(key, counter, { algorithm, digits })).toBe(code);
      expect(hotp(key, BigInt(counter), { algorithm, digits })).toBe(code);
    });
  });
});

describe('TOTP, RFC 6238 Appendix B', () => {
  const t = vectors.totp_rfc6238;

  it('counts from T0 = 0 in 30-second steps', () => expect([t.t0, t.period]).toEqual([0, 30]));

  it('has the six published times', () => expect(t.vectors.map((v) => v.time)).toEqual([59, 1111111109, 1111111111, 1234567890, 2000000000, 20000000000]));

  it('uses 20-, 32- and 64-byte seeds for SHA-1, SHA-256 and SHA-512', () => {
    expect(Buffer.from(t.keys_ascii.SHA1).length).toBe(20);
    expect(Buffer.from(t.keys_ascii.SHA256).length).toBe(32);
    expect(Buffer.from(t.keys_ascii.SHA512).length).toBe(64);
  });

  for (const v of t.vectors) {
    for (const algorithm of ALGORITHMS) {
      it(`${algorithm} at ${v.time} -> ${v[algorithm]}`, () => {
        const key = Buffer.from(t.keys_ascii[algorithm], 'ascii');
        const nowMs = v.time * 1000;
        expect(totp(key, nowMs, { algorithm, digits: t.digits, periodS: t.period })).toBe(v[algorithm]);
        const verdict = verifyTotp({ key, code: v[algorithm], nowMs, algorithm, digits: t.digits, periodS: t.period, window: 0 });
        expect(verdict).toEqual({ ok: true, step: Math.floor(v.time / t.period) });
      });
    }
  }

  it('time 20000000000 (beyond 32-bit seconds) gives the published codes', () => {
    const v = t.vectors.find((x) => x.time === 20000000000)!;
    expect(totp(Buffer.from(t.keys_ascii.SHA1), 20000000000 * 1000, { digits: 8 })).toBe(v.SHA1);
  });

  it("the note's wrong-seed values: the 20-byte seed under SHA-256/512 gives them, and they do not verify", () => {
    expect(t.note).toContain('32247374');
    expect(t.note).toContain('69342147');
    const wrongKey = Buffer.from(t.keys_ascii.SHA1, 'ascii');
    // The common bug reproduces the wrong values...
    expect(totp(wrongKey, 59_000, { algorithm: 'SHA256', digits: 8 })).toBe('32247374');
    expect(totp(wrongKey, 59_000, { algorithm: 'SHA512', digits: 8 })).toBe('69342147');
    // ...and the right seeds do not accept them.
    for (const [algorithm, wrong] of [['SHA256', '32247374'], ['SHA512', '69342147']] as const) {
      const key = Buffer.from(t.keys_ascii[algorithm], 'ascii');
      expect(totp(key, 59_000, { algorithm, digits: 8 })).not.toBe(wrong);
      expect(verifyTotp({ key, code: wrong, nowMs: 59_000, algorithm, digits: 8 })).toEqual({ ok: false, reason: 'mismatch' });
    }
  });
});
