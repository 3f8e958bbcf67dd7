import type { Selectable } from 'kysely';
import type { EventsRepo } from '../../core/ports.js';
import type { NewSecurityEvent, SecurityEvent } from '../../core/types.js';
import type { SecurityEventsTable } from '../schema.js';
import { pageSize, parseJson, type RepoDeps } from './codec.js';
import { preparedRow, preparedRows } from './prepared.js';

function toEvent(r: Selectable<SecurityEventsTable>): SecurityEvent {
  return {
    id: Number(r.id),
    type: r.type,
    userId: r.user_id,
    actorId: r.actor_id,
    ip: r.ip,
    userAgent: r.user_agent,
    at: r.at,
    details: parseJson<Record<string, unknown>>(r.details),
  };
}

type NewEventRow = Omit<Selectable<SecurityEventsTable>, 'id'>;
const COLUMNS = ['type', 'user_id', 'actor_id', 'ip', 'user_agent', 'at', 'details'] as const;
/** Every request that changes anything appends: compiled once (prepared.ts). */
const insertEvent = preparedRow<NewEventRow, { id: number | bigint }>(COLUMNS, (db, row) =>
  db.insertInto('security_events').values(row).returning('id'),
);

/** The same, for the two entries of a sign-in's second step (the factor's and the login's). */
const insertTwoEvents = preparedRows<NewEventRow, unknown>(COLUMNS, 2, (db, rows) => db.insertInto('security_events').values(rows));

function toRow(e: NewSecurityEvent): NewEventRow {
  return { type: e.type, user_id: e.userId, actor_id: e.actorId, ip: e.ip, user_agent: e.userAgent, at: e.at, details: JSON.stringify(e.details ?? {}) };
}

export function createEventsRepo(deps: RepoDeps): EventsRepo {
  const { db } = deps;
  return {
    async append(e) {
      const { rows } = await insertEvent(deps, toRow(e));
      if (rows.length !== 1) throw new Error('security event insert returned no id');
      return Number(rows[0].id);
    },

    async appendAll(events) {
      if (events.length === 2) await insertTwoEvents(deps, events.map(toRow));
      else if (events.length > 0) await db.insertInto('security_events').values(events.map(toRow)).execute();
    },

    /**
     * Newest first by id. `since` is inclusive, `until` exclusive; `cursor` is the last id of
     * the previous page (`nextCursor`), which is null on the last page.
     */
    async list({ userId, type, since, until, cursor, limit: asked }) {
      const limit = pageSize(asked);
      // Cursors come from clients: one that is not an id we issued ends the listing.
      if (cursor !== undefined && !Number.isSafeInteger(cursor)) return { events: [], nextCursor: null };
      let q = db.selectFrom('security_events').selectAll();
      if (userId !== undefined) q = q.where('user_id', '=', userId);
      if (type !== undefined) q = q.where('type', '=', type);
      if (since !== undefined) q = q.where('at', '>=', since);
      if (until !== undefined) q = q.where('at', '<', until);
      if (cursor !== undefined) q = q.where('id', '<', cursor);
      // One row more than asked tells whether another page exists.
      const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
      const events = rows.slice(0, limit).map(toEvent);
      const more = rows.length > limit && events.length > 0;
      return { events, nextCursor: more ? events[events.length - 1].id : null };
    },

    /** Counts per type since `since` (inclusive); every asked type is present, 0 when none. */
    async countByType(types, since) {
      const out: Record<string, number> = Object.fromEntries(types.map((t) => [t, 0]));
      if (types.length === 0) return out;
      const rows = await db
        .selectFrom('security_events')
        .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
        .where('type', 'in', types)
        .where('at', '>=', since)
        .groupBy('type')
        .execute();
      for (const r of rows) out[r.type] = Number(r.n);
      return out;
    },
  };
}
