/**
 * Group commit for the embedded SQLite database: the writes of every request that is in flight
 * in one turn of the event loop commit together, in one SQLite transaction.
 *
 * Why: on an ext4 disk a commit costs far more than its statements (each dirty page is two
 * writes into the WAL, every transaction a round of file locks); the writes of concurrent
 * requests committed together share pages and locks (bench/README.md, fourth round).
 *
 * What a caller sees is unchanged: a write resolves only once it is durable (committed), a
 * store transaction is atomic and isolated from every other query of this process, and the
 * file's write lock keeps other processes out as before (BEGIN IMMEDIATE; they wait
 * busy_timeout). What changes is when: a write's promise resolves after the commit of its
 * group, at the end of the event-loop turn (setImmediate), instead of at once.
 *
 * - A group (one SQLite transaction, `BEGIN IMMEDIATE`) opens at the first write and commits
 *   in the check phase of the same loop turn, or as soon as the store transaction that holds
 *   the connection at that moment ends.
 * - A store transaction is a SAVEPOINT inside the group, holding the connection for itself:
 *   no other query of this process runs until it ends, so its reads and writes stay its own,
 *   and a rollback undoes only its own rows. Its commit resolves once the group is durable.
 * - A read outside a store transaction runs at once, and sees this process's writes of the
 *   open group (one connection: read your own process's writes). Only if that group's commit
 *   failed (a disk error) could such a read have answered with a row that never became durable.
 * - If a statement's failure makes SQLite roll the whole transaction back (an I/O error, a full
 *   disk), every write of the group is rejected with that error, and a store transaction that
 *   was open fails at its next statement: nothing reports success that was not committed.
 *
 * The rate limiter (rate-limiter-flexible) runs its statements on the same handle, through
 * `writeBeside`: in the open group (resolved once durable), or, inside a store transaction, in
 * that transaction (resolved at once, durable with it).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type QueryResult } from 'kysely';
import { retryWhileLocked, tryBeginImmediate } from './sqlite-write-lock.js';
import { Group } from './sqlite-commit-group.js';
import { Turns } from './turns.js';

/** `BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION]`, `COMMIT`/`END`, `ROLLBACK` (not `ROLLBACK TO`). */
const TRANSACTION_CONTROL = /^\s*(begin|commit|end|rollback)\b(?!\s+(?:transaction\s+)?to\b)/i;

export interface GroupCommitOptions {
  /** How long a write waits for another connection's write lock before SQLITE_BUSY. */
  busyTimeoutMs: number;
  /** When to commit an open group. @default setImmediate (the end of this event-loop turn) */
  schedule?: (fn: () => void) => void;
  /** Told after every commit, while the connection is between transactions (sqlite-checkpoints.ts); closed before it. */
  checkpoints?: { afterCommit(): void; close(): void };
}

/**
 * The one connection's transaction state: the open group, and the store transaction (unit)
 * that holds the connection, with the queue of those waiting for it.
 */
export class SqliteGroupCommit {
  readonly #db: BetterSqlite3.Database;
  readonly #schedule: (fn: () => void) => void;
  #group: Group | null = null;
  /** The connection's turns: a store transaction holds it, or a query woken from the queue. */
  readonly #turns = new Turns();
  /** The connection handle whose store transaction is open, if any. */
  #owner: object | null = null;
  /** Set when SQLite rolled the group back under an open unit: the unit must fail. */
  #ownerBroken: unknown = undefined;
  #commitWhenFree = false;
  #closed = false;
  /** Retrying BEGIN while another connection holds the write lock. */
  #opening: Promise<void> | null = null;
  readonly #busyTimeoutMs: number;
  readonly #checkpoints: GroupCommitOptions['checkpoints'];

  constructor(db: BetterSqlite3.Database, opts: GroupCommitOptions) {
    this.#db = db;
    this.#busyTimeoutMs = opts.busyTimeoutMs;
    this.#checkpoints = opts.checkpoints;
    this.#schedule = opts.schedule ?? ((fn) => setImmediate(fn));
  }

  /** The connection handle whose store transaction holds the connection now, if any. */
  get unitHandle(): object | null {
    return this.#owner;
  }

