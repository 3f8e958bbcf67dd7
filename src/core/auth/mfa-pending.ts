import type { CoreDeps } from '../deps.js';
import { newOpaqueToken, parseOpaqueToken } from '../tokens.js';
import type { Ctx, MfaPending } from '../types.js';

const PURPOSE = 'mfa_pending';
/** API.md: the MFA-pending token allows at most 5 wrong codes. */
export const MFA_PENDING_MAX_ATTEMPTS = 5;

/** Issue the short-lived token that stands between the password step and the session. */
export async function createMfaPending(deps: CoreDeps, userId: string, ctx: Ctx): Promise<{ token: string; expiresIn: number }> {
  const t = newOpaqueToken(deps.random, deps.secrets, PURPOSE);
  const expiresIn = deps.settings.mfaPendingTtlS;
  const rec: MfaPending = {
    id: t.id,
    userId,
    secretHash: t.hash,
    createdAt: ctx.now,
    expiresAt: ctx.now + expiresIn * 1000,
    attempts: 0,
    consumedAt: null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  };
  await deps.store.mfaPending.create(rec);
  return { token: t.token, expiresIn };
}

/**
 * Find the live MFA-pending record a token names: unknown, tampered, expired, consumed or
 * exhausted all answer undefined (API.md: `mfa_token_invalid`, one answer for all).
 */
export async function resolveMfaPending(deps: CoreDeps, token: unknown, now: number): Promise<MfaPending | undefined> {
  const parsed = parseOpaqueToken(token);
  if (!parsed) return undefined;
  const rec = await deps.store.mfaPending.byId(parsed.id);
  if (!rec || !deps.secrets.verify(PURPOSE, parsed.secret, rec.secretHash)) return undefined;
  if (rec.consumedAt !== null || rec.expiresAt <= now || rec.attempts >= MFA_PENDING_MAX_ATTEMPTS) return undefined;
  return rec;
}
