/**
 * The Limiter on each backend: SQLite (the store's file), PostgreSQL (the store's database) and
 * Redis. Budgets are exact under concurrency, survive a restart and are shared by processes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Budget, LimitBucket, Limiter } from '../../src/core/ports.js';
import { createLimiter, type OpenedStore } from '../../src/store/index.js';
import { databaseTargets, redisOrSkip, skipCasesIf } from '../helpers/databases.js';

interface LimiterTarget {
  name: string;
  skipReason?: string;
  /** A limiter as one process would build it; `close` ends that "process". */
  open(budgets: (b: LimitBucket) => Budget): Promise<{ limiter: Limiter; close(): Promise<void> }>;
  cleanup(): Promise<void>;
}

const [sqlite, postgres] = await databaseTargets();
const redis = await redisOrSkip();
// Redis needs a store to hang on (createLimiter takes the opened store): a throwaway SQLite one.
const [redisHost] = await databaseTargets();

function onDatabase(target: typeof sqlite): LimiterTarget {
  return {
    name: target.name,
    skipReason: target.skipReason,
    async open(budgets) {
      const opened = await target.open();
      return { limiter: await createLimiter(opened, { budgets }), close: () => opened.close() };
    },
    cleanup: () => target.cleanup(),
  };
}

let redisHostStore: OpenedStore | undefined;
const onRedis: LimiterTarget = {
  name: 'redis',
  skipReason: redis.skipReason,
  async open(budgets) {
    redisHostStore ??= await redisHost.open();
    const client = redis.client();
    return {
      limiter: await createLimiter(redisHostStore, { redis: client, budgets }),
      close: async () => void (await client.quit()),
    };
  },
  async cleanup() {
    await redis.cleanup();
    await redisHost.cleanup();
  },
};

const targets: LimiterTarget[] = [onDatabase(sqlite), onDatabase(postgres), onRedis];

