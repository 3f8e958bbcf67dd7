/**
 * SQLite store transactions begin IMMEDIATE (src/store/sqlite-group-commit.ts): from its first
 * statement a transaction holds the file's write lock, so another process's writer waits for
 * it, and a transaction that reads before it writes never finds its snapshot gone stale.
 * A second connection on the same file stands in for the other process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../../src/store/index.js';
import { aUser } from './fixtures.js';

describe('SQLite store transactions', () => {
  let dir: string;
  let opened: OpenedStore;
  let other: BetterSqlite3.Database;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'twofold-immediate-'));
    opened = await openStore({ dataDir: dir });
    // Another process's connection, with a short busy timeout so a refused write shows quickly.
    other = new BetterSqlite3(path.join(dir, 'twofold.db'), { timeout: 50 });
  });
  afterAll(async () => {
    other?.close();
    await opened?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const otherWrites = () => other.prepare('insert into rate_limits (key, points, expire) values (?, 1, null)').run(`k-${Math.random()}`);

  it('hold the write lock from their first statement, a read included, until they end', async () => {
    const u = aUser();
    await opened.store.transaction(async (tx) => {
      expect(await tx.users.byId(u.id)).toBeUndefined();
      // Begun DEFERRED, this write would get in (and the transaction's own write below would
      // then fail with SQLITE_BUSY): begun IMMEDIATE, the other writer is held off.
      expect(otherWrites).toThrow(/database is locked|SQLITE_BUSY/);
      await tx.users.create(u);
    });
    expect((await opened.store.users.byId(u.id))?.email).toBe(u.email);
    // Once the transaction ends the other writer goes through.
    expect(otherWrites().changes).toBe(1);
  });
});
