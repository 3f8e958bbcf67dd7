import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';

export function opsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['operations'];

  r.get('/healthz', { schema: { tags, summary: 'Process is up', response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  r.get('/readyz', {
    schema: { tags, summary: 'Database reachable', response: { 200: z.object({ status: z.literal('ready') }), 503: z.object({ status: z.literal('unavailable') }) } },
  }, async (_request, reply) => {
    const ok = await deps.ready().catch(() => false);
    return ok ? { status: 'ready' as const } : reply.code(503).send({ status: 'unavailable' as const });
  });

  r.get('/metrics', { schema: { tags, summary: 'Prometheus metrics', hide: false } }, async (_request, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  r.get('/.well-known/jwks.json', { schema: { tags, summary: 'Public keys of the access tokens' } }, async (_request, reply) => {
    reply.header('Cache-Control', 'public, max-age=300');
    return deps.jwt.jwks(deps.clock.now());
  });
}
