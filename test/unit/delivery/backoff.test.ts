import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../../src/delivery/index.js';

describe('outbox retry backoff', () => {
  it('waits 5 s after the first failure and doubles after each one', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n))).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
  });

  it('never waits more than an hour', () => {
    expect(backoffMs(10)).toBe(2_560_000);
    expect(backoffMs(11)).toBe(3_600_000);
    expect(backoffMs(60)).toBe(3_600_000);
  });

  it('takes its base and cap as options', () => {
    expect(backoffMs(3, 100, 250)).toBe(250);
    expect(backoffMs(2, 100, 1_000)).toBe(200);
  });
});
