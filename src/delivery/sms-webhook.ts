/**
 * SMS through a webhook of the operator's own: `POST {url}` with JSON `{"to", "body"}`.
 *
 * With a secret, each request carries `X-Twofold-Signature: t=<unix seconds>,v1=<hex>` where
 * `v1 = HMAC-SHA256(secret, "<t>.<raw request body>")`. To verify, the receiver:
 *   1. reads the raw body bytes before any JSON parsing (re-serialised JSON may differ);
 *   2. splits the header on "," and "=" to get `t` and `v1`;
 *   3. computes the HMAC over `${t}.${rawBody}` with the shared secret, hex-encoded;
 *   4. compares it with `v1` in constant time (crypto.timingSafeEqual);
 *   5. rejects a `t` more than 5 minutes from its own clock, which stops replays.
 * `verifyWebhookSignature` below does exactly this, for receivers written in TypeScript.
 * Credentials in the URL (`https://user:pass@host/path`) are sent as HTTP Basic auth.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SmsSender } from '../core/ports.js';
import { DeliveryError, describeFetchError, redact } from './delivery-error.js';

export const SIGNATURE_HEADER = 'X-Twofold-Signature';

export interface WebhookOptions {
  url: string;
  /** Shared secret for the signature header; unsigned when absent. */
  secret?: string;
  fetchImpl?: typeof fetch;
  /** @default 10000 */
  timeoutMs?: number;
  /** Epoch milliseconds, for the signature time. @default Date.now */
  now?: () => number;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function signWebhook(secret: string, t: number, rawBody: string): string {
  const v1 = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * Check a signature header against the raw body. @param toleranceS how far `t` may be from
 * `nowMs` @default 300
 */
export function verifyWebhookSignature(header: string | undefined, rawBody: string, secret: string, nowMs: number, toleranceS = 300): boolean {
  if (!header) return false;
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(nowMs / 1000 - t) > toleranceS || !/^[0-9a-f]{64}$/.test(v1)) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

export function createWebhookSender(opts: WebhookOptions): SmsSender {
  const target = new URL(opts.url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error('SMS_WEBHOOK_URL must be an http(s) URL');
  const user = safeDecode(target.username);
  const pass = safeDecode(target.password);
  const secrets = [opts.secret, target.password, pass, target.search];
  const basic = user || pass ? `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` : null;
  // fetch refuses URLs with credentials in them; they travel in the header instead.
  target.username = '';
  target.password = '';
  const endpoint = target.href;
  // Errors name the host only: the path or query may hold a token.
  const where = target.host;
  const doFetch = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const now = opts.now ?? Date.now;

  return {
    async send(to, body) {
      const raw = JSON.stringify({ to, body });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (opts.secret) headers[SIGNATURE_HEADER.toLowerCase()] = signWebhook(opts.secret, Math.floor(now() / 1000), raw);
      if (basic) headers.authorization = basic;
      let res: Response;
      try {
        res = await doFetch(endpoint, { method: 'POST', headers, body: raw, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        throw new DeliveryError(`SMS webhook ${where} failed: ${redact(describeFetchError(err, timeoutMs), secrets)}`);
      }
      // Drain the body so the connection can be reused; its content is the receiver's business.
      const text = await res.text().catch(() => '');
      if (!res.ok) {
        const hint = text.slice(0, 200).replace(/\s+/g, ' ').trim();
        throw new DeliveryError(redact(`SMS webhook ${where} answered HTTP ${res.status}${hint ? `: ${hint}` : ''}`, secrets), {
          status: res.status,
        });
      }
    },
  };
}
