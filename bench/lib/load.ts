/**
 * Closed-loop load: `concurrency` clients, each sending its next request as soon as the last
 * one answered, until a deadline or until the work runs out. Closed loop (not a fixed arrival
 * rate) because the targets are "N concurrent clients", and it cannot pile up an unbounded
 * backlog on a slow server.
 */
import { performance } from 'node:perf_hooks';
import { summarize, type LatencySummary } from './stats.js';

/**
 * One unit of work for client `worker`: the untimed preparation runs inside `next`, and only
 * the returned request is timed. It resolves to null when the answer was right, or to a short
 * description of what was wrong. `next` returns null when there is no more work for it.
 */
export type NextRequest = (worker: number) => (() => Promise<string | null>) | null;

export interface LoadOptions {
  concurrency: number;
  /** Stop starting requests after this long. */
  durationMs: number;
  next: NextRequest;
}

export interface LoadResult {
  /** Requests answered as expected. */
  ok: number;
  errors: number;
  /** The first few distinct error descriptions, for the report. */
  errorSamples: string[];
  /** Wall time from the first request to the last answer. */
  elapsedS: number;
  /** Correct answers per second of wall time. */
  rps: number;
  latency: LatencySummary;
}

const MAX_ERROR_SAMPLES = 5;

export async function closedLoop(opts: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const samples = new Set<string>();
  let errors = 0;
  const start = performance.now();
  const deadline = start + opts.durationMs;

  const client = async (worker: number): Promise<void> => {
    while (performance.now() < deadline) {
      const request = opts.next(worker);
      if (!request) return;
      const t0 = performance.now();
      let problem: string | null;
      try {
        problem = await request();
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
      if (problem === null) latencies.push(performance.now() - t0);
      else {
        errors++;
        if (samples.size < MAX_ERROR_SAMPLES) samples.add(problem);
      }
    }
  };

  await Promise.all(Array.from({ length: opts.concurrency }, (_, i) => client(i)));
  const elapsedS = (performance.now() - start) / 1000;
  return { ok: latencies.length, errors, errorSamples: [...samples], elapsedS, rps: latencies.length / elapsedS, latency: summarize(latencies) };
}

/**
 * A side client that sends one request every `intervalMs` (start to start; back to back when
 * an answer takes longer) until stopped, recording each latency. It measures what a health
 * check or an interactive user sees while the main load runs.
 */
export function startPoller(intervalMs: number, request: () => Promise<string | null>): { stop(): Promise<LoadResult> } {
  const latencies: number[] = [];
  const samples = new Set<string>();
  let errors = 0;
  let running = true;
  const start = performance.now();

  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      let problem: string | null;
      try {
        problem = await request();
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
      const t1 = performance.now();
      if (problem === null) latencies.push(t1 - t0);
      else {
        errors++;
        if (samples.size < MAX_ERROR_SAMPLES) samples.add(problem);
      }
      const wait = intervalMs - (t1 - t0);
      if (wait > 0 && running) await new Promise((r) => setTimeout(r, wait));
    }
  })();

  return {
    async stop() {
      running = false;
      await loop;
      const elapsedS = (performance.now() - start) / 1000;
      return { ok: latencies.length, errors, errorSamples: [...samples], elapsedS, rps: latencies.length / elapsedS, latency: summarize(latencies) };
    },
  };
}
