import type { ErrorCode } from './errors.js';

/** An expected failure of a domain operation: mapped to HTTP by the server's one table. */
export interface Failure {
  code: ErrorCode;
  /** Human-readable detail; never contains a secret. */
  detail?: string;
  /** For `rate_limited`: seconds until the caller may try again. */
  retryAfterS?: number;
  /** For `validation_failed`: the offending field. */
  field?: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Failure };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, detail?: string, extra: Omit<Failure, 'code' | 'detail'> = {}): { ok: false; error: Failure } => ({
  ok: false,
  error: { code, detail, ...extra },
});
