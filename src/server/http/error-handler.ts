import type { FastifyError, FastifyInstance } from 'fastify';
import { sendProblem } from './problems.js';

interface ValidationIssue {
  instancePath?: string;
  params?: { missingProperty?: string; issue?: { path?: (string | number)[] } };
  message?: string;
}

/** The field a validation issue names (`body.email`, `query.cursor`...). */
function fieldOf(context: string | undefined, issue: ValidationIssue | undefined): string {
  const zodPath = issue?.params?.issue?.path;
  const fromPath = zodPath && zodPath.length > 0 ? zodPath.join('.') : (issue?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = issue?.params?.missingProperty;
  const name = [fromPath, missing].filter(Boolean).join('.');
  return name || context || 'body';
}

/**
 * Every error leaves as problem+json. Anything a client sent wrong is a 400 naming the field;
 * anything else is an opaque 500 that is logged (never with the request body).
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & { validation?: ValidationIssue[]; validationContext?: string }, request, reply) => {
    if (err.validation) {
      const issue = err.validation[0];
      const field = fieldOf(undefined, issue);
      const message = issue?.message ?? 'is not valid';
      return sendProblem(reply, { code: 'validation_failed', field, detail: `${field}: ${message}` });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const detail =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'body: larger than the 64 KiB limit'
        : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'body: content type must be application/json'
        : err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'body: empty JSON body'
        : err.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' ? 'body: content length does not match'
        : err.message.startsWith('body:') ? err.message : `body: ${err.message}`;
      return sendProblem(reply, { code: 'validation_failed', field: 'body', detail });
    }
    request.log.error({ err }, 'unhandled error');
    return reply
      .code(500)
      .type('application/problem+json')
      .send({ type: 'about:blank', title: 'Internal error', status: 500, detail: 'an internal error occurred', code: 'internal' });
  });
}

/**
 * JSON bodies: strict UTF-8 (bad bytes are a 400, not silently replaced) and JSON syntax.
 */
export function installJsonParser(app: FastifyInstance): void {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', 'application/problem+json'], { parseAs: 'buffer' }, (_req, body: Buffer, done) => {
    let text: string;
    try {
      text = decoder.decode(body);
    } catch {
      return done(Object.assign(new Error('body: not valid UTF-8'), { statusCode: 400, code: 'TF_BAD_UTF8' }), undefined);
    }
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('body: not valid JSON'), { statusCode: 400, code: 'TF_BAD_JSON' }), undefined);
    }
  });
}