  /** Run one query for `handle`: inside its unit, or on its own (after any open unit). */
  execute<R>(handle: object, query: CompiledQuery): Promise<QueryResult<R>> {
    const control = TRANSACTION_CONTROL.exec(query.sql)?.[1]?.toLowerCase();
    if (control !== undefined) return this.#control(handle, control).then(() => ({ rows: [] }));
    if (this.#owner === handle) {
      if (this.#ownerBroken !== undefined) return Promise.reject(this.#ownerBroken);
      try {
        return Promise.resolve(this.#run<R>(query));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    // A statement runs synchronously, so a free connection needs no lock for it.
    if (!this.#turns.held) return this.#alone<R>(handle, query);
    return this.#turns.take().then(() => {
      try {
        return this.#alone<R>(handle, query);
      } finally {
        this.#release();
      }
    });
  }

  /**
   * Raw `BEGIN`, `COMMIT` and `ROLLBACK` through one connection handle (`db.connection()`, as
   * the migrations use) mean a store transaction of that handle, as they would on SQLite.
   */
  #control(handle: object, verb: string): Promise<void> {
    if (verb === 'begin') {
      if (this.#owner === handle) return Promise.reject(new Error('cannot begin a transaction within a transaction'));
      return this.begin(handle);
    }
    if (this.#owner !== handle) return Promise.reject(new Error(`cannot ${verb}: no transaction is active on this connection`));
    return verb === 'rollback' ? this.rollback(handle) : this.commit(handle);
  }

  /** A query outside any unit: a read at once, a write in the open group, durable with it. */
  #alone<R>(handle: object, query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const stmt = this.#db.prepare(query.sql);
      if (stmt.readonly) return Promise.resolve(this.#run<R>(query, stmt));
      const group = this.#group ?? this.#tryOpen();
      // Another process holds the write lock: once it is ours, run the query as if it came now.
      if (!group) return this.#opened().then(() => this.execute<R>(handle, query));
      const result = this.#run<R>(query, stmt);
      return group.durable.then(() => result);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #run<R>(query: CompiledQuery, stmt: BetterSqlite3.Statement = this.#db.prepare(query.sql)): QueryResult<R> {
    const params = query.parameters as unknown[];
    try {
      if (stmt.reader) return { rows: stmt.all(params) as R[] };
      const { changes, lastInsertRowid } = stmt.run(params);
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    } catch (err) {
      this.#checkAlive(err);
      throw err;
    }
  }

  /** SQLite rolls a transaction back by itself on some errors (I/O, full disk): fail the group. */
  #checkAlive(err: unknown): void {
    if (this.#group && !this.#db.inTransaction) {
      const group = this.#group;
      this.#group = null;
      if (this.#owner !== null) this.#ownerBroken = err;
      group.settle(err);
    }
  }

  /** Open a group, unless another connection (another process) holds the write lock: then null. */
  #tryOpen(): Group | null {
    if (this.#closed) throw new Error('the SQLite store is closed');
    if (!tryBeginImmediate(this.#db, this.#busyTimeoutMs)) return null;
    const group = new Group();
    this.#group = group;
    this.#schedule(() => {
      if (this.#group !== group) return;
      if (this.#turns.held) this.#commitWhenFree = true;
      else this.#commit();
    });
    return group;
  }

  /**
   * A write by a caller beside Kysely on the same handle (the rate limiter), run in the open
   * group (opening one, waiting for another process's lock with timers, never in SQLite's busy
   * handler) and resolved once durable, like a store write. Inside a store transaction it
   * joins that transaction and resolves at once: the transaction's commit makes it durable
   * (and waiting for the group there would wait for the transaction itself).
   */
  writeBeside<T>(run: () => T): T | Promise<T> {
    if (!this.#group && !this.#tryOpen()) return this.#opened().then(() => this.writeBeside(run));
    const group = this.#group!;
    const inUnit = this.#owner !== null;
    let out: T;
    try {
      out = run();
    } catch (err) {
      this.#checkAlive(err);
      throw err;
    }
    if (inUnit) return out;
    return group.durable.then(() => out);
  }

  /** Wait (with timers, sqlite-write-lock.ts) until a group is open; one wait for all callers. */
  #opened(): Promise<void> {
    this.#opening ??= retryWhileLocked(() => !!(this.#group || this.#tryOpen()), this.#busyTimeoutMs).finally(() => {
      this.#opening = null;
    });
    return this.#opening;
  }

  #commit(): void {
    const group = this.#group;
    this.#commitWhenFree = false;
    if (!group) return;
    this.#group = null;
    try {
      this.#db.prepare('commit').run();
    } catch (err) {
      if (this.#db.inTransaction) this.#db.prepare('rollback').run();
      group.settle(err);
      this.#checkpoints?.afterCommit();
      return;
    }
    group.settle();
    this.#checkpoints?.afterCommit();
  }

  /** Give the connection up: commit a group whose turn ended meanwhile, then hand it on. */
  #release(): void {
    if (this.#commitWhenFree) this.#commit();
    this.#turns.give();
  }

  /** Begin a store transaction for `handle`: take the connection, then a savepoint in the group. */
  async begin(handle: object): Promise<void> {
    await this.#turns.take();
    this.#owner = handle;
    this.#ownerBroken = undefined;
    try {
      if (!this.#group && !this.#tryOpen()) await this.#opened();
      this.#run(CompiledQuery.raw('savepoint unit'));
    } catch (err) {
      this.#endUnit();
      throw err;
    }
  }

  /** End `handle`'s store transaction; resolves once its rows are durable. */
  async commit(handle: object): Promise<void> {
    this.#assertOwner(handle);
    const broken = this.#ownerBroken;
    const group = this.#group;
    try {
      if (broken !== undefined) throw broken;
      this.#run(CompiledQuery.raw('release unit'));
    } finally {
      this.#endUnit();
    }
    await group!.durable;
  }

  /** Undo `handle`'s store transaction; the rest of the group is untouched. */
  async rollback(handle: object): Promise<void> {
    this.#assertOwner(handle);
    try {
      if (this.#ownerBroken === undefined && this.#group) {
        this.#run(CompiledQuery.raw('rollback to unit'));
        this.#run(CompiledQuery.raw('release unit'));
      }
    } finally {
      this.#endUnit();
    }
  }

  #assertOwner(handle: object): void {
    if (this.#owner !== handle) throw new Error('SQLite store transaction ended by a connection that does not hold it');
  }

  #endUnit(): void {
    this.#owner = null;
    this.#ownerBroken = undefined;
    this.#release();
  }

  /**
   * Commit what is open and close the file; idempotent. A store transaction still open here
   * (the server closes the store after its last request) is rolled back with its group.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owner === null) this.#commit();
    const group = this.#group;
    this.#group = null;
    this.#checkpoints?.close();
    this.#db.close();
    group?.settle(new Error('the SQLite store was closed before this write committed'));
  }
}
