/**
 * Scenario 3: password logins at N clients, while one more client polls `/healthz` every 10 ms.
 * The users have TOTP, so each login answers `mfa_required` with an MFA-pending token, which
 * the bank keeps for scenario 4 (the argon2 work is identical to a login without MFA, which
 * inserts a session and signs a JWT instead of inserting the pending token).
 */
import type { BenchUser } from '../lib/fixtures.js';
import { login } from '../lib/fixtures.js';
import { describeReply, type HttpClient } from '../lib/http.js';
import { closedLoop, startPoller, type LoadResult, type NextRequest } from '../lib/load.js';
import type { TokenBank } from '../lib/token-bank.js';

/** Where the round-robin over users stands; shared by the scenario and the collection after it. */
export interface Cursor {
  next: number;
}

/** Requests that log `users` in round-robin and bank the MFA-pending tokens; null after `limit` logins. */
function loginRequests(http: HttpClient, users: BenchUser[], bank: TokenBank, cursor: Cursor, limit = Infinity): NextRequest {
  let started = 0;
  return () => {
    if (started++ >= limit) return null;
    // Round-robin over many accounts keeps at most one or two logins per account in flight, far
    // under the 10-per-account budget (and successes give their point back anyway); it also
    // spreads the tokens evenly over the users, which scenario 4 needs.
    const u = cursor.next++ % users.length;
    return async () => {
      const r = await login(http, users[u]);
      if (r.status !== 200 || r.body.mfa_required !== true || typeof r.body.mfa_token !== 'string') {
        return describeReply({ status: r.status, body: r.body });
      }
      bank.add(u, r.body.mfa_token);
      return null;
    };
  };
}

export interface LoginUnderLoad {
  logins: LoadResult;
  /** What the 10 ms health poller saw meanwhile. */
  healthz: LoadResult;
}

export async function loginWithHealthPoller(
  http: HttpClient,
  pollHttp: HttpClient,
  users: BenchUser[],
  bank: TokenBank,
  cursor: Cursor,
  clients: number,
  durationMs: number,
): Promise<LoginUnderLoad> {
  const poller = startPoller(10, async () => {
    const r = await pollHttp.get('/healthz');
    return r.status === 200 ? null : describeReply(r);
  });
  const logins = await closedLoop({ concurrency: clients, durationMs, next: loginRequests(http, users, bank, cursor) });
  const healthz = await poller.stop();
  return { logins, healthz };
}

/** Untimed set-up for scenario 4: log in until the bank holds `target` tokens. */
export async function collectTokens(http: HttpClient, users: BenchUser[], bank: TokenBank, cursor: Cursor, clients: number, target: number): Promise<LoadResult> {
  const missing = Math.max(0, target - bank.size);
  // The cap only guards against a server that stopped answering: tokens live 300 s.
  return closedLoop({ concurrency: clients, durationMs: 240_000, next: loginRequests(http, users, bank, cursor, missing) });
}
