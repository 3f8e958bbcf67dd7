import type { Logger } from 'pino';

export interface PeriodicJob {
  /** Run every `intervalMs` from now on (the first run after `firstDelayMs`). */
  start(): void;
  /** Stop, waiting for a run in progress. */
  stop(): Promise<void>;
  /** One run now, unless one is already in progress (then that one is awaited). */
  runOnce(): Promise<void>;
}

/**
 * Background work on a timer. Runs never overlap within a process; a failed run is logged and
 * the next one tries again. The timer does not keep the process alive.
 */
export function periodicJob(opts: {
  name: string;
  intervalMs: number;
  /** @default 5000: leave start-up to the requests */
  firstDelayMs?: number;
  run: () => Promise<void>;
  log: Pick<Logger, 'warn'>;
}): PeriodicJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const runOnce = (): Promise<void> => {
    running ??= opts
      .run()
      .catch((err: unknown) => opts.log.warn({ err, job: opts.name }, 'background job failed; will retry'))
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runOnce().then(() => schedule(opts.intervalMs));
    }, delay);
    timer.unref();
  };

  return {
    start() {
      if (timer || stopped) return;
      schedule(opts.firstDelayMs ?? 5000);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    runOnce,
  };
}
