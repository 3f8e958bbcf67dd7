/**
 * Problem details (RFC 9457) as the service returns them, turned into one typed error.
 * Components react to `code` (a stable machine string) and show `detail` to people.
 */
export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
}

/** Codes the UI knows; the service may send others, which fall back to their `detail`. */
export type KnownErrorCode =
  | 'validation_failed'
  | 'invalid_credentials'
  | 'unauthenticated'
  | 'mfa_token_invalid'
  | 'invalid_code'
  | 'step_up_required'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'policy_violation'
  | 'network_error'
  | 'unexpected_response';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  /** For `rate_limited`: when the client may try again (epoch ms), from `Retry-After`. */
  readonly retryAt: number | null;

  constructor(status: number, body: ProblemBody, retryAt: number | null = null) {
    super(body.detail || body.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code ?? (status === 429 ? 'rate_limited' : 'unexpected_response');
    this.title = body.title ?? '';
    this.detail = body.detail ?? '';
    this.retryAt = retryAt;
  }

  is(code: KnownErrorCode): boolean {
    return this.code === code;
  }
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 section 10.2.3). */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return now + Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : date;
}

export function isApiError(e: unknown, code?: KnownErrorCode): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}
