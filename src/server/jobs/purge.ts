import type { Logger } from 'pino';
import type { ServerDeps } from '../deps.js';
import { periodicJob, type PeriodicJob } from './periodic.js';

/** Rows that ended keep a day for operators looking into an incident, then go. */
const KEEP_ENDED_MS = 24 * 3600 * 1000;
const EVERY_MS = 15 * 60 * 1000;

/** Delete expired single-use rows, ended sessions and delivered mail (every process may run it). */
export function purgeJob(deps: ServerDeps, log: Pick<Logger, 'warn' | 'info'>): PeriodicJob {
  return periodicJob({
    name: 'purge-expired',
    intervalMs: EVERY_MS,
    firstDelayMs: 60_000,
    log,
    run: async () => {
      const counts = await deps.core.store.purge.purgeExpired(deps.clock.now() - KEEP_ENDED_MS);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      if (total > 0) log.info({ purged: counts }, 'purged expired rows');
    },
  });
}
