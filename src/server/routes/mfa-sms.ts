import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { confirmCodeEnrollment, startCodeEnrollment } from '../../core/otp-codes/index.js';
import type { ServerDeps } from '../deps.js';
import { authOf, requireSession } from '../http/authenticate.js';
import { ctxOf } from '../http/context.js';
import { sendProblem } from '../http/problems.js';
import { stepUp } from '../http/step-up.js';
import { PhoneNumber, toE164 } from '../phone.js';
import { Name, OneTimeCode, problems, StepUpFields } from '../schemas.js';
import { codeFactorOf, CodeSentResponse, codeSentJson, SEND_DESCRIPTION, SEND_PROBLEMS } from './code-sent.js';
import { requireMethodAllowed, requireStepUpToAdd } from './enrolment-guards.js';
import { methodJson, MethodSchema } from './method-json.js';

/** SMS codes to a phone number; verifying the code proves the user holds that number. */
export function mfaSmsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['mfa: sms'];
  const session = requireSession(deps, { enrollment: true });

  r.post('/mfa/sms/setup', {
    onRequest: session,
    schema: {
      tags,
      summary: 'Text a code to a phone number (nothing is active until verified)',
      description: `A user who already has MFA confirms the addition with step-up fields in the body. ${SEND_DESCRIPTION}`,
      body: z.object({ phone_number: PhoneNumber, ...StepUpFields }).strict(),
      response: { 202: CodeSentResponse, ...problems(...SEND_PROBLEMS, 409) },
    },
  }, async (request, reply) => {
    const allowed = await requireMethodAllowed(deps, 'sms');
    if (!allowed.ok) return sendProblem(reply, allowed.error);
    const step = await requireStepUpToAdd(deps, request, () => stepUp(deps, request, request.body));
    if (!step.ok) return sendProblem(reply, step.error);
    // The schema has checked it; stored and sent in E.164 whatever spacing it came with.
    const number = toE164(request.body.phone_number)!;
    const out = await startCodeEnrollment(deps.core, codeFactorOf(deps, 'sms').sender, authOf(request).user, 'sms', number, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(202).header('Cache-Control', 'no-store').send(codeSentJson(out.value));
  });

  r.post('/mfa/sms/verify', {
    onRequest: session,
    schema: {
      tags,
      summary: 'Activate SMS codes with the code that was texted',
      body: z.object({ code: OneTimeCode, name: Name.optional() }).strict(),
      response: { 200: z.object({ method: MethodSchema, backup_codes: z.array(z.string()).optional() }), ...problems(400, 401, 403, 404, 429) },
    },
  }, async (request, reply) => {
    const allowed = await requireMethodAllowed(deps, 'sms');
    if (!allowed.ok) return sendProblem(reply, allowed.error);
    const { user, session: s } = authOf(request);
    const out = await confirmCodeEnrollment(deps.core, user, s, 'sms', request.body.code, request.body.name, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    deps.metrics.enrolments.inc({ method: 'sms', action: 'added' });
    reply.header('Cache-Control', 'no-store');
    return { method: methodJson(out.value.method), ...(out.value.backupCodes ? { backup_codes: out.value.backupCodes } : {}) };
  });
}
