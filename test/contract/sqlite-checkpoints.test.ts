/**
 * WAL checkpoints with their long syncs on the thread pool (src/store/sqlite-checkpoints.ts):
 * SQLite's automatic checkpoint is off, the WAL is synced before each checkpoint, a checkpoint
 * never runs inside a transaction, the WAL still starts over (so its file stays bounded), and
 * nothing is lost or left inconsistent, also when the pool's sync fails or never answers.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readlinkSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WalCheckpoints, type WalCheckpointOptions } from '../../src/store/sqlite-checkpoints.js';
import { openStore } from '../../src/store/index.js';
import { GroupCommitSqliteDialect } from '../../src/store/sqlite-group-commit-dialect.js';

interface Db {
  t: { id: number; body: string };
}

/** Frames of 4 KiB pages plus their 24-byte headers, after the WAL's 32-byte header. */
const FRAME_BYTES = 4096 + 24;

/** A sync the test settles by hand. */
function heldSync() {
  const calls: { fd: string; settle: (err?: Error) => void }[] = [];
  const sync = (fd: number) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ fd: readlinkSync(`/proc/self/fd/${fd}`), settle: (err) => (err ? reject(err) : resolve()) });
    });
  return { calls, sync };
}

/** Let promise callbacks and one loop turn run (the group commit commits at setImmediate). */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('SQLite WAL checkpoints off the event loop', () => {
  let dir: string;
  let file: string;
  let handle: BetterSqlite3.Database;
  let checkpoints: WalCheckpoints;
  let db: Kysely<Db>;
  let written: number;

  function open(opts: Omit<WalCheckpointOptions, 'file'>, at = file): void {
    handle = new BetterSqlite3(file);
    handle.pragma('journal_mode = WAL');
    handle.pragma('synchronous = NORMAL');
    handle.exec('create table if not exists t (id integer primary key, body text not null)');
    // One page-sized row a commit: about one frame each (the estimate learns it at the first checkpoint).
    checkpoints = new WalCheckpoints(handle, { framesPerCommit: 1, ...opts, file: at });
    db = new Kysely<Db>({ dialect: new GroupCommitSqliteDialect(handle, { busyTimeoutMs: 2000, checkpoints }) });
  }

  /** `n` commits of one page-sized row each. */
  async function write(n: number): Promise<void> {
    for (let i = 0; i < n; i++) await db.insertInto('t').values({ id: ++written, body: 'x'.repeat(3000) }).execute();
  }

  const walFrames = () => Math.max(0, (statSync(`${file}-wal`).size - 32) / FRAME_BYTES);

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'twofold-checkpoints-'));
    file = path.join(dir, 'c.db');
    written = 0;
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns SQLite’s own checkpoint off, syncs the WAL on the pool first, and copies only what that sync covered', async () => {
    const held = heldSync();
    open({ cycleFrames: 20, sync: held.sync });
    expect(handle.pragma('wal_autocheckpoint', { simple: true })).toBe(0);

    await write(30);
    // A cycle began: one sync, of the WAL file, and no checkpoint before it is done.
    expect(held.calls.map((c) => c.fd)).toEqual([realpathSync(`${file}-wal`)]);
    expect(checkpoints.counts.checkpoints).toBe(0);
    const framesAtSync = walFrames();

    await write(10);
    held.calls[0].settle();
    await turn();
    expect(checkpoints.counts.checkpoints).toBe(1);
    const last = checkpoints.last!;
    expect(last.pinned).toBe(true);
    // The rows written while the sync ran are in the WAL but were not copied: the checkpoint
    // stopped at the frames the sync covered.
    expect(last.log).toBeGreaterThan(framesAtSync);
    expect(last.checkpointed).toBeLessThanOrEqual(framesAtSync);
    expect(last.checkpointed).toBeGreaterThan(0);
  });

  it('waits for an open store transaction: a checkpoint never runs inside one', async () => {
    const held = heldSync();
    open({ cycleFrames: 10, sync: held.sync });
    await write(15);
    expect(held.calls).toHaveLength(1);

    await db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ id: ++written, body: 'in the transaction' }).execute();
      held.calls[0].settle();
      await turn();
      await turn();
      expect(checkpoints.counts.checkpoints).toBe(0);
    });
    // Right after the transaction's group committed.
    expect(checkpoints.counts.checkpoints).toBe(1);
  });

  it('still starts the WAL over under a steady writer, so its file stays bounded', async () => {
    open({ cycleFrames: 50, restartFrames: 200 });
    await write(3000);
    // Without a checkpoint that reaches the end, the WAL would hold all 3,000 commits' frames.
    // With them, at most restartFrames plus two cycles, each of which may run up to four
    // cycles' worth of frames late when the pool is slow (a loaded machine).
    expect(walFrames()).toBeLessThan(200 + 2 * 4 * 50);
    expect(checkpoints.counts.checkpoints).toBeGreaterThan(10);
    expect(checkpoints.counts.syncs).toBeGreaterThan(checkpoints.counts.checkpoints);

    // Nothing lost, nothing inconsistent, also read from the database file after a reopen.
    await db.destroy();
    const again = new BetterSqlite3(file);
    expect(again.prepare('select count(*) from t').pluck().get()).toBe(3000);
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    again.close();
    open({ cycleFrames: 50 });
  });

  it('checkpoints on the event loop, to the WAL’s end, when the pool’s sync never answers', async () => {
    const held = heldSync();
    open({ cycleFrames: 20, sync: held.sync });
    await write(150);
    // No sync ever answered, and still the WAL was checkpointed, without the reader, to its end.
    expect(checkpoints.counts.checkpoints).toBeGreaterThanOrEqual(1);
    const last = checkpoints.last!;
    expect(last.pinned).toBe(false);
    expect(last.checkpointed).toBe(last.log);
    // The late sync, when it comes at last, changes nothing.
    held.calls[0].settle();
    await turn();
    await write(1);
    expect(handle.prepare('select count(*) from t').pluck().get()).toBe(151);
  });

  it('checkpoints all the same when the pool’s sync fails (SQLite syncs the WAL itself)', async () => {
    const held = heldSync();
    open({ cycleFrames: 20, sync: held.sync });
    await write(30);
    held.calls[0].settle(new Error('EIO'));
    await turn();
    expect(checkpoints.counts.checkpoints).toBe(1);
    expect(checkpoints.last!.checkpointed).toBeGreaterThan(0);
  });

  it('closes with a sync in flight, and its late answer is ignored', async () => {
    const held = heldSync();
    open({ cycleFrames: 20, sync: held.sync });
    await write(30);
    await db.destroy();
    held.calls[0].settle();
    await turn();
    expect(checkpoints.counts.checkpoints).toBe(0);
    const again = new BetterSqlite3(file);
    expect(again.prepare('select count(*) from t').pluck().get()).toBe(30);
    again.close();
    open({ cycleFrames: 20 });
  });

  it('runs a cycle without the reader when the reader cannot begin, as SQLite’s own checkpoint would', async () => {
    open({ cycleFrames: 20 }, path.join(dir, 'missing.db'));
    await write(30);
    expect(checkpoints.counts.checkpoints).toBeGreaterThanOrEqual(1);
    expect(checkpoints.last!.pinned).toBe(false);
    expect(checkpoints.last!.checkpointed).toBe(checkpoints.last!.log);
    expect(handle.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
  });

  it('hands checkpoints back to SQLite when anything else fails, and the commits go on', async () => {
    open({
      cycleFrames: 20,
      sync: () => {
        throw new Error('no thread pool');
      },
    });
    await write(30);
    expect(handle.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await write(5);
    expect(handle.prepare('select count(*) from t').pluck().get()).toBe(35);
  });

  it('two processes writing one file, each checkpointing beside the other, lose nothing', async () => {
    // The schema first, so the two do not race to migrate.
    const dataDir = path.join(dir, 'shared');
    await (await openStore({ dataDir })).close();
    const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'checkpoint-writer-child.ts');
    const run = (tag: string) => promisify(execFile)(process.execPath, ['--import', 'tsx', child, dataDir, '4000', tag], { timeout: 60_000 });
    const outs = await Promise.all([run('one'), run('two')]);
    // Each checkpointed the shared WAL several times, syncing it on its pool first.
    for (const o of outs) {
      const counts = JSON.parse(o.stdout) as { checkpoints: number; syncs: number };
      expect(counts.checkpoints).toBeGreaterThanOrEqual(2);
      expect(counts.syncs).toBeGreaterThanOrEqual(counts.checkpoints);
    }

    const check = new BetterSqlite3(path.join(dataDir, 'twofold.db'));
    const byTag = check.prepare('select user_agent, count(*) as n from security_events group by user_agent order by user_agent').all();
    expect(byTag).toEqual([
      { user_agent: 'one', n: 4000 },
      { user_agent: 'two', n: 4000 },
    ]);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    open({ cycleFrames: 20 });
  }, 90_000);
});

