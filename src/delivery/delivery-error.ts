/**
 * The error every sender throws. Its message is safe to log and to store in the outbox's
 * `last_error`: senders build it from the provider's answer with every credential removed.
 * `permanent` marks a failure that retrying the same message cannot fix (a recipient the
 * provider rejects), so the outbox worker gives up at once instead of retrying for hours.
 */
export class DeliveryError extends Error {
  readonly permanent: boolean;
  /** HTTP status of a REST provider, or the SMTP reply code. */
  readonly status: number | undefined;
  /** The provider's own error code (Twilio's `code`, nodemailer's `EAUTH`...). */
  readonly code: string | undefined;

  constructor(message: string, opts: { permanent?: boolean; status?: number; code?: string | number } = {}) {
    super(message);
    this.name = 'DeliveryError';
    this.permanent = opts.permanent ?? false;
    this.status = opts.status;
    this.code = opts.code === undefined ? undefined : String(opts.code);
  }
}

/** Whether an error says retrying cannot help (any sender may set `permanent: true`). */
export function isPermanent(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { permanent?: unknown }).permanent === true;
}

/**
 * Remove every secret from a text, in the spellings it may take in a message (as is,
 * URL-encoded, base64 of `user:pass`), so a provider that echoes a credential back cannot
 * make us log it.
 */
export function redact(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (!s) continue;
    for (const form of new Set([s, encodeURIComponent(s), Buffer.from(s).toString('base64')])) {
      out = out.split(form).join('[redacted]');
    }
  }
  return out;
}

/**
 * Describe a failed fetch without echoing its URL (which may carry a token in the query):
 * a timeout by its limit, a network failure by its cause code (ECONNREFUSED...).
 */
export function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}
