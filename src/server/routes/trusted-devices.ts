import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { revokeAllTrustedDevices, revokeTrustedDevice } from '../../core/auth/trusted-devices.js';
import type { ServerDeps } from '../deps.js';
import { authOf, requireSession } from '../http/authenticate.js';
import { ctxOf } from '../http/context.js';
import { sendProblem } from '../http/problems.js';
import { iso, problems } from '../schemas.js';

export function trustedDeviceRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['mfa: trusted devices'];
  // Not for the enrolment-only session: only enrolment endpoints are (API.md "Administration").
  const session = requireSession(deps);

  r.get('/mfa/trusted-devices', {
    onRequest: session,
    schema: {
      tags,
      summary: 'Browsers that skip the second factor',
      response: {
        200: z.object({
          devices: z.array(z.object({ id: z.string(), name: z.string(), created_at: z.string(), last_used_at: z.string().nullable(), expires_at: z.string(), ip: z.string().nullable(), user_agent: z.string().nullable() })),
        }),
        ...problems(401),
      },
    },
  }, async (request) => {
    const list = await deps.core.store.trustedDevices.listLive(authOf(request).user.id, deps.clock.now());
    return {
      devices: list.map((d) => ({ id: d.id, name: d.name, created_at: iso(d.createdAt)!, last_used_at: iso(d.lastUsedAt), expires_at: iso(d.expiresAt)!, ip: d.ip, user_agent: d.userAgent })),
    };
  });

  r.delete('/mfa/trusted-devices/:id', {
    onRequest: session,
    schema: { tags, summary: 'Forget one trusted browser', params: z.object({ id: z.string().max(64) }), response: { 204: z.null(), ...problems(401, 404) } },
  }, async (request, reply) => {
    const out = await revokeTrustedDevice(deps.core, authOf(request).user.id, request.params.id, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(204).send(null);
  });

  r.delete('/mfa/trusted-devices', {
    onRequest: session,
    schema: { tags, summary: 'Forget every trusted browser', response: { 204: z.null(), ...problems(401) } },
  }, async (request, reply) => {
    await revokeAllTrustedDevices(deps.core, authOf(request).user.id, ctxOf(request, deps.clock), 'user_request');
    return reply.code(204).send(null);
  });
}
