import { describe, expect, it } from 'vitest';
import { createGate } from '../../../src/server/crypto/gate.js';

/** A task that stays running until released, recording how many ran at once. */
function trackedTasks() {
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const release: (() => void)[] = [];
  const task = (id: number) => async () => {
    running++;
    peak = Math.max(peak, running);
    started.push(id);
    await new Promise<void>((r) => release.push(r));
    running--;
    return id;
  };
  return { task, started, release, peak: () => peak };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('gate (bounded concurrency for argon2)', () => {
  it('runs at most `limit` tasks at once and starts the others in arrival order', async () => {
    const gate = createGate(2);
    const t = trackedTasks();
    const results = [1, 2, 3, 4, 5].map((id) => gate(t.task(id)));
    await tick();
    expect(t.started).toEqual([1, 2]);
    t.release.shift()!();
    await tick();
    expect(t.started).toEqual([1, 2, 3]);
    while (t.release.length > 0 || t.started.length < 5) {
      t.release.shift()?.();
      await tick();
    }
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4, 5]);
    expect(t.peak()).toBe(2);
  });

  it('gives the slot back when a task fails', async () => {
    const gate = createGate(1);
    await expect(gate(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate(async () => 'next')).resolves.toBe('next');
  });

  it('refuses a limit that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, NaN]) expect(() => createGate(bad)).toThrow(RangeError);
  });
});
