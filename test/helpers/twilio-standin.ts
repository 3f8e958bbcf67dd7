/**
 * A local stand-in for Twilio's Messages API (2010-04-01), strict about what Twilio checks:
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic auth with that SID and
 * the auth token, a form-encoded body with `To` in E.164, `From` (or `MessagingServiceSid`)
 * and `Body`. Answers 201 with a message resource like Twilio's, or Twilio's error document
 * `{code, message, more_info, status}`: 401/20003 for bad credentials, 400/21211 for a bad
 * `To`, 400/21603 without a sender, 400/21602 without a body, 404/20404 for a wrong path.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface TwilioRequest {
  method: string;
  path: string;
  /** The Basic auth user (the account SID sent), or null. */
  authUser: string | null;
  contentType: string;
  form: Record<string, string>;
  /** The status the stand-in answered. */
  status: number;
}

export interface TwilioStandin {
  /** Use as `apiBase`. */
  apiBase: string;
  requests: TwilioRequest[];
  /** Bodies of the messages accepted, in order. */
  accepted: Array<{ sid: string; to: string; from: string; body: string }>;
  /** Answer the next `n` requests with this server error (500 or 503). */
  failNext(n: number, status?: 500 | 503): void;
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{1,14}$/;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function twilioError(res: ServerResponse, status: number, code: number, message: string): number {
  send(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
  return status;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startTwilioStandin(creds: { accountSid: string; authToken: string }): Promise<TwilioStandin> {
  const requests: TwilioRequest[] = [];
  const accepted: TwilioStandin['accepted'] = [];
  let failures: { left: number; status: number } = { left: 0, status: 503 };

  function handle(req: IncomingMessage, res: ServerResponse, raw: string, rec: TwilioRequest): number {
    if (failures.left > 0) {
      failures.left--;
      return failures.status === 500
        ? twilioError(res, 500, 20500, 'An internal server error has occurred')
        : twilioError(res, 503, 20503, 'Service unavailable');
    }
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(rec.path);
    if (!m) return twilioError(res, 404, 20404, `The requested resource ${rec.path} was not found`);
    if (req.method !== 'POST') return twilioError(res, 405, 20004, 'Method not allowed');

    const header = req.headers.authorization ?? '';
    const [scheme, encoded] = header.split(' ');
    const decoded = scheme === 'Basic' && encoded ? Buffer.from(encoded, 'base64').toString('utf8') : '';
    const sep = decoded.indexOf(':');
    const user = sep >= 0 ? decoded.slice(0, sep) : null;
    const pass = sep >= 0 ? decoded.slice(sep + 1) : null;
    rec.authUser = user;
    if (user !== creds.accountSid || pass !== creds.authToken || decodeURIComponent(m[1]) !== creds.accountSid) {
      return twilioError(res, 401, 20003, 'Authenticate');
    }

    if (!rec.contentType.startsWith('application/x-www-form-urlencoded')) {
      return twilioError(res, 400, 20001, 'Content-Type must be application/x-www-form-urlencoded');
    }
    rec.form = Object.fromEntries(new URLSearchParams(raw));
    const { To: to, From: from, MessagingServiceSid: service, Body: body } = rec.form;
    if (!to) return twilioError(res, 400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return twilioError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from && !service) return twilioError(res, 400, 21603, "A 'From' phone number is required.");
    if (!body) return twilioError(res, 400, 21602, 'Message body is required.');

    const sid = `SM${randomBytes(16).toString('hex')}`;
    const now = new Date().toUTCString();
    accepted.push({ sid, to, from: from ?? service, body });
    send(res, 201, {
      sid,
      account_sid: creds.accountSid,
      to,
      from: from ?? null,
      messaging_service_sid: service ?? null,
      body,
      status: 'queued',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      num_segments: '1',
      num_media: '0',
      date_created: now,
      date_updated: now,
      date_sent: null,
      error_code: null,
      error_message: null,
      price: null,
      price_unit: 'USD',
      uri: `/2010-04-01/Accounts/${creds.accountSid}/Messages/${sid}.json`,
    });
    return 201;
  }

  const server = createServer((req, res) => {
    readBody(req)
      .then((raw) => {
        const rec: TwilioRequest = {
          method: req.method ?? '',
          path: new URL(req.url ?? '/', 'http://standin').pathname,
          authUser: null,
          contentType: String(req.headers['content-type'] ?? ''),
          form: {},
          status: 0,
        };
        requests.push(rec);
        rec.status = handle(req, res, raw, rec);
      })
      .catch(() => twilioError(res, 500, 20500, 'An internal server error has occurred'));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    apiBase: `http://127.0.0.1:${port}`,
    requests,
    accepted,
    failNext(n, status = 503) {
      failures = { left: n, status };
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
