/**
 * A cap on V8's young generation, set from inside the process.
 *
 * V8 doubles the new space's two semi-spaces (1 MB each at start) whenever enough objects
 * survive scavenges, up to 16 MB each, and never gives the 32 MB back. Module loading at start-up
 * alone drives them to the maximum. `--max-semi-space-size` would cap them but only works on
 * the command line; `--semi-space-growth-factor` is read at each growth, so it still works at
 * run time: at 1 the semi-spaces stop growing.
 *
 * The entry point (bin/twofold.js) sets the factor to 1 before the service loads. Once the
 * service is up, `capYoungGeneration` lets the semi-spaces grow again (factor 2) under the
 * request load and freezes them once they reach `semiSpaceMb` (a doubling between two checks may
 * overshoot once). Measured on the TOTP verify (bench/README.md): 1 MB semi-spaces promote
 * requests still in flight into the old generation and cost 25% more event-loop CPU (0.82 ms
 * against 0.66 ms); 2 MB ones cost about 5% (0.69 ms) and hold 28 MB less than 16 MB ones.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

const CHECK_EVERY_MS = 100;

/** The new space's size in bytes: both semi-spaces. */
function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/**
 * Let the semi-spaces grow to about `semiSpaceMb` each, then hold them there. Does nothing when
 * `nodeFlags` (node's command line and NODE_OPTIONS) set a semi-space size of the operator's
 * own. Returns a stop function (for tests).
 */
export function capYoungGeneration(semiSpaceMb: number, nodeFlags: string): () => void {
  if (/semi[-_]space/.test(nodeFlags)) return () => undefined;
  const capBytes = 2 * semiSpaceMb * 1024 * 1024;
  if (newSpaceBytes() >= capBytes) {
    setFlagsFromString('--semi-space-growth-factor=1');
    return () => undefined;
  }
  setFlagsFromString('--semi-space-growth-factor=2');
  const timer = setInterval(() => {
    if (newSpaceBytes() < capBytes) return;
    setFlagsFromString('--semi-space-growth-factor=1');
    clearInterval(timer);
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
