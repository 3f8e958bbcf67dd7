import path from 'node:path';
import { pino } from 'pino';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ServerDeps } from './deps.js';
import { installErrorHandling, installJsonParser } from './http/error-handler.js';
import { apiRoutes } from './routes/index.js';
import { opsRoutes } from './routes/ops.js';
import { isApiPath, serveWebUi } from './web-ui.js';
import { sendProblem } from './http/problems.js';

/** 64 KiB: no request of this API needs more (a WebAuthn response is a few KiB). */
export const BODY_LIMIT = 64 * 1024;

export interface AppOptions {
  /** A pino logger; none (silent) by default, as in tests. */
  loggerInstance?: FastifyBaseLogger;
  /** Serve the built web UI from web/dist (default true). */
  webUi?: boolean;
}

/** A hop count trusts that many proxies in front of us; otherwise as Fastify takes it. */
function trustProxyOption(v: boolean | number | string): boolean | string | ((addr: string, hop: number) => boolean) {
  return typeof v === 'number' ? (_addr: string, hop: number) => hop < v : v;
}

/** The HTTP edge: one Fastify instance over already-built dependencies. */
export async function buildApp(deps: ServerDeps, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.loggerInstance ?? pino({ level: 'silent' }),
    bodyLimit: BODY_LIMIT,
    trustProxy: trustProxyOption(deps.config.trustProxy),
    requestIdHeader: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installJsonParser(app);
  installErrorHandling(app);
  app.decorateRequest('auth', null);
  await app.register(fastifyCookie);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Twofold API', version: '1.0.0', description: 'Multi-factor authentication service. Contract: API.md; browser cookie mode: docs/browser-session.md.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  // Latency by route pattern (low cardinality), and no caching of anything sensitive.
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store');
    reply.header('X-Content-Type-Options', 'nosniff');
    return payload;
  });

  opsRoutes(app, deps);
  await app.register(async (api) => apiRoutes(api, deps), { prefix: '/api/v1' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  const withUi = opts.webUi !== false && (await serveWebUi(app));
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0];
    if (withUi && request.method === 'GET' && !isApiPath(url) && !path.extname(url)) {
      return reply.type('text/html').header('Cache-Control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(reply, { code: 'not_found', detail: `no route ${request.method} ${url}` });
  });
  return app;
}
