import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError, SIGNATURE_HEADER, createWebhookSender, verifyWebhookSignature } from '../../../src/delivery/index.js';

interface Received {
  headers: IncomingMessage['headers'];
  raw: string;
}

let server: Server;
let base: string;
let received: Received[];
let answer: number;

beforeEach(async () => {
  received = [];
  answer = 204;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answer, { 'content-type': 'text/plain' });
      res.end(answer >= 400 ? 'provider says no' : undefined);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const NOW = Date.parse('2026-03-03T14:05:00Z');

describe('webhook SMS sender', () => {
  it('posts JSON {to, body} signed with HMAC-SHA256 over "<t>.<raw body>"', async () => {
    await createWebhookSender({ url: `${base}/sms`, secret: 'whsec_test', now: () => NOW }).send('+14155550123', 'Your code is 1');

    expect(received).toHaveLength(1);
    const { headers, raw } = received[0];
    expect(headers['content-type']).toBe('application/json');
    expect(JSON.parse(raw)).toEqual({ to: '+14155550123', body: 'Your code is 1' });
    const sig = headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(sig).toMatch(new RegExp(`^t=${NOW / 1000},v1=[0-9a-f]{64}$`));
    expect(verifyWebhookSignature(sig, raw, 'whsec_test', NOW)).toBe(true);
  });

  it('the signature fails with another secret, a changed body, or a stale time', async () => {
    await createWebhookSender({ url: base, secret: 'whsec_test', now: () => NOW }).send('+14155550123', 'hello');
    const { headers, raw } = received[0];
    const sig = headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(verifyWebhookSignature(sig, raw, 'other', NOW)).toBe(false);
    expect(verifyWebhookSignature(sig, raw.replace('hello', 'hellO'), 'whsec_test', NOW)).toBe(false);
    expect(verifyWebhookSignature(sig, raw, 'whsec_test', NOW + 6 * 60_000)).toBe(false);
    expect(verifyWebhookSignature(undefined, raw, 'whsec_test', NOW)).toBe(false);
  });

  it('sends no signature without a secret', async () => {
    await createWebhookSender({ url: base }).send('+14155550123', 'x');
    expect(received[0].headers[SIGNATURE_HEADER.toLowerCase()]).toBeUndefined();
  });

  it('turns credentials in the URL into Basic auth', async () => {
    await createWebhookSender({ url: base.replace('http://', 'http://hook:p%40ss@') }).send('+1415', 'x');
    expect(received[0].headers.authorization).toBe(`Basic ${Buffer.from('hook:p@ss').toString('base64')}`);
  });

  it('a non-2xx answer throws, naming the host but not the path or query token', async () => {
    answer = 502;
    const err = await createWebhookSender({ url: `${base}/hook?token=abc123secret` })
      .send('+14155550123', 'x')
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as Error).message).toContain('HTTP 502');
    expect((err as Error).message).toContain('provider says no');
    expect((err as Error).message).not.toContain('abc123secret');
  });

  it('an unreachable webhook throws', async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await expect(createWebhookSender({ url: base }).send('+1', 'x')).rejects.toThrow(/SMS webhook 127\.0\.0\.1:\d+ failed/);
    server.listen(0, '127.0.0.1');
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => createWebhookSender({ url: 'ftp://example.test/x' })).toThrow(/http\(s\)/);
  });
});
