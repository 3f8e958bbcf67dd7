import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { revokeOwnSession } from '../../core/auth/sessions.js';
import type { SecurityEvent } from '../../core/types.js';
import type { ServerDeps } from '../deps.js';
import { authOf, requireSession } from '../http/authenticate.js';
import { ctxOf } from '../http/context.js';
import { sendProblem } from '../http/problems.js';
import { iso, problems } from '../schemas.js';

export const EventSchema = z.object({
  id: z.string(),
  type: z.string(),
  user_id: z.string().nullable(),
  actor_id: z.string().nullable(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  at: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export function eventJson(e: SecurityEvent): z.infer<typeof EventSchema> {
  return { id: String(e.id), type: e.type, user_id: e.userId, actor_id: e.actorId, ip: e.ip, user_agent: e.userAgent, at: iso(e.at)!, details: e.details };
}

export const Cursor = z.string().regex(/^\d{1,18}$/, 'must be a cursor returned by the previous page').optional();
export const Limit = z.coerce.number().int().min(1).max(100).default(20);

export function sessionRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['sessions'];

  r.get('/auth/sessions', {
    onRequest: requireSession(deps, { enrollment: true }),
    schema: {
      tags,
      summary: "List the caller's live sessions",
      response: {
        200: z.object({
          sessions: z.array(z.object({ id: z.string(), created_at: z.string(), last_used_at: z.string(), ip: z.string().nullable(), user_agent: z.string().nullable(), current: z.boolean() })),
        }),
        ...problems(401),
      },
    },
  }, async (request, reply) => {
    const { user, session } = authOf(request);
    const list = await deps.core.store.sessions.listLive(user.id, deps.clock.now());
    reply.header('Cache-Control', 'no-store');
    return {
      sessions: list.map((s) => ({ id: s.id, created_at: iso(s.createdAt)!, last_used_at: iso(s.lastUsedAt)!, ip: s.ip, user_agent: s.userAgent, current: s.id === session.id })),
    };
  });

  r.delete('/auth/sessions/:id', {
    onRequest: requireSession(deps),
    schema: { tags, summary: 'Revoke one of the caller\'s sessions', params: z.object({ id: z.string().max(64) }), response: { 204: z.null(), ...problems(401, 404) } },
  }, async (request, reply) => {
    const out = await revokeOwnSession(deps.core, authOf(request).user.id, request.params.id, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(204).send(null);
  });

  r.get('/me/security-events', {
    onRequest: requireSession(deps),
    schema: {
      tags: ['me'],
      summary: "The caller's own audit trail, newest first",
      querystring: z.object({ cursor: Cursor, limit: Limit }).strict(),
      response: { 200: z.object({ events: z.array(EventSchema), next_cursor: z.string().nullable() }), ...problems(400, 401) },
    },
  }, async (request, reply) => {
    const { user } = authOf(request);
    const q = request.query;
    const page = await deps.core.store.events.list({ userId: user.id, cursor: q.cursor ? Number(q.cursor) : undefined, limit: q.limit });
    reply.header('Cache-Control', 'no-store');
    return { events: page.events.map(eventJson), next_cursor: page.nextCursor === null ? null : String(page.nextCursor) };
  });

  r.get('/me', {
    onRequest: requireSession(deps, { enrollment: true }),
    schema: {
      tags: ['me'],
      summary: 'The caller',
      response: {
        200: z.object({ id: z.string(), email: z.string(), name: z.string().nullable(), roles: z.array(z.string()), created_at: z.string(), enrollment_only: z.boolean(), amr: z.array(z.string()), acr: z.string() }),
        ...problems(401),
      },
    },
  }, async (request, reply) => {
    const { user, session } = authOf(request);
    reply.header('Cache-Control', 'no-store');
    return { id: user.id, email: user.email, name: user.name, roles: user.roles, created_at: iso(user.createdAt)!, enrollment_only: session.enrollmentOnly, amr: session.amr, acr: session.acr };
  });
}
