/**
 * TOTP codes for the browser test, computed by oathtool (an implementation independent of
 * ours) or, where it is missing, by src/core/otp. The service accepts each time step once per
 * method (API.md "Defaults"), so every code handed out is from a step never used before:
 * when the current step is spent, this waits for the next one.
 */
import { execFileSync } from 'node:child_process';
import { base32Decode, totp } from '../../src/core/otp/index.js';

const PERIOD_MS = 30_000;
/** Leave a margin before a step ends, so the code is still current when the server checks it. */
const MARGIN_MS = 4_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function hasOathtool(): boolean {
  try {
    execFileSync('oathtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const useOathtool = hasOathtool();

export function totpAt(secret: string, nowMs: number): string {
  const clean = secret.replace(/\s+/g, '').toUpperCase();
  if (useOathtool) return execFileSync('oathtool', ['--totp', '-b', '-N', `@${Math.floor(nowMs / 1000)}`, clean], { encoding: 'utf8' }).trim();
  return totp(base32Decode(clean), nowMs);
}

export class TotpSource {
  private lastStep = -1;

  constructor(private secret: string) {}

  /** A code from a time step this source has not used yet (may wait up to ~34 s). */
  async fresh(): Promise<string> {
    for (;;) {
      const now = Date.now();
      const step = Math.floor(now / PERIOD_MS);
      const left = PERIOD_MS - (now % PERIOD_MS);
      if (step > this.lastStep && left > MARGIN_MS) {
        this.lastStep = step;
        return totpAt(this.secret, now);
      }
      await sleep(left + 250);
    }
  }
}
