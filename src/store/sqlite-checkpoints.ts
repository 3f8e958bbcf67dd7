/**
 * WAL checkpoints without the long fsync on the event loop.
 *
 * SQLite's own automatic checkpoint runs on the connection that committed, here the event loop:
 * after the commit that brings the WAL to 1,000 frames it syncs the WAL (all of those frames),
 * copies the newest version of each page into the database file, syncs the database file, and
 * at the next write starts the WAL over, syncing its header. Measured on the bench VM
 * (bench/README.md, seventh round), that was 10.5-12 ms, 3-3.6 ms and 0.6 ms: 15 ms of every
 * request in flight waiting, about every 140 TOTP verifications, which made the verify's p99.
 *
 * Here the same checkpoint, SQLite's own `wal_checkpoint(PASSIVE)` with the connection's own
 * `synchronous` setting, runs at a moment chosen so that its syncs find little to do:
 *
 * 1. When about as many frames as SQLite's default are in the WAL, a reader connection begins
 *    a read transaction (its snapshot pins the checkpoint at the frames written so far), and
 *    the WAL file is synced on libuv's thread pool (`fdatasync`).
 * 2. When that sync is done and the connection is between transactions, the checkpoint runs.
 *    Its own sync of the WAL now finds only the frames written meanwhile; it copies the frames
 *    up to the reader's snapshot. Such a checkpoint stops short of the WAL's end, and SQLite
 *    skips the database file's sync for it: nobody can start the WAL over before a checkpoint
 *    reaches the end, and that one syncs the file (sqlite.org/wal.html; `walCheckpoint` in
 *    SQLite's wal.c). Then the reader ends.
 * 3. Once the WAL holds `restartFrames`, one cycle runs without the reader: its checkpoint
 *    reaches the end, syncs the database file, and the next write starts the WAL over. So the
 *    WAL file stays bounded (about `restartFrames` frames of 4 KiB plus a cycle's worth).
 *
 * Every sync that guards the data is still SQLite's own, in SQLite's order; this module only
 * adds an earlier sync of the WAL (which can never hurt) and a reader (which SQLite must
 * tolerate anyway). If the pool's sync fails or hangs, the checkpoint runs all the same: it
 * syncs the WAL itself. The WAL file is opened only for that sync: SQLite holds no file locks
 * on it (only on the database file and the -shm, which this module never opens, since closing
 * any descriptor of a file drops the process's POSIX locks on it).
 */
import { closeSync, fdatasync, openSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';

export interface WalCheckpointOptions {
  /** The database file; the WAL is this path with `-wal`. */
  file: string;
  /** Frames in the WAL that start a cycle. @default 1000 (SQLite's wal_autocheckpoint) */
  cycleFrames?: number;
  /** Frames in the WAL after which the next cycle reaches the end and the WAL starts over. @default 8 x cycleFrames */
  restartFrames?: number;
  /** Frames a commit writes, until the first checkpoint tells. @default 8 (a sign-in's group writes 5-30) */
  framesPerCommit?: number;
  /** Sync a file descriptor off the event loop. @default node:fs fdatasync (libuv's pool) */
  sync?: (fd: number) => Promise<void>;
}

/** What one checkpoint did, as SQLite reports it. */
export interface CheckpointResult {
  /** Frames in the WAL. */
  log: number;
  /** Frames copied into the database file, in all (the WAL's backfill mark). */
  checkpointed: number;
  /** Whether the reader's snapshot held the checkpoint back from the WAL's end. */
  pinned: boolean;
}

const linkOf = (fd: number): string | null => {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return null;
  }
};

const realPath = (file: string): string => {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
};

const fsSync = (fd: number) => new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));

/** A cycle whose pool sync is this many cycles late gives up waiting for it. */
const STALL_CYCLES = 4;

export class WalCheckpoints {
  readonly #db: BetterSqlite3.Database;
  readonly #cycleFrames: number;
  readonly #restartFrames: number;
  readonly #sync: (fd: number) => Promise<void>;
  readonly #realFile: string;
  #dbFd: number | null = null;
  #reader: BetterSqlite3.Database | null = null;
  #pinned = false;
  /** The cycle in flight: its pool sync pending, or done (`ready`) and the checkpoint not yet run. */
  #cycle: { ready: boolean } | null = null;
  #commits = 0;
  #framesPerCommit: number;
  #lastLog = 0;
  #restartNext = false;
  #closed = false;
  /** The last checkpoint's result; for tests and diagnostics. */
  last: CheckpointResult | null = null;
  /** Checkpoints run, and pool syncs started. */
  readonly counts = { checkpoints: 0, syncs: 0 };

  constructor(db: BetterSqlite3.Database, opts: WalCheckpointOptions) {
    this.#db = db;
    // Absolute, as SQLite resolved it at open (and as /proc/self/fd shows it).
    this.#realFile = realPath(opts.file);
    this.#cycleFrames = opts.cycleFrames ?? 1000;
    this.#restartFrames = opts.restartFrames ?? 8 * this.#cycleFrames;
    this.#sync = opts.sync ?? fsSync;
    this.#framesPerCommit = opts.framesPerCommit ?? 8;
    db.pragma('wal_autocheckpoint = 0');
  }

