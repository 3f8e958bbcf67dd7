import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { sendProblem } from '../http/problems.js';
import { problems } from '../schemas.js';
import { adminHooks, ADMIN_PROBLEMS } from './admin-guard.js';
import { Cursor, EventSchema, eventJson, Limit } from './sessions.js';

const Time = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time, e.g. 2026-01-31T00:00:00Z' });

export function adminAuditRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/admin/audit', {
    ...adminHooks(deps),
    schema: {
      tags: ['admin'],
      summary: 'Search the audit trail, newest first, paginated',
      description: '`since` is inclusive, `until` exclusive; `type` is an exact event type such as `admin.mfa_reset`.',
      querystring: z
        .object({
          user_id: z.string().max(64).optional(),
          type: z.string().max(100).optional(),
          since: Time.optional(),
          until: Time.optional(),
          cursor: Cursor,
          limit: Limit,
        })
        .strict(),
      response: { 200: z.object({ events: z.array(EventSchema), next_cursor: z.string().nullable() }), ...problems(400, ...ADMIN_PROBLEMS) },
    },
  }, async (request, reply) => {
    const q = request.query;
    const since = q.since === undefined ? undefined : Date.parse(q.since);
    const until = q.until === undefined ? undefined : Date.parse(q.until);
    if (since !== undefined && until !== undefined && until < since) {
      return sendProblem(reply, { code: 'validation_failed', field: 'until', detail: 'until: must not be before since' });
    }
    const page = await deps.core.store.events.list({ userId: q.user_id, type: q.type, since, until, cursor: q.cursor ? Number(q.cursor) : undefined, limit: q.limit });
    return { events: page.events.map(eventJson), next_cursor: page.nextCursor === null ? null : String(page.nextCursor) };
  });
}
