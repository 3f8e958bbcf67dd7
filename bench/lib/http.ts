/**
 * A minimal JSON client over node:http with keep-alive, for driving load at 127.0.0.1.
 * node:http rather than fetch: fetch (undici inside Node) costs the bench process noticeably
 * more CPU per request, and the bench shares the machine's two cores with the server.
 */
import http from 'node:http';

export interface Reply {
  status: number;
  /** The parsed JSON body, or the raw text when it is not JSON (or empty). */
  body: unknown;
}

export interface HttpClient {
  get(path: string, token?: string): Promise<Reply>;
  post(path: string, body: unknown, token?: string): Promise<Reply>;
  /** Close the pooled sockets. */
  close(): void;
}

/** A request that hangs this long is an error, not a latency sample worth waiting for. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * @param sockets keep-alive connections to keep open: one per concurrent client, so no request
 *   queues behind another inside the bench (that would be the bench's latency, not the server's).
 */
export function createHttpClient(port: number, sockets: number): HttpClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });

  function send(method: string, path: string, payload: string | undefined, token: string | undefined): Promise<Reply> {
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    if (token) headers.authorization = `Bearer ${token}`;
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if (text.startsWith('{') || text.startsWith('[')) {
            try {
              body = JSON.parse(text);
            } catch {
              // Not JSON after all: keep the text for the error report.
            }
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.on('error', reject);
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`${method} ${path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)));
      req.end(payload);
    });
  }

  return {
    get: (path, token) => send('GET', path, undefined, token),
    post: (path, body, token) => send('POST', path, JSON.stringify(body), token),
    close: () => agent.destroy(),
  };
}

/** A short description of an unexpected reply, for the error samples a scenario prints. */
export function describeReply(r: Reply): string {
  const b = r.body as { code?: unknown; detail?: unknown } | string;
  if (typeof b === 'object' && b !== null) return `${r.status} ${String(b.code ?? '')} ${String(b.detail ?? '')}`.trim();
  return `${r.status} ${String(b).slice(0, 120)}`;
}
