import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../core/ports.js';
import type { Ctx } from '../../core/types.js';

/** The request context handed to core: the clock's now, the client address and browser. */
export function ctxOf(request: FastifyRequest, clock: Clock): Ctx {
  const ua = request.headers['user-agent'];
  return {
    now: clock.now(),
    ip: request.ip ?? null,
    userAgent: typeof ua === 'string' ? ua.slice(0, 512) : null,
  };
}
