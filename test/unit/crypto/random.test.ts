import { describe, expect, it } from 'vitest';
import { nodeRandom, uuidV7 } from '../../../src/server/crypto/random.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ids (UUID version 7, RFC 9562 5.7)', () => {
  it('carry version 7, the RFC variant, and the time in their first 48 bits', () => {
    const at = Date.UTC(2026, 11, 6, 12, 0, 0, 123);
    const id = uuidV7(at);
    expect(id).toMatch(UUID);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sort by creation time, and never repeat (past the entropy buffer\'s refill)', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => uuidV7(1_750_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    const many = Array.from({ length: 5000 }, () => nodeRandom.uuid());
    expect(new Set(many).size).toBe(5000);
    for (const id of many.slice(0, 300)) expect(id).toMatch(UUID);
  });

  it('keep 74 random bits: ids made in one millisecond differ beyond the time', () => {
    const a = uuidV7(1_750_000_000_000).replace(/-/g, '');
    const b = uuidV7(1_750_000_000_000).replace(/-/g, '');
    expect(a.slice(0, 12)).toBe(b.slice(0, 12));
    expect(a.slice(12)).not.toBe(b.slice(12));
  });
});
