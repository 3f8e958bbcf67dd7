import { describe, expect, it } from 'vitest';
import { hotp, timeStep, totp, verifyTotp } from '../../../src/core/otp/index.js';

const key = Buffer.from('3132333435363738393031323334353637383930', 'hex');
// Mid-step, so ±30 s lands squarely in the neighbouring steps.
const nowMs = 1_700_000_015_000;
const step = timeStep(nowMs, 30);
const codeAt = (s: number): string => hotp(key, s);

describe('timeStep', () => {
  it('floors the seconds since the epoch by the period', () => {
    expect(timeStep(0, 30)).toBe(0);
    expect(timeStep(29_999, 30)).toBe(0);
    expect(timeStep(30_000, 30)).toBe(1);
    expect(timeStep(59_000, 30)).toBe(1);
    expect(timeStep(20_000_000_000_000, 30)).toBe(666_666_666);
    expect(timeStep(120_000, 60)).toBe(2);
  });

  it('refuses a nonsensical period or time', () => {
    expect(() => timeStep(0, 0)).toThrow(RangeError);
    expect(() => timeStep(0, 1.5)).toThrow(RangeError);
    expect(() => timeStep(-1, 30)).toThrow(RangeError);
    expect(() => timeStep(Number.NaN, 30)).toThrow(RangeError);
  });
});

describe('hotp arguments', () => {
  it('treats number and bigint counters alike, including past 2^32', () => {
    for (const c of [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 7]) expect(hotp(key, c)).toBe(hotp(key, BigInt(c)));
    // Different counters past 2^32 must not wrap onto the low 32 bits.
    expect(hotp(key, 2n ** 32n)).not.toBe(hotp(key, 0));
  });

  it('refuses out-of-range counters and digit counts', () => {
    expect(() => hotp(key, -1)).toThrow(RangeError);
    expect(() => hotp(key, 2n ** 64n)).toThrow(RangeError);
    expect(() => hotp(key, 2 ** 53)).toThrow(RangeError);
    expect(() => hotp(key, 0, { digits: 5 })).toThrow(RangeError);
    expect(() => hotp(key, 0, { digits: 11 })).toThrow(RangeError);
    expect(hotp(key, 2n ** 64n - 1n)).toMatch(/^[0-9]{6}$/);
  });
});

