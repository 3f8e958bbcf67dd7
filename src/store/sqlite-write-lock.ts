/**
 * Taking SQLite's write lock without its busy handler. That handler sleeps on the calling
 * thread until the other writer is done; in this service the calling thread is the event loop,
 * so while another process (say `twofold users reset-mfa`) held the lock, every request of the
 * server would wait with it. Here the lock is asked for once, and waited for with timers.
 */
import type BetterSqlite3 from 'better-sqlite3';

/** The longest pause between two tries for the lock. */
const MAX_PAUSE_MS = 50;

/**
 * `BEGIN IMMEDIATE` if the write lock is free: false when another connection holds it.
 * @param busyTimeoutMs the connection's busy timeout, put back afterwards for other statements
 */
export function tryBeginImmediate(db: BetterSqlite3.Database, busyTimeoutMs: number): boolean {
  db.prepare('pragma busy_timeout = 0').get();
  try {
    db.prepare('begin immediate').run();
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'SQLITE_BUSY') return false;
    throw err;
  } finally {
    db.prepare(`pragma busy_timeout = ${busyTimeoutMs}`).get();
  }
}

/**
 * Try `attempt` again after a growing pause (1 ms, doubling up to 50 ms) until it succeeds;
 * after `timeoutMs` fail with SQLITE_BUSY, as SQLite's own busy timeout would.
 */
export async function retryWhileLocked(attempt: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 1; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    if (attempt()) return;
    if (Date.now() >= deadline) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  }
}
