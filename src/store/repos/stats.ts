import { sql } from 'kysely';
import type { StatsRepo } from '../../core/ports.js';
import { MFA_METHOD_TYPES, type MfaMethodType } from '../../core/types.js';
import { inAudience, WITHOUT_METHODS } from './audience-sql.js';
import type { RepoDeps } from './codec.js';

export function createStatsRepo({ db, dialect }: RepoDeps): StatsRepo {
  // `details` is JSON text on both databases; each reads a member its own way.
  const detailsMethod = dialect === 'sqlite' ? sql<string | null>`json_extract(details, '$.method')` : sql<string | null>`(details::json ->> 'method')`;

  return {
    async usersByMethod() {
      const rows = await db
        .selectFrom('mfa_methods')
        .select(['type', (eb) => eb.fn.count<number>('user_id').distinct().as('n')])
        .groupBy('type')
        .execute();
      const out = Object.fromEntries(MFA_METHOD_TYPES.map((t) => [t, 0])) as Record<MfaMethodType, number>;
      for (const r of rows) if (r.type in out) out[r.type as MfaMethodType] = Number(r.n);
      return out;
    },

    async eventsByMethod(types, since, recentSince) {
      if (types.length === 0) return [];
      const rows = await db
        .selectFrom('security_events')
        .select([
          'type',
          detailsMethod.as('method'),
          (eb) => eb.fn.countAll<number>().as('total'),
          sql<number>`sum(case when at >= ${recentSince} then 1 else 0 end)`.as('recent'),
        ])
        .where('type', 'in', types)
        .where('at', '>=', since)
        .groupBy(['type', detailsMethod])
        .execute();
      return rows.map((r) => ({ type: r.type, method: r.method === null ? null : String(r.method), total: Number(r.total), recent: Number(r.recent ?? 0) }));
    },

    async graceCounts(audience, graceMs, now) {
      if (audience.kind === 'none') return { inside: 0, past: 0 };
      // Inside the grace period <=> since + grace > now <=> since > now - grace.
      const threshold = now - graceMs;
      const r = await db
        .selectFrom('users')
        .select([
          sql<number>`sum(case when mfa_required_since > ${threshold} then 1 else 0 end)`.as('inside'),
          sql<number>`sum(case when mfa_required_since <= ${threshold} then 1 else 0 end)`.as('past'),
        ])
        .where('disabled', '=', 0)
        .where('mfa_required_since', 'is not', null)
        .where(WITHOUT_METHODS)
        .where(inAudience(dialect, audience))
        .executeTakeFirstOrThrow();
      return { inside: Number(r.inside ?? 0), past: Number(r.past ?? 0) };
    },
  };
}
