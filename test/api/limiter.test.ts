/**
 * One limiter for every budget (src/store/limiter.ts, rate-limiter-flexible), in the database
 * by default (SQLite, PostgreSQL) and in Redis when REDIS_URL is set: the budget is taken
 * before anything is evaluated, so parallel guesses never get more evaluations than the budget,
 * and the counters outlive the process.
 *
 * Every request comes from its own address (app.inject's remoteAddress): the per-account and
 * per-user budgets are the ones under test, and Redis is shared with other test files, whose
 * 127.0.0.1 counters must not leak in. PostgreSQL or Redis unreachable: skipped with the
 * reason printed, or a failure with CI=true.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { wrong } from '../helpers/codes.js';
import { createPostgresDatabase, postgresSkipReason, REDIS_URL, redisOrSkip, skipCasesIf } from '../helpers/databases.js';
import { call, STRONG } from '../helpers/http.js';
import { codeAt, enrolTotp } from '../helpers/mfa.js';

const pgSkip = await postgresSkipReason('the PostgreSQL limiter cases');
const redisTarget = await redisOrSkip();

interface Backend {
  name: 'sqlite' | 'postgres' | 'redis';
  skip: string | undefined;
}
const BACKENDS: Backend[] = [
  { name: 'sqlite', skip: undefined },
  { name: 'postgres', skip: pgSkip },
  { name: 'redis', skip: redisTarget.skipReason },
];

/** A fresh address per request: 10.<run>.<n>.<n>, unique within the run. */
const run = randomBytes(1)[0];
let ipSeq = 0;
const nextIp = (): string => {
  const n = ++ipSeq;
  return `10.${run}.${(n >> 8) & 255}.${n & 255}`;
};
/** Unique across runs too: Redis keeps counters of earlier runs for their 15 minutes. */
const freshEmail = (prefix: string): string => `${prefix}.${randomUUID().slice(0, 8)}@example.com`;

interface Answer {
  status: number;
  body: { code?: string; mfa_token?: string; access_token?: string };
  retryAfter: number;
}

async function post(app: FastifyInstance, url: string, body: unknown): Promise<Answer> {
  const res = await app.inject({ method: 'POST', url: `/api/v1${url}`, remoteAddress: nextIp(), headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  return { status: res.statusCode, body: res.json(), retryAfter: Number(res.headers['retry-after'] ?? 0) };
}

const login = (app: FastifyInstance, email: string, password: string) => post(app, '/auth/login', { email, password });

const tally = (answers: Answer[]) => {
  const out: Record<string, number> = {};
  for (const a of answers) out[`${a.status} ${a.body.code ?? 'ok'}`] = (out[`${a.status} ${a.body.code ?? 'ok'}`] ?? 0) + 1;
  return out;
};

/** Where one backend keeps its data and limits; the same for a restarted app. */
interface Place {
  env: Record<string, string>;
  dataDir: string;
  drop(): Promise<void>;
}

async function placeFor(b: Backend): Promise<Place> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `twofold-limiter-${b.name}-`));
  const pg = b.name === 'postgres' ? await createPostgresDatabase() : undefined;
  return {
    env: { ...(pg ? { DATABASE_URL: pg.url } : {}), ...(b.name === 'redis' ? { REDIS_URL } : {}) },
    dataDir,
    async drop() {
      await pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

afterAll(() => redisTarget.cleanup());

describe.each(BACKENDS)('the limiter on $name', (backend) => {
  let place: Place;
  let t: TestApp;
  beforeAll(async () => {
    if (backend.skip) return;
    place = await placeFor(backend);
    t = await startTestApp({ dataDir: place.dataDir, env: place.env });
  });
  afterAll(async () => {
    await t?.close();
    await place?.drop();
  });
  skipCasesIf(backend.skip);

  it('50 parallel wrong logins on one account: 10 evaluated (401), 40 refused (429)', async () => {
    const email = freshEmail('parallel');
    expect((await call(t.app, 'POST', '/auth/register', { body: { email, password: STRONG } })).status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 50 }, () => login(t.app, email, 'not the password at all')));
    expect(tally(answers)).toEqual({ '401 invalid_credentials': 10, '429 rate_limited': 40 });
    for (const a of answers.filter((x) => x.status === 429)) expect(a.retryAfter).toBeGreaterThan(0);
    // The right password is refused too while the account's budget is spent.
    expect((await login(t.app, email, STRONG)).status).toBe(429);

    // Where the counter lives: the database by default, Redis when configured.
    if (backend.name === 'redis') {
      const r = new Redis(REDIS_URL);
      try {
        expect(await r.exists(`twofold:rl:login_account:${email}`)).toBe(1);
      } finally {
        r.disconnect();
      }
    } else {
      const rows = await sql<{ key: string }>`select key from rate_limits where key = ${`login_account:${email}`}`.execute(t.composed.opened.db);
      expect(rows.rows).toHaveLength(1);
    }
  });

  it('50 parallel wrong codes over 10 logins: the per-user budget lets 10 be evaluated, 40 get 429', async () => {
    const email = freshEmail('codes');
    expect((await call(t.app, 'POST', '/auth/register', { body: { email, password: STRONG } })).status).toBe(201);
    const first = await login(t.app, email, STRONG);
    const { secret } = await enrolTotp(t, first.body.access_token!);
    const tokens: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await login(t.app, email, STRONG);
      expect(res.body.mfa_token, JSON.stringify(res.body)).toBeTruthy();
      tokens.push(res.body.mfa_token!);
    }
    // 5 per token, each token's own limit: only the per-user budget can refuse.
    const bad = wrong(codeAt(t, secret));
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => post(t.app, '/auth/mfa/verify', { mfa_token: tokens[i % 10], method: 'totp', code: bad })));
    expect(tally(answers)).toEqual({ '401 invalid_code': 10, '429 rate_limited': 40 });
    // Locked: even the right code waits (API.md: then 429 for 15 minutes).
    const locked = await post(t.app, '/auth/mfa/verify', { mfa_token: (await login(t.app, email, STRONG)).body.mfa_token, method: 'totp', code: codeAt(t, secret) });
    expect(locked.status).toBe(429);
    expect(locked.retryAfter).toBeGreaterThan(800);
  });

  it('limits survive a restart on the same data', async () => {
    const here = await placeFor(backend);
    const email = freshEmail('restart');
    try {
      const before = await startTestApp({ dataDir: here.dataDir, env: here.env });
      try {
        expect((await call(before.app, 'POST', '/auth/register', { body: { email, password: STRONG } })).status).toBe(201);
        for (let i = 0; i < 10; i++) expect((await login(before.app, email, 'wrong password here')).status).toBe(401);
      } finally {
        await before.close();
      }
      const after = await startTestApp({ dataDir: here.dataDir, env: here.env });
      try {
        const res = await login(after.app, email, STRONG);
        expect(res.status).toBe(429);
        expect(res.retryAfter).toBeGreaterThan(0);
        expect(res.retryAfter).toBeLessThanOrEqual(900);
      } finally {
        await after.close();
      }
    } finally {
      await here.drop();
    }
  });
});
