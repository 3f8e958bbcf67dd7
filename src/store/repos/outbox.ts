import type { Selectable } from 'kysely';
import type { OutboxRepo } from '../../core/ports.js';
import type { OutboxMessage } from '../../core/types.js';
import type { OutboxTable } from '../schema.js';
import { parseJson, type RepoDeps } from './codec.js';

function toMessage(r: Selectable<OutboxTable>): OutboxMessage {
  return {
    id: r.id,
    channel: r.channel as OutboxMessage['channel'],
    to: r.recipient,
    template: r.template,
    data: parseJson<Record<string, unknown>>(r.data),
    createdAt: r.created_at,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    sentAt: r.sent_at,
    failedAt: r.failed_at,
    lastError: r.last_error,
  };
}

export function createOutboxRepo({ db, dialect }: RepoDeps): OutboxRepo {
  return {
    async enqueue(m) {
      await db
        .insertInto('outbox')
        .values({
          id: m.id,
          channel: m.channel,
          recipient: m.to,
          template: m.template,
          data: JSON.stringify(m.data),
          created_at: m.createdAt,
          attempts: m.attempts,
          next_attempt_at: m.nextAttemptAt,
          lease_until: null,
          sent_at: m.sentAt,
          failed_at: m.failedAt,
          last_error: m.lastError,
        })
        .execute();
    },

    /**
     * Leases up to `limit` due messages (oldest due first) until `now + leaseMs`, counting the
     * claim in `attempts` (so the returned `attempts` includes this one, and a worker that dies
     * mid-send still uses up an attempt). A lapsed lease makes the message claimable again.
     *
     * One conditional UPDATE: the lease test is in the UPDATE's own WHERE, which PostgreSQL
     * re-checks on the latest row version after waiting for a competing claimer, so a message
     * is never claimed twice. On PostgreSQL the candidate scan also uses FOR UPDATE SKIP LOCKED
     * so concurrent workers pick different messages instead of queueing on the same ones.
     *
     * The candidates are a MATERIALIZED CTE, not an `IN (subquery)`: PostgreSQL may run such a
     * subquery again for every outer row (nested-loop semi-join), and a re-run LIMIT with SKIP
     * LOCKED picks other rows, so `limit` would not hold (seen: 3 rows claimed for limit 2).
     */
    async claimDue(now, limit, leaseMs) {
      const rows = await db
        .with(
          (cte) => cte('candidates').materialized(),
          (qc) => {
            const q = qc
              .selectFrom('outbox')
              .select('id')
              .where('sent_at', 'is', null)
              .where('failed_at', 'is', null)
              .where('next_attempt_at', '<=', now)
              .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<=', now)]))
              .orderBy('next_attempt_at', 'asc')
              .orderBy('id', 'asc')
              .limit(limit);
            return dialect === 'postgres' ? q.forUpdate().skipLocked() : q;
          },
        )
        .updateTable('outbox')
        .set((eb) => ({ lease_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', (eb) => eb.selectFrom('candidates').select('candidates.id'))
        .where('sent_at', 'is', null)
        .where('failed_at', 'is', null)
        .where('next_attempt_at', '<=', now)
        .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<=', now)]))
        .returningAll()
        .execute();
      return rows.map(toMessage).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || (a.id < b.id ? -1 : 1));
    },

    async markSent(id, now) {
      await db.updateTable('outbox').set({ sent_at: now, lease_until: null, last_error: null }).where('id', '=', id).execute();
    },

    /** `nextAttemptAt` null gives up: the message is marked failed for good. */
    async markFailed(id, error, nextAttemptAt, now) {
      await db
        .updateTable('outbox')
        .set(
          nextAttemptAt === null
            ? { failed_at: now, lease_until: null, last_error: error }
            : { next_attempt_at: nextAttemptAt, lease_until: null, last_error: error },
        )
        .where('id', '=', id)
        .execute();
    },

    /** Messages neither sent nor failed for good. */
    async pending() {
      const r = await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('sent_at', 'is', null)
        .where('failed_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
