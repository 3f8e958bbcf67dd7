import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendLoginCode } from '../../core/otp-codes/index.js';
import type { ServerDeps } from '../deps.js';
import { ctxOf } from '../http/context.js';
import { sendProblem } from '../http/problems.js';
import { problems } from '../schemas.js';
import { CodeSentResponse, codeSentJson, SEND_DESCRIPTION, SEND_PROBLEMS } from './code-sent.js';

export const CodeChannel = z.enum(['email', 'sms']);

/**
 * `POST /auth/mfa/challenge`: the second login step's "send me a code". The code is bound to
 * the mfa_token and checked by `/auth/mfa/verify`. An invalid token answers 401
 * `mfa_token_invalid`; a method the account has not enrolled (or policy forbids) a 400 naming
 * `method` (the caller has proved the password, so neither says whether an account exists).
 */
export function authChallengeRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/auth/mfa/challenge', {
    schema: {
      tags: ['auth'],
      summary: 'Send a sign-in code by email or SMS',
      description: SEND_DESCRIPTION,
      body: z
        .object({
          mfa_token: z.string().max(200),
          method: CodeChannel,
          method_id: z.string().max(64).optional().describe('which enrolled number or address (default: the first)'),
        })
        .strict(),
      response: { 202: CodeSentResponse, ...problems(...SEND_PROBLEMS) },
    },
  }, async (request, reply) => {
    const b = request.body;
    const out = await sendLoginCode(deps.core, deps.registry, { mfaToken: b.mfa_token, method: b.method, methodId: b.method_id }, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(202).header('Cache-Control', 'no-store').send(codeSentJson(out.value));
  });
}
