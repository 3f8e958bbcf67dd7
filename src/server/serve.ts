import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { bootstrapAdmin } from './bootstrap-admin.js';
import { compose } from './compose.js';
import type { Config } from './config.js';
import { createLogger } from './logger.js';
import { holdHeapSettings } from './heap-settings.js';

/** V8's heap for a small service (see heap-settings.ts; measured in bench/README.md). */
const HEAP = { semiSpaceMb: 2, heapGrowingPercent: 15 };

/** Start the service: compose, bootstrap the admin, listen, and stop cleanly on SIGTERM/SIGINT. */
export async function serve(config: Readonly<Config>): Promise<FastifyInstance> {
  const log = createLogger(config.logLevel);
  const composed = await compose(config, { log });
  const created = await bootstrapAdmin(composed.deps.core, config.admin, composed.deps.clock.now());
  if (created === 'created') log.info({ email: config.admin?.email }, 'created the bootstrap admin');
  const app = await buildApp(composed.deps, { loggerInstance: log });
  app.addHook('onClose', async () => composed.close());
  await app.listen({ port: config.port, host: config.host });
  composed.start();
  holdHeapSettings(HEAP, `${process.execArgv.join(' ')} ${config.nodeOptions}`);
  log.info({ url: config.publicUrl, database: composed.opened.dialect, redis: !!config.redisUrl }, 'twofold is ready');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return app;
}
