import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** `/auth/passkey/options` is unauthenticated and stores a challenge: it is budgeted per address. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const options = (ip: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/passkey/options', remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: '{}' });

describe('passkey options budget', () => {
  it('allows 60 a minute per address, then 429 with Retry-After; other addresses are unaffected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await options('198.51.100.7')).statusCode);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    const last = await options('198.51.100.7');
    expect(last.statusCode).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(last.json().code).toBe('rate_limited');
    expect((await options('198.51.100.8')).statusCode).toBe(200);
  });
});
