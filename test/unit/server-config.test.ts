import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';

describe('loadConfig', () => {
  it('bounds password hashes in flight by TWOFOLD_HASH_CONCURRENCY, naming a bad value', () => {
    expect(loadConfig({}).hashConcurrency).toBeUndefined();
    expect(loadConfig({ TWOFOLD_HASH_CONCURRENCY: '2' }).hashConcurrency).toBe(2);
    for (const bad of ['0', '-1', '1.5', 'many', '65']) {
      expect(() => loadConfig({ TWOFOLD_HASH_CONCURRENCY: bad })).toThrow(/TWOFOLD_HASH_CONCURRENCY/);
    }
  });
});
