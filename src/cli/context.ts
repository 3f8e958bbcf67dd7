import { compose, type Composed } from '../server/compose.js';
import type { Config } from '../server/config.js';
import type { Ctx } from '../core/types.js';

/** Run one admin task against the configured database, then close it. */
export async function withServices<T>(config: Readonly<Config>, fn: (c: Composed, ctx: Ctx) => Promise<T>): Promise<T> {
  const log = { info: () => {}, warn: (m: unknown) => process.stderr.write(`${typeof m === 'string' ? m : JSON.stringify(m)}\n`), error: () => {} };
  const composed = await compose(config, { log, defaultMetrics: false, consoleWrite: (l) => process.stdout.write(l + '\n') });
  try {
    const ctx: Ctx = { now: composed.deps.clock.now(), ip: null, userAgent: 'twofold cli' };
    const result = await fn(composed, ctx);
    // Deliver what the task queued (notification mail) before exiting.
    await composed.deps.outbox.drain();
    return result;
  } finally {
    await composed.close();
  }
}
