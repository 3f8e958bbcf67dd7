import { useCallback, useEffect, useState } from 'react';
import { isApiError } from '../api/problem';

/**
 * After a 429 with `Retry-After`, the moment the action may be tried again, so a button can
 * wait until then. Cleared by itself when the time comes.
 */
export function useRetryAfter() {
  const [retryAt, setRetryAt] = useState<number | null>(null);

  useEffect(() => {
    if (retryAt === null) return;
    const timer = setTimeout(() => setRetryAt(null), Math.max(0, retryAt - Date.now()));
    return () => clearTimeout(timer);
  }, [retryAt]);

  /** Remembers the retry time of a rate-limited answer; other errors change nothing. */
  const note = useCallback((e: unknown) => {
    if (isApiError(e, 'rate_limited') && e.retryAt) setRetryAt(e.retryAt);
  }, []);

  return { waiting: retryAt !== null, retryAt, note };
}