  /** Frames written since the last checkpoint, as far as the commits tell. */
  get #pendingFrames(): number {
    return this.#commits * this.#framesPerCommit;
  }

  /**
   * Called right after each commit of the connection (or its failure): it is free now. Never
   * throws: should anything here fail unexpectedly, SQLite's own automatic checkpoint takes
   * over again, and the commit that called is not the one to suffer.
   */
  afterCommit(): void {
    if (this.#closed) return;
    try {
      this.#afterCommit();
    } catch {
      this.#fallBack();
    }
  }

  #afterCommit(): void {
    this.#commits++;
    const cycle = this.#cycle;
    if (cycle?.ready) this.#checkpoint();
    else if (cycle) {
      // The pool has not synced for several cycles' worth of frames (a full pool, a stalled
      // disk): checkpoint now, as SQLite would have, syncing on the event loop.
      // Without the reader, so that this one reaches the WAL's end.
      if (this.#pendingFrames >= STALL_CYCLES * this.#cycleFrames) {
        this.#unpin();
        this.#checkpoint();
      }
    } else if (this.#pendingFrames >= this.#cycleFrames) this.#start();
  }

  #start(): void {
    const cycle = { ready: false };
    this.#cycle = cycle;
    const restart = this.#restartNext;
    if (!restart) this.#pin();
    const syncs: Promise<void>[] = [];
    let walFd: number | null = null;
    try {
      walFd = openSync(`${this.#realFile}-wal`, 'r');
    } catch {
      // No WAL file (nothing written yet): nothing to sync first.
    }
    try {
      if (walFd !== null) syncs.push(this.#sync(walFd));
    } catch (err) {
      closeSync(walFd!);
      throw err;
    }
    // The cycle that reaches the WAL's end syncs the database file: first here, the pages the
    // cycles before copied, so that SQLite's sync after the copy finds only this cycle's.
    const dbFd = restart ? this.#databaseDescriptor() : null;
    if (dbFd !== null) syncs.push(this.#sync(dbFd));
    this.counts.syncs += syncs.length;
    // A failed sync changes nothing: the checkpoint syncs the WAL itself.
    void Promise.allSettled(syncs).then(() => {
      try {
        if (walFd !== null) closeSync(walFd);
      } catch {
        // Closed already.
      }
      cycle.ready = true;
      this.#whenSynced(cycle);
    });
  }

  /**
   * A descriptor of the database file that SQLite holds open (Linux: /proc/self/fd), checked
   * before each use. Never one of our own: closing it would drop SQLite's locks on the file.
   */
  #databaseDescriptor(): number | null {
    const fd = this.#dbFd;
    if (fd !== null && linkOf(fd) === this.#realFile) return fd;
    this.#dbFd = null;
    try {
      for (const name of readdirSync('/proc/self/fd')) {
        if (linkOf(Number(name)) === this.#realFile) return (this.#dbFd = Number(name));
      }
    } catch {
      // No /proc: SQLite's own sync after the copy does it all.
    }
    return null;
  }

  /** The pool sync is done: checkpoint now if the connection is between transactions, else after the next commit. */
  #whenSynced(cycle: { ready: boolean }): void {
    if (this.#closed || this.#cycle !== cycle || this.#db.inTransaction) return;
    try {
      this.#checkpoint();
    } catch {
      this.#fallBack();
    }
  }

  /** Hand checkpoints back to SQLite (its default: after the commit that reaches 1,000 frames). */
  #fallBack(): void {
    this.close();
    if (this.#db.open) this.#db.pragma('wal_autocheckpoint = 1000');
  }

  #checkpoint(): void {
    this.#cycle = null;
    const pinned = this.#pinned;
    let row: { busy: number; log: number; checkpointed: number } | undefined;
    try {
      [row] = this.#db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    } finally {
      this.#unpin();
    }
    this.counts.checkpoints++;
    if (!row || row.log < 0) return;
    const commits = this.#commits;
    this.#commits = 0;
    // The frames this process's commits wrote since the last checkpoint: the WAL's growth,
    // or all of it when it started over since.
    const grown = row.log >= this.#lastLog ? row.log - this.#lastLog : row.log;
    if (commits > 0 && grown > 0) this.#framesPerCommit = (this.#framesPerCommit + grown / commits) / 2;
    this.#lastLog = row.checkpointed === row.log ? 0 : row.log;
    this.#restartNext = row.checkpointed < row.log && row.log >= this.#restartFrames;
    this.last = { log: row.log, checkpointed: row.checkpointed, pinned };
  }

  /**
   * Begin a read transaction on a second connection: its snapshot holds this cycle's
   * checkpoint at the frames written so far. (A WAL already copied to its end gives a reader
   * no frames to hold; the checkpoint then reaches the end, as SQLite's own would, syncs the
   * database file and lets the WAL start over.)
   */
  #pin(): void {
    try {
      // timeout 0: never asleep in SQLite's busy handler on the event loop.
      this.#reader ??= new BetterSqlite3(this.#realFile, { fileMustExist: true, timeout: 0 });
      this.#reader.prepare('begin').run();
      this.#reader.prepare('select count(*) from sqlite_master').pluck().get();
      this.#pinned = true;
    } catch {
      // No reader this time (another process in WAL recovery, say): this cycle's checkpoint
      // runs as SQLite's own would, to the WAL's end and with its syncs.
      if (this.#reader?.inTransaction) this.#reader.prepare('rollback').run();
    }
  }

  #unpin(): void {
    if (!this.#pinned) return;
    this.#pinned = false;
    this.#reader!.prepare('commit').run();
  }

  /** Before the connection closes (its own close checkpoints the rest, as SQLite's does). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cycle = null;
    if (this.#reader) {
      this.#pinned = false;
      this.#reader.close();
      this.#reader = null;
    }
  }
}
