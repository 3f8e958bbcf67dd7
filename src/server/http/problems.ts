import type { FastifyReply } from 'fastify';
import type { ErrorCode } from '../../core/errors.js';
import type { Failure } from '../../core/result.js';

/**
 * The one table from error code to HTTP status and title. A Record over the ErrorCode union:
 * a new code in core does not compile until it is mapped here.
 */
export const PROBLEMS: Record<ErrorCode, { status: number; title: string }> = {
  validation_failed: { status: 400, title: 'Invalid request' },
  invalid_credentials: { status: 401, title: 'Invalid credentials' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  mfa_token_invalid: { status: 401, title: 'Sign-in step not valid' },
  invalid_code: { status: 401, title: 'Invalid code' },
  step_up_required: { status: 401, title: 'Confirmation required' },
  forbidden: { status: 403, title: 'Forbidden' },
  policy_violation: { status: 403, title: 'Not allowed by policy' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  rate_limited: { status: 429, title: 'Too many requests' },
  delivery_failed: { status: 502, title: 'Delivery failed' },
  delivery_unavailable: { status: 503, title: 'Delivery unavailable' },
};

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  field?: string;
}

export function problemBody(f: Failure): ProblemBody {
  const { status, title } = PROBLEMS[f.code];
  const body: ProblemBody = { type: `https://twofold.dev/problems/${f.code}`, title, status, detail: f.detail ?? title, code: f.code };
  if (f.field) body.field = f.field;
  return body;
}

/** Send a failure as application/problem+json (RFC 9457). */
export function sendProblem(reply: FastifyReply, f: Failure): FastifyReply {
  const body = problemBody(f);
  if (f.code === 'rate_limited') reply.header('Retry-After', String(Math.max(1, Math.ceil(f.retryAfterS ?? 60))));
  return reply.code(body.status).type('application/problem+json').header('Cache-Control', 'no-store').send(body);
}
