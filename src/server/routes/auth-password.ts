import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changePassword, forgotPassword, resetPassword } from '../../core/accounts/passwords.js';
import { requireStepUp } from '../../core/auth/step-up.js';
import type { VerifyMethod } from '../../core/types.js';
import type { ServerDeps } from '../deps.js';
import { authOf, requireSession } from '../http/authenticate.js';
import { ctxOf } from '../http/context.js';
import { sendProblem } from '../http/problems.js';
import { Email, Password, problems, StepUpFields } from '../schemas.js';

export function authPasswordRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['password'];

  r.post('/auth/password/forgot', {
    schema: {
      tags,
      summary: 'Mail a single-use reset link (answers the same for unknown addresses)',
      body: z.object({ email: Email }).strict(),
      response: { 202: z.object({}), ...problems(400) },
    },
  }, async (request, reply) => {
    await forgotPassword(deps.core, request.body.email, ctxOf(request, deps.clock));
    return reply.code(202).send({});
  });

  r.post('/auth/password/reset', {
    schema: {
      tags,
      summary: 'Set a new password from a reset link',
      body: z.object({ token: z.string().max(200), new_password: Password }).strict(),
      response: { 204: z.null(), ...problems(400) },
    },
  }, async (request, reply) => {
    const out = await resetPassword(deps.core, request.body.token, request.body.new_password, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(204).send(null);
  });

  r.post('/auth/password/change', {
    onRequest: requireSession(deps),
    schema: {
      tags,
      summary: 'Change the password (step-up); other sessions end',
      body: z.object({ current_password: Password, new_password: Password, ...StepUpFields }).strict(),
      response: { 204: z.null(), ...problems(400, 401, 403, 429) },
    },
  }, async (request, reply) => {
    const { user, session } = authOf(request);
    const ctx = ctxOf(request, deps.clock);
    const b = request.body;
    const step = await requireStepUp(deps.core, deps.registry, user, session, { method: b.method as VerifyMethod | undefined, code: b.code, credential: b.credential, password: b.password }, ctx);
    if (!step.ok) return sendProblem(reply, step.error);
    const out = await changePassword(deps.core, user, session, b.current_password, b.new_password, ctx);
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(204).send(null);
  });
}
