import { pino, type Logger } from 'pino';

/**
 * Structured logs. Credentials never reach them: Authorization and Cookie headers and
 * Set-Cookie are redacted, and no request or response body is logged.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
  });
}
