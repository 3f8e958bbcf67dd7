import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { requireSession } from '../http/authenticate.js';
import { sendProblem } from '../http/problems.js';
import { stepUp } from '../http/step-up.js';
import { problems, StepUpFields } from '../schemas.js';

export function stepUpRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/mfa/step-up', {
    onRequest: requireSession(deps),
    schema: {
      tags: ['mfa'],
      summary: 'Confirm a second factor (or, without MFA, the password) for this session',
      description:
        'Performs the step-up check alone: after a second factor the session counts as recently verified for ' +
        '`step_up_max_age_s` (sensitive actions, and admin routes where policy requires MFA of admins). ' +
        'A `password` (users without MFA) is checked but remembers nothing: such sessions have no second factor to refresh.',
      body: z.object(StepUpFields).strict(),
      response: { 204: z.null(), ...problems(400, 401, 403, 429) },
    },
  }, async (request, reply) => {
    const b = request.body;
    if (b.method === undefined && b.password === undefined) {
      return sendProblem(reply, { code: 'validation_failed', field: 'method', detail: 'method: give a method with its code or credential (or, without MFA, password)' });
    }
    if (b.method !== undefined && (b.method === 'webauthn' ? b.credential === undefined : b.code === undefined)) {
      const field = b.method === 'webauthn' ? 'credential' : 'code';
      return sendProblem(reply, { code: 'validation_failed', field, detail: `${field}: is required for method ${b.method}` });
    }
    const out = await stepUp(deps, request, b);
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(204).send(null);
  });
}
