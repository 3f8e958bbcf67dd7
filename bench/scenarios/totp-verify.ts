/**
 * Scenario 4: the TOTP step of the login, `POST /auth/mfa/verify` with method totp, at N
 * clients. Only that request is timed; the MFA-pending tokens come from the logins before.
 *
 * Every verification must be a genuinely valid one, and the service accepts each time step
 * once per method (API.md "Defaults"). So each request uses a (method, step) pair the server
 * has not seen: any step of the +-1 window newer than the method's last accepted one, oldest
 * first (a newer one accepted first would make the older a replay). One user is never in
 * flight twice, so the steps of a method reach the server in the order they were chosen.
 */
import { timeStep, totp } from '../../src/core/otp/index.js';
import { API, PERIOD_S, type BenchUser, type TotpMethod } from '../lib/fixtures.js';
import { describeReply, type HttpClient } from '../lib/http.js';
import { closedLoop, type LoadResult, type NextRequest } from '../lib/load.js';
import type { TokenBank } from '../lib/token-bank.js';

/**
 * The previous step is used only while this much of the current one remains, so it is still
 * inside the server's window when the request arrives.
 */
const PREVIOUS_STEP_MARGIN_MS = 2_000;

/** The oldest step of the window, newer than the method's last, that is safe to send now. */
function usableStep(m: TotpMethod, nowMs: number): number | null {
  const current = timeStep(nowMs, PERIOD_S);
  const leftMs = (current + 1) * PERIOD_S * 1000 - nowMs;
  const first = leftMs > PREVIOUS_STEP_MARGIN_MS ? current - 1 : current;
  for (let step = first; step <= current + 1; step++) if (step > m.lastStep) return step;
  return null;
}

/** How many verifications one method can give in a step window (previous, current, next). */
export const USES_PER_METHOD = 3;

/** Verify requests over the banked tokens; null once `limit` are started or nothing is usable. */
export function verifyRequests(http: HttpClient, users: BenchUser[], bank: TokenBank, limit: number): NextRequest {
  const busy = new Set<number>();
  let cursor = 0;
  let started = 0;
  return () => {
    if (started >= limit) return null;
    const now = Date.now();
    for (let scanned = 0; scanned < users.length; scanned++) {
      const u = cursor++ % users.length;
      if (busy.has(u) || !bank.has(u, now)) continue;
      // Lowest method first: the server tries a user's methods in enrolment order, and a
      // typical user has one, so the cheap end is the realistic one.
      const methods = users[u].methods;
      let i = 0;
      let step: number | null = null;
      for (; i < methods.length; i++) if ((step = usableStep(methods[i], now)) !== null) break;
      if (step === null) continue;
      const method = methods[i];
      const token = bank.take(u, now)!;
      const code = totp(method.key, step * PERIOD_S * 1000);
      method.lastStep = step;
      busy.add(u);
      started++;
      return async () => {
        try {
          const r = await http.post(`${API}/auth/mfa/verify`, { mfa_token: token, method: 'totp', code });
          const b = r.body as { access_token?: unknown };
          return r.status === 200 && typeof b.access_token === 'string' ? null : describeReply(r);
        } finally {
          busy.delete(u);
        }
      };
    }
    return null;
  };
}

export interface TotpRun {
  warmup: LoadResult;
  timed: LoadResult;
}

/**
 * A short untimed warm-up (JIT, statement caches), then the timed run: until `durationMs` or
 * until the tokens run out, whichever comes first.
 */
export async function totpVerify(
  http: HttpClient,
  users: BenchUser[],
  bank: TokenBank,
  clients: number,
  warmupCount: number,
  durationMs: number,
): Promise<TotpRun> {
  const warmup = await closedLoop({ concurrency: clients, durationMs, next: verifyRequests(http, users, bank, warmupCount) });
  const timed = await closedLoop({ concurrency: clients, durationMs, next: verifyRequests(http, users, bank, Infinity) });
  return { warmup, timed };
}
