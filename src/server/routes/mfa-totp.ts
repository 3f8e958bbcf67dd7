import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { confirmTotpEnrollment, startTotpEnrollment, TOTP_DEFAULT_OPTIONS } from '../../core/mfa/totp-enrollment.js';
import type { ServerDeps } from '../deps.js';
import { authOf, requireSession } from '../http/authenticate.js';
import { ctxOf } from '../http/context.js';
import { sendProblem } from '../http/problems.js';
import { stepUp } from '../http/step-up.js';
import { qrDataUrl } from '../qr.js';
import { Name, OneTimeCode, problems, StepUpFields } from '../schemas.js';
import { methodJson, MethodSchema } from './method-json.js';
import { requireMethodAllowed, requireStepUpToAdd } from './enrolment-guards.js';

export function mfaTotpRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['mfa: totp'];
  const session = requireSession(deps, { enrollment: true });

  r.post('/mfa/totp/setup', {
    onRequest: session,
    schema: {
      tags,
      summary: 'Start enrolling an authenticator app (nothing is active until verified)',
      body: z
        .object({
          name: Name.optional(),
          algorithm: z.enum(['SHA1', 'SHA256', 'SHA512']).optional().describe('SHA1 (default) is what every app supports'),
          digits: z.union([z.literal(6), z.literal(8)]).optional(),
          ...StepUpFields,
        })
        .strict()
        // Every field is optional, so no body at all is fine too (Fastify validates it as null).
        .nullish(),
      response: {
        200: z.object({ enrollment_id: z.string(), secret: z.string(), otpauth_uri: z.string(), qr_code: z.string() }),
        ...problems(400, 401, 403, 429),
      },
    },
  }, async (request, reply) => {
    const allowed = await requireMethodAllowed(deps, 'totp');
    if (!allowed.ok) return sendProblem(reply, allowed.error);
    const b = request.body ?? {};
    const step = await requireStepUpToAdd(deps, request, () => stepUp(deps, request, b));
    if (!step.ok) return sendProblem(reply, step.error);
    const setup = await startTotpEnrollment(
      deps.core,
      authOf(request).user,
      b.name,
      { algorithm: b.algorithm ?? TOTP_DEFAULT_OPTIONS.algorithm, digits: b.digits ?? TOTP_DEFAULT_OPTIONS.digits, period: TOTP_DEFAULT_OPTIONS.period },
      ctxOf(request, deps.clock),
    );
    reply.header('Cache-Control', 'no-store');
    return { enrollment_id: setup.enrollmentId, secret: setup.secret, otpauth_uri: setup.otpauthUri, qr_code: await qrDataUrl(setup.otpauthUri) };
  });

  r.post('/mfa/totp/verify', {
    onRequest: session,
    schema: {
      tags,
      summary: 'Activate the enrolment with a code from the app',
      body: z.object({ enrollment_id: z.string().max(64), code: OneTimeCode }).strict(),
      response: { 200: z.object({ method: MethodSchema, backup_codes: z.array(z.string()).optional() }), ...problems(400, 401, 404, 429) },
    },
  }, async (request, reply) => {
    const { user, session: s } = authOf(request);
    const out = await confirmTotpEnrollment(deps.core, user, s, request.body.enrollment_id, request.body.code, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    deps.metrics.enrolments.inc({ method: 'totp', action: 'added' });
    reply.header('Cache-Control', 'no-store');
    return { method: methodJson(out.value.method), ...(out.value.backupCodes ? { backup_codes: out.value.backupCodes } : {}) };
  });
}
