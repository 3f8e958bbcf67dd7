import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createUserByAdmin, resetMfaByAdmin, updateUserByAdmin, withMethodTypes } from '../../core/admin/users.js';
import type { ServerDeps } from '../deps.js';
import { authOf } from '../http/authenticate.js';
import { ctxOf } from '../http/context.js';
import { sendProblem } from '../http/problems.js';
import { Email, Password, problems } from '../schemas.js';
import { adminHooks, ADMIN_PROBLEMS, setAdminTarget } from './admin-guard.js';
import { AdminUser, adminUserJson, Roles } from './admin-schemas.js';

const IdParams = z.object({ id: z.string().max(64) });

export function adminUserRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];
  const admin = adminHooks(deps);

  r.get('/admin/users', {
    ...admin,
    schema: {
      tags,
      summary: 'Search accounts (email or name contains `query`), oldest first, paginated',
      querystring: z
        .object({
          query: z.string().max(254).optional(),
          cursor: z.string().max(200).optional().describe('next_cursor of the previous page'),
          limit: z.coerce.number().int().min(1).max(100).default(50),
        })
        .strict(),
      response: { 200: z.object({ users: z.array(AdminUser), next_cursor: z.string().nullable() }), ...problems(400, ...ADMIN_PROBLEMS) },
    },
  }, async (request) => {
    const q = request.query;
    const page = await deps.core.store.users.list({ query: q.query, cursor: q.cursor, limit: q.limit });
    return { users: (await withMethodTypes(deps.core, page.users)).map(adminUserJson), next_cursor: page.nextCursor };
  });

  r.post('/admin/users', {
    ...admin,
    schema: {
      tags,
      summary: 'Create an account (whether or not open registration is on)',
      description: 'Without `password` the account can sign in only after a password reset.',
      body: z.object({ email: Email, password: Password.optional(), roles: Roles.optional() }).strict(),
      response: { 201: z.object({ user_id: z.string() }), ...problems(400, ...ADMIN_PROBLEMS, 409) },
    },
  }, async (request, reply) => {
    const out = await createUserByAdmin(deps.core, authOf(request).user, request.body, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    setAdminTarget(request, out.value.id);
    return reply.code(201).send({ user_id: out.value.id });
  });

  r.patch('/admin/users/:id', {
    ...admin,
    schema: {
      tags,
      summary: 'Change roles or disable an account',
      description:
        'Disabling ends every session of the user at once. A change that would leave no enabled administrator ' +
        '(an admin demoting or disabling themselves while the last one) answers 409 `conflict`.',
      params: IdParams,
      body: z.object({ roles: Roles.optional(), disabled: z.boolean().optional() }).strict(),
      response: { 200: AdminUser, ...problems(400, ...ADMIN_PROBLEMS, 404, 409) },
    },
  }, async (request, reply) => {
    const out = await updateUserByAdmin(deps.core, authOf(request).user, request.params.id, request.body, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return adminUserJson(out.value);
  });

  r.post('/admin/users/:id/mfa/reset', {
    ...admin,
    schema: {
      tags,
      summary: "Reset a user's MFA: every method, backup code, trusted device and session goes; the user is mailed",
      params: IdParams,
      body: z.object({ reason: z.string().trim().min(1, 'is required').max(500, 'is too long') }).strict(),
      response: { 204: z.null(), ...problems(400, ...ADMIN_PROBLEMS, 404) },
    },
  }, async (request, reply) => {
    const user = await deps.core.store.users.byId(request.params.id);
    if (!user) return sendProblem(reply, { code: 'not_found', detail: 'no such user' });
    const removed = await resetMfaByAdmin(deps.core, authOf(request).user.id, user, request.body.reason, ctxOf(request, deps.clock));
    for (const method of removed) deps.metrics.enrolments.inc({ method, action: 'removed' });
    return reply.code(204).send(null);
  });
}
