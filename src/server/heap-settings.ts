/**
 * V8 heap settings for a service that should stay small, set from inside the process.
 *
 * - The young generation. V8 doubles the new space's two semi-spaces (1 MB each at start)
 *   whenever enough objects survive scavenges, up to 16 MB each, and never gives the 32 MB
 *   back; module loading at start-up alone drives them to the maximum. `--max-semi-space-size`
 *   would cap them but only works on the command line; `--semi-space-growth-factor` is read at
 *   each growth, so it works at run time: at 1 the semi-spaces stop growing. The entry point
 *   (bin/twofold.js) sets it to 1 before the service loads; once the service is up, the
 *   semi-spaces may grow again (factor 2) under the request load until they reach the cap.
 *   Measured on the TOTP verify (bench/README.md): 1 MB semi-spaces promote requests still in
 *   flight into the old generation and cost 25% more event-loop CPU (0.82 ms against 0.66 ms);
 *   2 MB ones about 5% (0.69 ms), and they hold 28 MB less than 16 MB ones.
 * - The old generation grows by `heapGrowingPercent` of what survived the last full collection
 *   before the next one (`--heap-growing-percent`), instead of V8's 100% or more.
 *
 * Node applies its own V8 options again whenever a worker thread starts (a `module.register`
 * hook thread, a pino transport), which puts these flags back to V8's defaults; so they are
 * asserted again every CHECK_EVERY_MS and after every collection, not set once. A growth
 * between two checks may overshoot the cap by one doubling. An operator's own flags (`nodeFlags`: node's command line and
 * NODE_OPTIONS) win: then the corresponding setting is left alone.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

const CHECK_EVERY_MS = 50;

export interface HeapSettings {
  /** Each of the two young-generation semi-spaces, MB, at most. */
  semiSpaceMb: number;
  /** How far the old generation may grow between full collections, percent. */
  heapGrowingPercent: number;
}

/** The new space's size in bytes: both semi-spaces. */
function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/** Apply `settings` now and keep them applied. Returns a stop function (for tests). */
export function holdHeapSettings(settings: HeapSettings, nodeFlags: string): () => void {
  const capYoung = !/semi[-_]space/.test(nodeFlags);
  const limitOld = !/heap[-_]growing|old[-_]space/.test(nodeFlags);
  if (!capYoung && !limitOld) return () => undefined;
  const capBytes = 2 * settings.semiSpaceMb * 1024 * 1024;
  const apply = (): void => {
    if (capYoung) setFlagsFromString(`--semi-space-growth-factor=${newSpaceBytes() < capBytes ? 2 : 1}`);
    if (limitOld) setFlagsFromString(`--heap-growing-percent=${settings.heapGrowingPercent}`);
  };
  apply();
  const timer = setInterval(apply, CHECK_EVERY_MS);
  timer.unref();
  // And after every collection: the growth that reaches the cap is one, and under a burst of
  // allocation the next may come sooner than the timer (two doublings over, on a loaded CI).
  const afterGc = new PerformanceObserver(apply);
  afterGc.observe({ entryTypes: ['gc'] });
  return () => {
    clearInterval(timer);
    afterGc.disconnect();
  };
}
