/**
 * GET /admin/audit: filters by user, type and time range (RFC 3339; since inclusive, until
 * exclusive), newest first, cursor pagination, and a 400 naming the field for a bad filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call } from '../helpers/http.js';
import { freshEmail, givenAccount, login, sessionOf } from './admin-fixtures.js';

const HOUR = 3_600_000;
let t: TestApp;
let admin: string;
let userId: string;
const times: number[] = [];
const iso = (ms: number) => new Date(ms).toISOString();
const audit = (q: string) => call(t.app, 'GET', `/admin/audit?${q}`, { token: admin });

beforeAll(async () => {
  t = await startTestApp();
  const adminEmail = freshEmail('admin');
  await givenAccount(t, adminEmail, ['admin']);
  const email = freshEmail('watched');
  userId = await givenAccount(t, email);
  times.push(t.clock.now()); // user.created
  t.clock.advance(HOUR);
  times.push(t.clock.now());
  await login(t, email);
  t.clock.advance(HOUR);
  times.push(t.clock.now());
  await call(t.app, 'POST', '/auth/login', { body: { email, password: 'not the password!' } });
  t.clock.advance(HOUR);
  times.push(t.clock.now());
  await login(t, email);
  // Signed in last: the clock moved hours, past an access token's 15 minutes.
  admin = await sessionOf(t, adminEmail);
});
afterAll(async () => t?.close());

describe('GET /admin/audit', () => {
  it("lists a user's events newest first, in the documented shape", async () => {
    const res = await audit(`user_id=${userId}`);
    expect(res.status).toBe(200);
    expect(res.body.events.map((e: any) => e.type)).toEqual(['login.succeeded', 'login.failed', 'login.succeeded', 'user.created']);
    expect(res.body.events.map((e: any) => e.at)).toEqual([...times].reverse().map(iso));
    expect(Object.keys(res.body.events[0]).sort()).toEqual(['actor_id', 'at', 'details', 'id', 'ip', 'type', 'user_agent', 'user_id']);
    expect(JSON.stringify(res.body)).not.toContain('not the password');
    expect(res.body.next_cursor).toBeNull();
  });

  it('filters by type and by time range', async () => {
    expect((await audit(`user_id=${userId}&type=login.failed`)).body.events.map((e: any) => e.at)).toEqual([iso(times[2])]);
    const since = await audit(`user_id=${userId}&since=${encodeURIComponent(iso(times[2]))}`);
    expect(since.body.events.map((e: any) => e.at)).toEqual([iso(times[3]), iso(times[2])]);
    const until = await audit(`user_id=${userId}&until=${encodeURIComponent(iso(times[2]))}`);
    expect(until.body.events.map((e: any) => e.at)).toEqual([iso(times[1]), iso(times[0])]);
    // An offset other than Z means the same instant.
    const local = new Date(times[1] + 2 * HOUR).toISOString().replace('Z', '+02:00');
    const window = await audit(`user_id=${userId}&since=${encodeURIComponent(local)}&until=${encodeURIComponent(iso(times[3]))}`);
    expect(window.body.events.map((e: any) => e.type)).toEqual(['login.failed', 'login.succeeded']);
  });

  it('pages with the cursor until next_cursor is null', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await audit(`user_id=${userId}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...res.body.events.map((e: any) => e.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(all).toEqual((await audit(`user_id=${userId}`)).body.events.map((e: any) => e.id));
  });

  it('filters across users by type, and records the admin reads too', async () => {
    const res = await audit('type=admin.action&limit=100');
    expect(res.body.events.length).toBeGreaterThan(3);
    expect(res.body.events.every((e: any) => e.type === 'admin.action')).toBe(true);
  });

  it.each([
    ['since=yesterday', 'since'],
    ['until=2026-13-01T00:00:00Z', 'until'],
    [`since=${encodeURIComponent('2026-02-01T00:00:00Z')}&until=${encodeURIComponent('2026-01-01T00:00:00Z')}`, 'until'],
    ['cursor=abc', 'cursor'],
    ['limit=0', 'limit'],
    [`type=${'t'.repeat(101)}`, 'type'],
    ['actor=me', ''],
  ])('answers 400 naming the field for %s', async (q, field) => {
    const res = await audit(q);
    expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
    if (field) expect(res.body.field).toBe(field);
  });
});