describe.each(targets)('Limiter on $name', (target) => {
  // Every case opens its own limiters ("processes"); the databases go at the end.
  skipCasesIf(target.skipReason);
  afterAll(() => target.cleanup());

  /** A fresh key per case: Redis outlives test runs. */
  const key = () => `k-${randomUUID()}`;
  const budgetsOf = (b: Budget) => () => b;

  it('50 parallel consumes on a budget of 10: exactly 10 allowed', async () => {
    const { limiter, close } = await target.open(budgetsOf({ points: 10, durationS: 60 }));
    const k = key();
    const got = await Promise.all(Array.from({ length: 50 }, () => limiter.consume('login_account', k)));
    const allowed = got.filter((r) => r.allowed);
    expect(allowed).toHaveLength(10);
    expect(allowed.map((r) => r.remaining).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const r of got.filter((x) => !x.allowed)) {
      expect(r.remaining).toBe(0);
      expect(r.retryAfterS).toBeGreaterThan(0);
      expect(r.retryAfterS).toBeLessThanOrEqual(60);
    }
    await close();
  });

  it('reward gives a point back, never more than was taken', async () => {
    const { limiter, close } = await target.open(budgetsOf({ points: 3, durationS: 60 }));
    const k = key();
    // Rewarding an untouched key must not create extra budget.
    await limiter.reward('mfa_user', k, 5);
    for (let i = 0; i < 3; i++) expect((await limiter.consume('mfa_user', k)).allowed).toBe(true);
    expect((await limiter.peek('mfa_user', k)).allowed).toBe(false);
    await limiter.reward('mfa_user', k);
    expect((await limiter.peek('mfa_user', k)).allowed).toBe(true);
    expect((await limiter.consume('mfa_user', k)).allowed).toBe(true);
    expect((await limiter.consume('mfa_user', k)).allowed).toBe(false);
    await close();
  });

  it('peek reads without consuming; reset forgets the key', async () => {
    const { limiter, close } = await target.open(budgetsOf({ points: 4, durationS: 60 }));
    const k = key();
    expect(await limiter.peek('login_ip', k)).toEqual({ allowed: true, retryAfterS: 0, remaining: 4 });
    await limiter.consume('login_ip', k, 3);
    expect(await limiter.peek('login_ip', k)).toEqual({ allowed: true, retryAfterS: 0, remaining: 1 });
    expect(await limiter.peek('login_ip', k)).toEqual({ allowed: true, retryAfterS: 0, remaining: 1 });
    expect((await limiter.consume('login_ip', k)).allowed).toBe(true);
    const spent = await limiter.peek('login_ip', k);
    expect(spent.allowed).toBe(false);
    expect(spent.remaining).toBe(0);
    expect(spent.retryAfterS).toBeGreaterThan(0);
    await limiter.reset('login_ip', k);
    expect(await limiter.peek('login_ip', k)).toEqual({ allowed: true, retryAfterS: 0, remaining: 4 });
    expect((await limiter.consume('login_ip', k)).allowed).toBe(true);
    await close();
  });

  it('blockS blocks the key that long once the budget is spent', async () => {
    const { limiter, close } = await target.open(budgetsOf({ points: 2, durationS: 5, blockS: 900 }));
    const k = key();
    await limiter.consume('mfa_user', k);
    await limiter.consume('mfa_user', k);
    const refused = await limiter.consume('mfa_user', k);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterS).toBeGreaterThan(890);
    expect(refused.retryAfterS).toBeLessThanOrEqual(900);
    const peeked = await limiter.peek('mfa_user', k);
    expect(peeked.allowed).toBe(false);
    expect(peeked.retryAfterS).toBeGreaterThan(890);
    await close();
  });

  it('the window ends: a spent key is allowed again after durationS', async () => {
    const { limiter, close } = await target.open(budgetsOf({ points: 1, durationS: 1 }));
    const k = key();
    expect((await limiter.consume('otp_send_gap', k)).allowed).toBe(true);
    const refused = await limiter.consume('otp_send_gap', k);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterS: 1 });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await limiter.consume('otp_send_gap', k)).allowed).toBe(true);
    await close();
  });

  it('budgets are read at every call; counters carry over a change', async () => {
    let budget: Budget = { points: 3, durationS: 60 };
    const { limiter, close } = await target.open(() => budget);
    const k = key();
    for (let i = 0; i < 3; i++) await limiter.consume('password_forgot', k);
    expect((await limiter.consume('password_forgot', k)).allowed).toBe(false);
    budget = { points: 6, durationS: 60 };
    // 4 points are counted (3 allowed + 1 refused): 2 more fit in the larger budget.
    expect((await limiter.consume('password_forgot', k)).allowed).toBe(true);
    expect((await limiter.consume('password_forgot', k)).allowed).toBe(true);
    expect((await limiter.consume('password_forgot', k)).allowed).toBe(false);
    await close();
  });

  it('keys are separate per bucket', async () => {
    const { limiter, close } = await target.open(budgetsOf({ points: 1, durationS: 60 }));
    const k = key();
    expect((await limiter.consume('login_account', k)).allowed).toBe(true);
    expect((await limiter.consume('login_account', k)).allowed).toBe(false);
    expect((await limiter.consume('login_ip', k)).allowed).toBe(true);
    expect((await limiter.peek('otp_send_hour', k)).allowed).toBe(true);
    await close();
  });

  it('the budget survives closing and reopening (a restart)', async () => {
    const budgets = budgetsOf({ points: 10, durationS: 60 });
    const k = key();
    const first = await target.open(budgets);
    for (let i = 0; i < 4; i++) await first.limiter.consume('login_account', k);
    await first.close();
    const second = await target.open(budgets);
    expect((await second.limiter.peek('login_account', k)).remaining).toBe(6);
    const got = await Promise.all(Array.from({ length: 10 }, () => second.limiter.consume('login_account', k)));
    expect(got.filter((r) => r.allowed)).toHaveLength(6);
    await second.close();
  });

  it('two independently opened limiters (two processes) share one budget', async () => {
    const budgets = budgetsOf({ points: 10, durationS: 60 });
    const a = await target.open(budgets);
    const b = await target.open(budgets);
    const k = key();
    const got = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).limiter.consume('login_ip', k)),
    );
    expect(got.filter((r) => r.allowed)).toHaveLength(10);
    expect((await a.limiter.peek('login_ip', k)).allowed).toBe(false);
    await b.limiter.reset('login_ip', k);
    expect((await a.limiter.peek('login_ip', k)).allowed).toBe(true);
    await a.close();
    await b.close();
  });
});

describe('the SQLite limiter', () => {
  it('still finds the library hooks it replaces (a rename would quietly bring back a transaction per call, outside the commit group)', async () => {
    const { RateLimiterSQLite } = await import('rate-limiter-flexible');
    const proto = RateLimiterSQLite.prototype as unknown as Record<string, unknown>;
    expect(typeof proto._upsertTransactionBetterSQLite3).toBe('function');
    expect(typeof proto._delete).toBe('function');
  });
});
