import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The built app: beside the sources (src/server) or beside the server bundle (dist). */
const DIST = [path.resolve(HERE, '../../web/dist'), path.resolve(HERE, '../web/dist')].find((d) => existsSync(path.join(d, 'index.html'))) ?? path.resolve(HERE, '../../web/dist');

/**
 * Serve the built single-page app at `/`, with index.html for client-side routes. API paths
 * never fall back to the app: an unknown /api route stays a problem+json 404.
 */
export async function serveWebUi(app: FastifyInstance): Promise<boolean> {
  if (!existsSync(path.join(DIST, 'index.html'))) {
    app.log.warn(`web UI not built (${DIST} missing): run "npm run build"`);
    return false;
  }
  await app.register(fastifyStatic, { root: DIST, prefix: '/', wildcard: false, index: ['index.html'] });
  return true;
}

/** Whether a path belongs to the API (never answered with the app's index.html). */
export function isApiPath(url: string): boolean {
  return url.startsWith('/api/') || url.startsWith('/.well-known/') || url === '/metrics' || url.startsWith('/docs') || url === '/openapi.json';
}
