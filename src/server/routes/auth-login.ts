import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createAccount } from '../../core/accounts/register.js';
import { passwordLogin } from '../../core/auth/login.js';
import { verifyLoginFactor } from '../../core/auth/mfa-verify.js';
import { endSession, refreshSession } from '../../core/auth/sessions.js';
import type { VerifyMethod } from '../../core/types.js';
import type { ServerDeps } from '../deps.js';
import { authOf, requireSession } from '../http/authenticate.js';
import { clearSessionCookies, COOKIE, wantsCookies } from '../http/cookies.js';
import { ctxOf } from '../http/context.js';
import { grantResponse, isSecure } from '../http/grant.js';
import { sendProblem } from '../http/problems.js';
import { Credential, Email, MfaRequiredResponse, Name, OneTimeCode, Password, problems, TokenResponse, VerifyMethod as VerifyMethodSchema } from '../schemas.js';

export function authLoginRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];

  r.post('/auth/register', {
    schema: {
      tags,
      summary: 'Create an account',
      body: z.object({ email: Email, password: Password, name: Name.optional() }).strict(),
      response: { 201: z.object({ user_id: z.string() }), 202: z.object({}), ...problems(400, 403, 409) },
    },
  }, async (request, reply) => {
    const ctx = ctxOf(request, deps.clock);
    const out = await createAccount(deps.core, request.body, ctx, { selfService: true });
    if (!out.ok) return sendProblem(reply, out.error);
    if (out.value.existed) return reply.code(202).send({});
    return reply.code(201).send({ user_id: out.value.user.id });
  });

  r.post('/auth/login', {
    schema: {
      tags,
      summary: 'Password step of the login',
      body: z.object({ email: Email, password: Password, device_token: z.string().max(200).optional() }).strict(),
      response: { 200: z.union([TokenResponse, MfaRequiredResponse]), ...problems(400, 401, 403, 429) },
    },
  }, async (request, reply) => {
    const ctx = ctxOf(request, deps.clock);
    const deviceToken = request.body.device_token ?? (wantsCookies(request) ? request.cookies[COOKIE.device] : undefined);
    const out = await passwordLogin(deps.core, deps.registry, { ...request.body, deviceToken }, ctx);
    if (!out.ok) {
      deps.metrics.logins.inc({ outcome: out.error.code });
      return sendProblem(reply, out.error);
    }
    const res = out.value;
    reply.header('Cache-Control', 'no-store');
    if (res.kind === 'mfa') {
      deps.metrics.logins.inc({ outcome: 'mfa_required' });
      return { mfa_required: true as const, mfa_token: res.mfaToken, methods: res.methods, expires_in: res.expiresIn };
    }
    deps.metrics.logins.inc({ outcome: 'success' });
    return grantResponse(deps, request, reply, res.grant, { enrollBy: res.enrollBy, enrollmentRequired: res.enrollmentRequired }) as z.infer<typeof TokenResponse>;
  });

  r.post('/auth/mfa/verify', {
    schema: {
      tags,
      summary: 'Second step of the login',
      body: z
        .object({
          mfa_token: z.string().max(200),
          method: VerifyMethodSchema,
          code: OneTimeCode.optional(),
          credential: Credential.optional(),
          trust_device: z.boolean().optional(),
        })
        .strict(),
      response: { 200: TokenResponse, ...problems(400, 401, 429) },
    },
  }, async (request, reply) => {
    const ctx = ctxOf(request, deps.clock);
    const b = request.body;
    const method = b.method as VerifyMethod;
    if (method === 'webauthn' ? b.credential === undefined : b.code === undefined) {
      const field = method === 'webauthn' ? 'credential' : 'code';
      return sendProblem(reply, { code: 'validation_failed', field, detail: `${field}: is required for method ${method}` });
    }
    const out = await verifyLoginFactor(deps.core, deps.registry, { mfaToken: b.mfa_token, method, code: b.code, credential: b.credential, trustDevice: b.trust_device }, ctx);
    deps.metrics.verifications.inc({ method, outcome: out.ok ? 'success' : out.error.code });
    if (!out.ok) return sendProblem(reply, out.error);
    const device = out.value.device ? { token: out.value.device.token, expiresAt: out.value.device.device.expiresAt } : undefined;
    return grantResponse(deps, request, reply, out.value.grant, { device }) as z.infer<typeof TokenResponse>;
  });

  r.post('/auth/token/refresh', {
    schema: {
      tags,
      summary: 'Rotate the refresh token',
      body: z.object({ refresh_token: z.string().max(200).optional() }).strict(),
      response: { 200: TokenResponse, ...problems(400, 401) },
    },
  }, async (request, reply) => {
    const token = request.body.refresh_token ?? (wantsCookies(request) ? request.cookies[COOKIE.refresh] : undefined);
    if (!token) return sendProblem(reply, { code: 'validation_failed', field: 'refresh_token', detail: 'refresh_token: is required' });
    const out = await refreshSession(deps.core, token, ctxOf(request, deps.clock));
    if (!out.ok) {
      if (wantsCookies(request)) clearSessionCookies(reply, isSecure(deps));
      return sendProblem(reply, out.error);
    }
    return grantResponse(deps, request, reply, out.value) as z.infer<typeof TokenResponse>;
  });

  r.post('/auth/logout', {
    onRequest: requireSession(deps, { enrollment: true }),
    schema: { tags, summary: 'End this session', body: z.object({}).strict().nullish(), response: { 204: z.null(), ...problems(401) } },
  }, async (request, reply) => {
    await endSession(deps.core, authOf(request).session, ctxOf(request, deps.clock));
    if (authOf(request).via === 'cookie' || wantsCookies(request)) clearSessionCookies(reply, isSecure(deps));
    return reply.code(204).send(null);
  });
}
