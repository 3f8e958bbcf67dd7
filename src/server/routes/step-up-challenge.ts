import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendStepUpCode } from '../../core/otp-codes/index.js';
import type { ServerDeps } from '../deps.js';
import { authOf, requireSession } from '../http/authenticate.js';
import { ctxOf } from '../http/context.js';
import { sendProblem } from '../http/problems.js';
import { problems } from '../schemas.js';
import { CodeChannel } from './auth-challenge.js';
import { CodeSentResponse, codeSentJson, SEND_DESCRIPTION, SEND_PROBLEMS } from './code-sent.js';

/**
 * `POST /mfa/step-up/challenge`: send a code for step-up. The sensitive request then carries
 * `{method: "email"|"sms", code}` as its step-up proof (API.md "Step-up").
 */
export function stepUpChallengeRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/mfa/step-up/challenge', {
    onRequest: requireSession(deps),
    schema: {
      tags: ['mfa'],
      summary: 'Send a step-up code by email or SMS',
      description: `Then send \`{method, code}\` as the step-up proof of the sensitive request. ${SEND_DESCRIPTION}`,
      body: z.object({ method: CodeChannel, method_id: z.string().max(64).optional() }).strict(),
      response: { 202: CodeSentResponse, ...problems(...SEND_PROBLEMS) },
    },
  }, async (request, reply) => {
    const out = await sendStepUpCode(deps.core, deps.registry, authOf(request).user, request.body.method, request.body.method_id, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(202).header('Cache-Control', 'no-store').send(codeSentJson(out.value));
  });
}
