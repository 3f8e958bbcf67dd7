/** Scenarios 2 and 5: `/healthz` alone, the server's floor cost per request (no database). */
import { describeReply, type HttpClient } from '../lib/http.js';
import { closedLoop, type LoadResult } from '../lib/load.js';

export async function healthzAlone(http: HttpClient, clients: number, durationMs: number): Promise<LoadResult> {
  return closedLoop({
    concurrency: clients,
    durationMs,
    next: () => async () => {
      const r = await http.get('/healthz');
      return r.status === 200 ? null : describeReply(r);
    },
  });
}
