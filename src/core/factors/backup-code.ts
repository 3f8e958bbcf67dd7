import { audit, EVENT } from '../audit.js';
import type { Factor } from '../auth/factor.js';
import { normalizeBackupCode } from '../backup-codes.js';
import { notifyUser } from '../notify.js';

export const BACKUP_CODE_PURPOSE = 'backup_code';

/**
 * Single-use backup codes, stored only as keyed hashes (HMAC-SHA-256). Consumption is one
 * atomic UPDATE on `used_at IS NULL`, so 20 parallel requests with one code give one success.
 */
export const backupCodeFactor: Factor = {
  method: 'backup_code',
  inline: true,
  async available(deps, user) {
    return (await deps.store.backupCodes.remaining(user.id)) > 0;
  },
  async verify(deps, attempt) {
    const normalized = normalizeBackupCode(attempt.code ?? '');
    if (!normalized) return { ok: false, reason: 'invalid' };
    const hash = deps.secrets.hash(BACKUP_CODE_PURPOSE, normalized);
    if (!(await deps.store.backupCodes.consume(attempt.user.id, hash, attempt.ctx.now))) return { ok: false, reason: 'invalid' };
    const remaining = await deps.store.backupCodes.remaining(attempt.user.id);
    await audit(deps.store, attempt.ctx, EVENT.backupCodeUsed, attempt.user.id, { remaining });
    await notifyUser(deps, attempt.user, 'backup_code_used', attempt.ctx, { remaining });
    return { ok: true, amr: ['otp'], acr: 'aal2', methodId: null, details: { remaining } };
  },
};
