/**
 * The outbox worker: sends what the outbox holds, so a request never waits on SMTP or an SMS
 * provider and a restart loses nothing. Several processes may run one each: `claimDue`
 * leases messages, so each is sent by one worker.
 *
 * Delivery is at least once: a worker that sends and then dies before `markSent` leaves the
 * message to be sent again when its lease lapses. To keep a lease from lapsing under a
 * send in progress (and a second worker sending it too), a message is started only while
 * at least half the lease remains, and senders cap their own time (SMTP 30 s, SMS 10 s).
 */
import type { Clock, Mailer, OutboxRepo, SmsSender } from '../core/ports.js';
import type { OutboxMessage } from '../core/types.js';
import { isPermanent } from './delivery-error.js';
import { renderMessage, type Rendered } from './templates/index.js';

export interface OutboxResult {
  id: string;
  channel: OutboxMessage['channel'];
  template: string;
  ok: boolean;
  /** Which attempt this was (1 for the first). */
  attempt: number;
  /** Why it failed; safe to log (senders strip credentials). */
  error?: string;
  /** The worker gave up on this message (max attempts, a permanent error, bad template data). */
  gaveUp?: boolean;
}

export interface OutboxWorkerOptions {
  outbox: OutboxRepo;
  mailer: Mailer;
  sms: SmsSender;
  clock: Clock;
  /** Called once per message handled: for logs and metrics. */
  onResult?: (r: OutboxResult) => void;
  /** Called when the worker itself fails (database unreachable); it keeps polling. */
  onError?: (err: unknown) => void;
  /** How long a claim is exclusive. @default 60000 */
  leaseMs?: number;
  /** Messages claimed at once. @default 20 */
  batch?: number;
  /** Attempts before giving up (5 s, 10 s, ... between them: about 10 minutes for 8). @default 8 */
  maxAttempts?: number;
  /** Pause between polls when idle. @default 1000 */
  pollMs?: number;
  /** Sends in flight at once. @default 4 */
  concurrency?: number;
  /** First retry delay, doubled per attempt. @default 5000 */
  backoffBaseMs?: number;
  /** Longest retry delay. @default 3600000 */
  backoffMaxMs?: number;
}

export interface OutboxWorker {
  start(): void;
  /** Stop polling; resolves once the batch in flight is done. */
  stop(): Promise<void>;
  /** Send everything due now; resolves to the number sent. */
  drain(): Promise<number>;
}

/** Longest error text kept with a message. */
const MAX_ERROR = 500;

/** Retry delay after the `attempt`-th failure: base × 2^(attempt-1), capped. */
export function backoffMs(attempt: number, baseMs = 5000, maxMs = 3_600_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), maxMs);
}

function errorText(err: unknown): string {
  const s = err instanceof Error ? err.message : String(err);
  return s.length > MAX_ERROR ? `${s.slice(0, MAX_ERROR - 1)}…` : s;
}

/** Run `fn` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(lanes);
  return results;
}

export function createOutboxWorker(opts: OutboxWorkerOptions): OutboxWorker {
  const { outbox, mailer, sms, clock } = opts;
  const leaseMs = opts.leaseMs ?? 60_000;
  const batch = opts.batch ?? 20;
  const maxAttempts = opts.maxAttempts ?? 8;
  const pollMs = opts.pollMs ?? 1000;
  const concurrency = opts.concurrency ?? 4;
  const report = (r: OutboxResult) => safely(() => opts.onResult?.(r));
  const fault = (err: unknown) => safely(() => opts.onError?.(err));

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<unknown>>();

  /** Render and send one message: null when sent, else why not and whether to give up. */
  async function attempt(msg: OutboxMessage): Promise<{ error: string; final: boolean } | null> {
    let r: Rendered;
    try {
      if (msg.channel !== 'email' && msg.channel !== 'sms') throw new Error(`unknown channel "${String(msg.channel)}"`);
      const locale = typeof msg.data.locale === 'string' ? msg.data.locale : undefined;
      r = renderMessage(msg.template, msg.data, locale);
    } catch (err) {
      // Bad template data or an unknown channel will not change on retry.
      return { error: errorText(err), final: true };
    }
    try {
      if (msg.channel === 'email') await mailer.send({ to: msg.to, subject: r.subject, text: r.text, html: r.html });
      else await sms.send(msg.to, r.sms);
      return null;
    } catch (err) {
      return { error: errorText(err), final: isPermanent(err) };
    }
  }

  /** Handle one claimed message; true when it was sent. Never throws. */
  async function deliver(msg: OutboxMessage, leaseEnd: number): Promise<boolean> {
    const base = { id: msg.id, channel: msg.channel, template: msg.template, attempt: msg.attempts };
    try {
      if (leaseEnd - clock.now() < leaseMs / 2) return false; // too late: the next claim sends it
      const failure = await attempt(msg);
      const now = clock.now();
      if (!failure) {
        await outbox.markSent(msg.id, now);
        report({ ...base, ok: true });
        return true;
      }
      // `attempts` counts this claim too (the store increments it when claiming).
      const gaveUp = failure.final || msg.attempts >= maxAttempts;
      const next = gaveUp ? null : now + backoffMs(msg.attempts, opts.backoffBaseMs, opts.backoffMaxMs);
      await outbox.markFailed(msg.id, failure.error, next, now);
      report({ ...base, ok: false, error: failure.error, gaveUp });
      return false;
    } catch (err) {
      // The store failed while recording the outcome; the lease lapses and the message is retried.
      fault(err);
      return false;
    }
  }

  async function drainWhile(keepGoing: () => boolean): Promise<number> {
    let sent = 0;
    const seen = new Set<string>();
    while (keepGoing()) {
      const now = clock.now();
      const claimed = await outbox.claimDue(now, batch, leaseMs);
      if (claimed.length === 0) break;
      const fresh = claimed.filter((m) => !seen.has(m.id)).length;
      for (const m of claimed) seen.add(m.id);
      const results = await pool(claimed, concurrency, (m) => deliver(m, now + leaseMs));
      sent += results.filter(Boolean).length;
      // Only messages this drain already handled came back (a clock that jumped past their
      // lease): stop rather than loop; the next poll takes them.
      if (fresh === 0) break;
    }
    return sent;
  }

  function track<T>(p: Promise<T>): Promise<T> {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  }

  function schedule(ms: number): void {
    timer = setTimeout(tick, ms);
    // The worker alone should not keep a process alive (a CLI command that enqueued mail).
    timer.unref();
  }

  function tick(): void {
    timer = undefined;
    if (!running) return;
    void track(drainWhile(() => running))
      .catch(fault)
      .finally(() => {
        if (running) schedule(pollMs);
      });
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await Promise.allSettled([...inFlight]);
    },
    drain() {
      return track(drainWhile(() => true));
    },
  };
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A throwing callback must not stop delivery.
  }
}
