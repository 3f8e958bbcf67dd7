import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loginOptions, passkeyLogin, passkeyOptions } from '../../core/webauthn/index.js';
import type { ServerDeps } from '../deps.js';
import { ctxOf } from '../http/context.js';
import { grantResponse } from '../http/grant.js';
import { sendProblem } from '../http/problems.js';
import { problems, TokenResponse } from '../schemas.js';
import { AuthenticationResponse, RequestOptions } from './webauthn-json.js';

/**
 * WebAuthn at sign-in (API.md "Accounts and login"): options for the second step, and
 * passwordless sign-in with a passkey. None of these needs a session.
 */
export function authPasskeyRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];

  r.post('/auth/mfa/webauthn/options', {
    schema: {
      tags,
      summary: 'Request options for the second step with a security key or passkey',
      description: 'Then `POST /auth/mfa/verify` with `method: "webauthn"` and `credential`. The challenge is bound to this mfa_token, lives 5 minutes and works once.',
      body: z.object({ mfa_token: z.string().max(200) }).strict(),
      response: { 200: RequestOptions, ...problems(400, 401, 404) },
    },
  }, async (request, reply) => {
    const out = await loginOptions(deps.core, deps.registry, request.body.mfa_token, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    reply.header('Cache-Control', 'no-store');
    return out.value as z.infer<typeof RequestOptions>;
  });

  r.post('/auth/passkey/options', {
    schema: {
      tags,
      summary: 'Request options for passwordless sign-in with a passkey',
      description: 'No allowCredentials: the browser offers its discoverable credentials, also in autofill (`mediation: "conditional"`). User verification is required.',
      body: z.object({}).strict().nullish(),
      response: { 200: RequestOptions, ...problems(400, 429) },
    },
  }, async (request, reply) => {
    const budget = await deps.core.limiter.consume('passkey_options_ip', request.ip ?? 'unknown');
    if (!budget.allowed) return sendProblem(reply, { code: 'rate_limited', detail: 'too many sign-in attempts from this address; try again later', retryAfterS: budget.retryAfterS });
    reply.header('Cache-Control', 'no-store');
    return (await passkeyOptions(deps.core, ctxOf(request, deps.clock))) as z.infer<typeof RequestOptions>;
  });

  r.post('/auth/passkey/verify', {
    schema: {
      tags,
      summary: 'Sign in with a passkey (amr hwk+user+mfa, acr aal2)',
      body: z.object({ credential: AuthenticationResponse }).strict(),
      response: { 200: TokenResponse, ...problems(400, 401, 403, 429) },
    },
  }, async (request, reply) => {
    const out = await passkeyLogin(deps.core, request.body.credential, ctxOf(request, deps.clock));
    deps.metrics.logins.inc({ outcome: out.ok ? 'passkey_success' : `passkey_${out.error.code}` });
    if (!out.ok) return sendProblem(reply, out.error);
    return grantResponse(deps, request, reply, out.value) as z.infer<typeof TokenResponse>;
  });
}
