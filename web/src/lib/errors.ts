import { ApiError } from '../api/problem';
import { t } from '../i18n';
import { formatTime, formatWait } from './format';

export interface ErrorText {
  /** What happened and what to do, in the UI's words (reacting to `code`). */
  message: string;
  /** The service's own `detail`, when it adds something. */
  detail: string | null;
}

/** Turns any failure into words for people. Unknown codes fall back to the service's detail. */
export function describeError(e: unknown): ErrorText {
  if (!(e instanceof ApiError)) return { message: t('error.unexpected'), detail: null };
  const detail = e.detail && e.detail !== e.title ? e.detail : null;
  const own = (message: string): ErrorText => ({ message, detail: detail && detail !== message ? detail : null });
  switch (e.code) {
    case 'rate_limited':
      return own(e.retryAt ? t('error.rateLimitedUntil', { wait: formatWait(e.retryAt), time: formatTime(e.retryAt) }) : t('error.rateLimited'));
    case 'network_error':
      return own(t('error.network'));
    case 'mfa_token_invalid':
      return own(t('error.mfaTokenInvalid'));
    case 'invalid_code':
      return own(t('error.invalidCode'));
    case 'invalid_credentials':
      return own(t('error.invalidCredentials'));
    case 'policy_violation':
      return own(t('error.policyViolation'));
    case 'step_up_required':
      return own(t('error.stepUpRequired'));
    case 'forbidden':
      return own(t('error.forbidden'));
    case 'conflict':
      return { message: detail ?? t('error.conflict'), detail: null };
    case 'validation_failed':
      return { message: detail ?? t('error.validation'), detail: null };
    case 'not_found':
      return { message: detail ?? t('error.notFound'), detail: null };
    default:
      return { message: detail ?? (e.title || t('error.unexpected')), detail: null };
  }
}

/**
 * A refused "send me a code": the send limits (one per 30 s, a few per hour) say when the next
 * code may be asked for, which reads better than "too many attempts". Other errors pass through.
 */
export function sendFailure(e: unknown): unknown {
  if (e instanceof ApiError && e.code === 'rate_limited' && e.retryAt) {
    return t('error.sendLimitedUntil', { wait: formatWait(e.retryAt), time: formatTime(e.retryAt) });
  }
  return e;
}