describe('verifyTotp', () => {
  it('accepts the current step and one either side, answering the step', () => {
    expect(verifyTotp({ key, code: totp(key, nowMs), nowMs })).toEqual({ ok: true, step });
    expect(verifyTotp({ key, code: codeAt(step - 1), nowMs })).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp({ key, code: codeAt(step + 1), nowMs })).toEqual({ ok: true, step: step + 1 });
  });

  it('rejects two steps away', () => {
    for (const s of [step - 2, step + 2]) {
      const code = codeAt(s);
      // Skip the astronomically rare case where a far code equals a near one.
      if ([step - 1, step, step + 1].some((n) => codeAt(n) === code)) continue;
      expect(verifyTotp({ key, code, nowMs })).toEqual({ ok: false, reason: 'mismatch' });
    }
  });

  it('honours a wider or a zero window', () => {
    expect(verifyTotp({ key, code: codeAt(step - 2), nowMs, window: 2 })).toEqual({ ok: true, step: step - 2 });
    expect(verifyTotp({ key, code: codeAt(step - 1), nowMs, window: 0 })).toEqual({ ok: false, reason: 'mismatch' });
    expect(() => verifyTotp({ key, code: codeAt(step), nowMs, window: -1 })).toThrow(RangeError);
  });

  it('rejects a wrong code and a code of another key', () => {
    const wrong = ((Number(codeAt(step)) + 1) % 1_000_000).toString().padStart(6, '0');
    const neighbours = [step - 1, step, step + 1].map(codeAt);
    if (!neighbours.includes(wrong)) expect(verifyTotp({ key, code: wrong, nowMs })).toEqual({ ok: false, reason: 'mismatch' });
    const other = Buffer.alloc(20, 7);
    const foreign = totp(other, nowMs);
    if (!neighbours.includes(foreign)) expect(verifyTotp({ key, code: foreign, nowMs })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('reports a step at or before lastStep as replayed', () => {
    const code = totp(key, nowMs);
    expect(verifyTotp({ key, code, nowMs, lastStep: step })).toEqual({ ok: false, reason: 'replayed' });
    expect(verifyTotp({ key, code, nowMs, lastStep: step + 1 })).toEqual({ ok: false, reason: 'replayed' });
    expect(verifyTotp({ key, code: codeAt(step - 1), nowMs, lastStep: step - 1 })).toEqual({ ok: false, reason: 'replayed' });
    expect(verifyTotp({ key, code, nowMs, lastStep: step - 1 })).toEqual({ ok: true, step });
    expect(verifyTotp({ key, code, nowMs, lastStep: null })).toEqual({ ok: true, step });
  });

  it('a code typed again 30 s later is still a replay of its step', () => {
    const code = totp(key, nowMs);
    expect(verifyTotp({ key, code, nowMs: nowMs + 30_000, lastStep: step })).toEqual({ ok: false, reason: 'replayed' });
  });

  it('answers the newest step when several steps share a code', () => {
    // A key whose 6-digit codes at steps 1000 and 1001 coincide (found by a one-off search:
    // the first such key of the form "uint32 index, then zeros").
    const k = Buffer.alloc(20);
    k.writeUInt32BE(2_357_972);
    const s = 1000;
    const digits = 6;
    expect(hotp(k, s)).toBe(hotp(k, s + 1));
    const at = (s + 1) * 30_000 + 1; // current step s+1, window covers s..s+2
    expect(verifyTotp({ key: k, code: hotp(k, s, { digits }), nowMs: at })).toEqual({ ok: true, step: s + 1 });
    // With s+1 already used, the older match does not sneak through.
    expect(verifyTotp({ key: k, code: hotp(k, s, { digits }), nowMs: at, lastStep: s })).toEqual({ ok: true, step: s + 1 });
    expect(verifyTotp({ key: k, code: hotp(k, s, { digits }), nowMs: at, lastStep: s + 1 })).toEqual({ ok: false, reason: 'replayed' });
  });

  it('never matches a negative step near the epoch', () => {
    expect(verifyTotp({ key, code: hotp(key, 0), nowMs: 1_000 })).toEqual({ ok: true, step: 0 });
    expect(verifyTotp({ key, code: hotp(key, 1), nowMs: 1_000 })).toEqual({ ok: true, step: 1 });
  });

  it('works with 8 digits, SHA-256 and a 60 s period', () => {
    const opts = { algorithm: 'SHA256' as const, digits: 8, periodS: 60 };
    const code = totp(key, nowMs, opts);
    expect(code).toMatch(/^[0-9]{8}$/);
    expect(verifyTotp({ key, code, nowMs, ...opts })).toEqual({ ok: true, step: timeStep(nowMs, 60) });
    expect(verifyTotp({ key, code: code.slice(2), nowMs, ...opts })).toEqual({ ok: false, reason: 'malformed' });
  });

  const valid = totp(key, nowMs);
  const malformed: Array<[string, string]> = [
    ['leading space', ` ${valid}`],
    ['trailing space', `${valid} `],
    ['trailing newline', `${valid}\n`],
    ['too short', '12345'],
    ['too long', '1234567'],
    ['sign', '+12345'],
    ['full-width digits', '１２３４５６'],
    ['Arabic-Indic digits', '١٢٣٤٥٦'],
    ['letter', '12345a'],
    ['empty', ''],
    ['inner space', '12 3456'],
    ['valid code with a space inside', `${valid.slice(0, 3)} ${valid.slice(3)}`],
  ];
  it.each(malformed)('refuses %s as malformed', (_name, code) => {
    expect(verifyTotp({ key, code, nowMs })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a non-string code as malformed', () => {
    expect(verifyTotp({ key, code: 123456 as unknown as string, nowMs })).toEqual({ ok: false, reason: 'malformed' });
  });
});
