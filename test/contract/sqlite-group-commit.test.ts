/**
 * Group commit on SQLite (src/store/sqlite-group-commit.ts): the writes of one event-loop turn
 * commit together, and still every caller sees what it saw before: a write resolves once it is
 * durable, a store transaction is atomic and isolated, and another process's write lock is
 * waited for without stopping the event loop. A second connection on the same file stands in
 * for another process, and watches what is durable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { createLimiter } from '../../src/store/limiter.js';
import { GroupCommitSqliteDialect } from '../../src/store/sqlite-group-commit-dialect.js';

interface Db {
  t: { k: string; v: number };
}

describe('SQLite group commit', () => {
  let dir: string;
  let handle: BetterSqlite3.Database;
  let db: Kysely<Db>;
  let other: BetterSqlite3.Database;
  let commits: number;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'twofold-group-commit-'));
    const file = path.join(dir, 'g.db');
    handle = new BetterSqlite3(file);
    handle.pragma('journal_mode = WAL');
    handle.exec('create table t (k text primary key, v integer not null)');
    // Counts the COMMIT statements the group commit runs on the handle.
    commits = 0;
    const prepare = handle.prepare.bind(handle);
    handle.prepare = ((source: string) => {
      if (source === 'commit') commits++;
      return prepare(source);
    }) as typeof handle.prepare;
    db = new Kysely<Db>({ dialect: new GroupCommitSqliteDialect(handle, { busyTimeoutMs: 2000 }) });
    other = new BetterSqlite3(file, { timeout: 0 });
  });
  afterEach(async () => {
    other.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const durable = (k: string) => other.prepare('select v from t where k = ?').get(k) as { v: number } | undefined;
  const insert = (k: string, v = 1) => db.insertInto('t').values({ k, v }).execute();

  it('commits the writes of one loop turn together, and resolves each only once it is durable', async () => {
    const writes = Array.from({ length: 8 }, (_, i) => insert(`k${i}`));
    // Issued, not yet committed: nobody else sees them, and none has resolved.
    expect(durable('k0')).toBeUndefined();
    let resolved = 0;
    for (const w of writes) void w.then(() => resolved++);
    await Promise.resolve();
    expect(resolved).toBe(0);
    await Promise.all(writes);
    for (let i = 0; i < 8; i++) expect(durable(`k${i}`)?.v).toBe(1);
    expect(commits).toBe(1);
  });

  it('lets a read see this process\'s writes at once, before they commit', async () => {
    const w = insert('a', 7);
    expect((await db.selectFrom('t').select('v').where('k', '=', 'a').executeTakeFirst())?.v).toBe(7);
    await w;
  });

  it('keeps a store transaction to itself: a query issued meanwhile runs after it, and survives its rollback', async () => {
    let outside: Promise<unknown> | undefined;
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ k: 'in', v: 1 }).execute();
        // Another caller's write and read while the transaction waits for something.
        outside = Promise.all([insert('out'), db.selectFrom('t').selectAll().execute()]);
        await new Promise((r) => setTimeout(r, 20));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const [, seen] = (await outside) as [unknown, { k: string }[]];
    // The read ran after the transaction ended: it never saw the rolled-back row.
    expect(seen.map((r) => r.k)).toEqual(['out']);
    expect(durable('in')).toBeUndefined();
    expect(durable('out')?.v).toBe(1);
  });

  it('rolls back one store transaction without touching the others in its group', async () => {
    const good = db.transaction().execute((trx) => trx.insertInto('t').values({ k: 'good', v: 1 }).execute());
    const bad = db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ k: 'bad', v: 1 }).execute();
      await trx.insertInto('t').values({ k: 'good', v: 2 }).execute(); // primary key taken
    });
    await expect(bad).rejects.toThrow(/UNIQUE/);
    await good;
    expect(durable('good')?.v).toBe(1);
    expect(durable('bad')).toBeUndefined();
  });

  it('resolves a store transaction only once its rows are durable', async () => {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ k: 'tx', v: 3 }).execute();
      expect(durable('tx')).toBeUndefined();
    });
    expect(durable('tx')?.v).toBe(3);
  });

  it('rejects every write of a group that SQLite rolled back, and the transaction open in it', async () => {
    handle.exec("create trigger boom before insert on t when new.k = 'boom' begin select raise(rollback, 'disk on fire'); end");
    const first = insert('first');
    const trx = db.transaction().execute(async (t) => {
      await t.insertInto('t').values({ k: 'boom', v: 1 }).execute().catch(() => {});
      // The group is gone: the transaction may not go on as if its first row were kept.
      await t.insertInto('t').values({ k: 'after', v: 1 }).execute();
    });
    await expect(first).rejects.toThrow('disk on fire');
    await expect(trx).rejects.toThrow('disk on fire');
    expect(durable('first')).toBeUndefined();
    expect(durable('after')).toBeUndefined();
    // The next write starts a fresh group.
    await insert('next');
    expect(durable('next')?.v).toBe(1);
  });

  it("waits for another process's write lock without stopping the event loop", async () => {
    other.exec('begin immediate');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const w = insert('late');
    await new Promise((r) => setTimeout(r, 100));
    expect(durable('late')).toBeUndefined();
    other.exec('commit');
    await w;
    clearInterval(timer);
    expect(durable('late')?.v).toBe(1);
    // SQLite's own busy handler would have slept on this thread for the whole 100 ms.
    expect(ticks).toBeGreaterThan(5);
  });

  it('gives up with SQLITE_BUSY when the other writer outlasts the busy timeout', async () => {
    const quick = new Kysely<Db>({ dialect: new GroupCommitSqliteDialect(new BetterSqlite3(path.join(dir, 'g.db')), { busyTimeoutMs: 50 }) });
    other.exec('begin immediate');
    try {
      await expect(quick.insertInto('t').values({ k: 'never', v: 1 }).execute()).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    } finally {
      other.exec('rollback');
      await quick.destroy();
    }
  });

  it('treats raw BEGIN, COMMIT and ROLLBACK on one connection as a store transaction', async () => {
    await db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      await conn.insertInto('t').values({ k: 'raw', v: 1 }).execute();
      // Holding the write lock: the other connection cannot write.
      expect(() => other.prepare("insert into t values ('x', 1)").run()).toThrow(/locked|BUSY/);
      await sql`rollback`.execute(conn);
    });
    expect(durable('raw')).toBeUndefined();
    await db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await conn.insertInto('t').values({ k: 'raw', v: 2 }).execute();
      await sql`commit`.execute(conn);
    });
    expect(durable('raw')?.v).toBe(2);
    await expect(sql`commit`.execute(db)).rejects.toThrow(/no transaction/);
  });

  it('commits what is open when the store closes', async () => {
    const w = insert('last');
    // The write has run (this process sees it) but is not committed yet when the store closes.
    expect(await db.selectFrom('t').select('k').execute()).toEqual([{ k: 'last' }]);
    expect(durable('last')).toBeUndefined();
    await db.destroy();
    await w;
    expect(durable('last')?.v).toBe(1);
    db = new Kysely<Db>({ dialect: new GroupCommitSqliteDialect(new BetterSqlite3(path.join(dir, 'g.db')), { busyTimeoutMs: 100 }) });
  });
});

describe('the SQLite rate limiter in the commit group', () => {
  it("waits for another process's write lock without stopping the event loop, and resolves once durable", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'twofold-group-limiter-'));
    const opened = await openStore({ dataDir: dir });
    const limiter = await createLimiter(opened, { budgets: () => ({ points: 3, durationS: 60 }) });
    const other = new BetterSqlite3(path.join(dir, 'twofold.db'), { timeout: 0 });
    const points = () => (other.prepare("select points from rate_limits where key like '%k1'").get() as { points: number } | undefined)?.points;
    try {
      other.exec('begin immediate');
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const consumed = limiter.consume('login_ip', 'k1');
      await new Promise((r) => setTimeout(r, 100));
      // The rate limiter's own busy handling would have slept on this thread all along.
      expect(ticks).toBeGreaterThan(5);
      other.exec('commit');
      expect((await consumed).remaining).toBe(2);
      clearInterval(timer);
      // Resolved means committed: another connection sees the point taken.
      expect(points()).toBe(1);
      await limiter.reset('login_ip', 'k1');
      expect(points()).toBeUndefined();
    } finally {
      other.close();
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
