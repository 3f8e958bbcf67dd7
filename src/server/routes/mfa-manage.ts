import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { disableMfa, mfaStatus, regenerateBackupCodes, removeMethod, renameMethod } from '../../core/mfa/manage.js';
import type { ServerDeps } from '../deps.js';
import { authOf, requireSession } from '../http/authenticate.js';
import { ctxOf } from '../http/context.js';
import { sendProblem } from '../http/problems.js';
import { stepUp } from '../http/step-up.js';
import { iso, Name, problems, StepUpFields } from '../schemas.js';
import { methodJson, MethodSchema } from './method-json.js';

/**
 * The step-up proof, or no body at all: within the step-up window a DELETE or POST carries
 * nothing. Fastify validates a missing body as null, so `optional()` alone would refuse it.
 */
const StepUpBody = z.object(StepUpFields).strict().nullish();
const IdParams = z.object({ id: z.string().max(64) });

export function mfaManageRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['mfa'];
  // Only the status admits the enrolment-only session (API.md "Administration"); managing
  // methods, backup codes and MFA itself needs a full one.
  const enrolment = requireSession(deps, { enrollment: true });
  const session = requireSession(deps);

  r.get('/mfa/status', {
    onRequest: enrolment,
    schema: {
      tags,
      summary: 'MFA status of the caller',
      response: {
        200: z.object({
          enabled: z.boolean(),
          methods: z.array(MethodSchema),
          backup_codes_remaining: z.number().int(),
          required: z.boolean(),
          enroll_by: z.string().optional(),
          allowed_methods: z.array(MethodSchema.shape.type).describe('the kinds of factor the policy lets the caller set up'),
        }),
        ...problems(401),
      },
    },
  }, async (request) => {
    const s = await mfaStatus(deps.core, authOf(request).user);
    return {
      enabled: s.enabled,
      methods: s.methods.map(methodJson),
      backup_codes_remaining: s.backupCodesRemaining,
      required: s.required,
      ...(s.enrollBy !== null ? { enroll_by: iso(s.enrollBy)! } : {}),
      allowed_methods: s.allowedMethods,
    };
  });

  r.patch('/mfa/methods/:id', {
    onRequest: session,
    schema: { tags, summary: 'Rename a method', params: IdParams, body: z.object({ name: Name }).strict(), response: { 200: MethodSchema, ...problems(400, 401, 404) } },
  }, async (request, reply) => {
    const out = await renameMethod(deps.core, authOf(request).user, request.params.id, request.body.name, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return methodJson(out.value);
  });

  r.delete('/mfa/methods/:id', {
    onRequest: session,
    schema: { tags, summary: 'Remove a method (step-up)', params: IdParams, body: StepUpBody, response: { 204: z.null(), ...problems(400, 401, 403, 404, 429) } },
  }, async (request, reply) => {
    const step = await stepUp(deps, request, request.body ?? undefined);
    if (!step.ok) return sendProblem(reply, step.error);
    const { user, session: s } = authOf(request);
    const out = await removeMethod(deps.core, user, s, request.params.id, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    deps.metrics.enrolments.inc({ method: out.value.type, action: 'removed' });
    return reply.code(204).send(null);
  });

  r.post('/mfa/backup-codes/regenerate', {
    onRequest: session,
    schema: { tags, summary: 'Replace all backup codes (step-up)', body: StepUpBody, response: { 200: z.object({ backup_codes: z.array(z.string()) }), ...problems(400, 401, 409, 429) } },
  }, async (request, reply) => {
    const step = await stepUp(deps, request, request.body ?? undefined);
    if (!step.ok) return sendProblem(reply, step.error);
    const out = await regenerateBackupCodes(deps.core, authOf(request).user, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    reply.header('Cache-Control', 'no-store');
    return { backup_codes: out.value };
  });

  r.post('/mfa/disable', {
    onRequest: session,
    schema: { tags, summary: 'Remove every method and backup code (step-up)', body: StepUpBody, response: { 204: z.null(), ...problems(400, 401, 403, 429) } },
  }, async (request, reply) => {
    const step = await stepUp(deps, request, request.body ?? undefined);
    if (!step.ok) return sendProblem(reply, step.error);
    const { user, session: s } = authOf(request);
    const removed = await deps.core.store.methods.listForUser(user.id);
    const out = await disableMfa(deps.core, user, s, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    for (const m of removed) deps.metrics.enrolments.inc({ method: m.type, action: 'removed' });
    return reply.code(204).send(null);
  });
}
