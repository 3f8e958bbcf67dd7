import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { confirmRegistration, registrationOptions, stepUpOptions } from '../../core/webauthn/index.js';
import type { ServerDeps } from '../deps.js';
import { authOf, requireSession } from '../http/authenticate.js';
import { ctxOf } from '../http/context.js';
import { sendProblem } from '../http/problems.js';
import { stepUp } from '../http/step-up.js';
import { Name, problems, StepUpFields } from '../schemas.js';
import { requireMethodAllowed, requireStepUpToAdd } from './enrolment-guards.js';
import { methodJson, MethodSchema } from './method-json.js';
import { CreationOptions, RegistrationResponse, RequestOptions } from './webauthn-json.js';

/** Registering security keys and passkeys (API.md "Managing one's own MFA"), and WebAuthn step-up. */
export function mfaWebAuthnRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['mfa: webauthn'];
  const session = requireSession(deps, { enrollment: true });

  r.post('/mfa/webauthn/register/options', {
    onRequest: session,
    schema: {
      tags,
      summary: 'Start registering a security key or passkey (step-up when MFA is on)',
      description:
        'Returns creation options for navigator.credentials.create; the challenge lives 5 minutes and works once. ' +
        '`passkey: true` asks for a discoverable, user-verifying credential for passwordless sign-in. ' +
        'The method is named by `name` sent with /verify (a name sent here only is not kept).',
      body: z
        .object({
          name: Name.optional(),
          passkey: z.boolean().optional().describe('require a discoverable credential with user verification (passwordless sign-in)'),
          ...StepUpFields,
        })
        .strict()
        .nullish(),
      response: { 200: CreationOptions, ...problems(400, 401, 403, 429) },
    },
  }, async (request, reply) => {
    const allowed = await requireMethodAllowed(deps, 'webauthn');
    if (!allowed.ok) return sendProblem(reply, allowed.error);
    const b = request.body ?? {};
    const step = await requireStepUpToAdd(deps, request, () => stepUp(deps, request, b));
    if (!step.ok) return sendProblem(reply, step.error);
    reply.header('Cache-Control', 'no-store');
    const options = await registrationOptions(deps.core, authOf(request).user, { passkey: b.passkey }, ctxOf(request, deps.clock));
    return options as z.infer<typeof CreationOptions>;
  });

  r.post('/mfa/webauthn/register/verify', {
    onRequest: session,
    schema: {
      tags,
      summary: 'Finish the registration with the browser\'s response',
      body: z.object({ credential: RegistrationResponse, name: Name.optional() }).strict(),
      response: { 200: z.object({ method: MethodSchema, backup_codes: z.array(z.string()).optional() }), ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    const allowed = await requireMethodAllowed(deps, 'webauthn');
    if (!allowed.ok) return sendProblem(reply, allowed.error);
    const { user, session: s } = authOf(request);
    const out = await confirmRegistration(deps.core, user, s, request.body.credential, request.body.name, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    deps.metrics.enrolments.inc({ method: 'webauthn', action: 'added' });
    reply.header('Cache-Control', 'no-store');
    return { method: methodJson(out.value.method), ...(out.value.backupCodes ? { backup_codes: out.value.backupCodes } : {}) };
  });

  r.post('/mfa/step-up/webauthn/options', {
    onRequest: requireSession(deps),
    schema: {
      tags,
      summary: 'Request options for a WebAuthn step-up',
      description: 'Then send `{method: "webauthn", credential}` with the sensitive request. The challenge is bound to the caller, lives 5 minutes and works once.',
      body: z.object({}).strict().nullish(),
      response: { 200: RequestOptions, ...problems(400, 401, 404) },
    },
  }, async (request, reply) => {
    const out = await stepUpOptions(deps.core, deps.registry, authOf(request).user, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    reply.header('Cache-Control', 'no-store');
    return out.value as z.infer<typeof RequestOptions>;
  });
}
