import { generateBackupCodes, normalizeBackupCode } from '../backup-codes.js';
import type { CoreDeps } from '../deps.js';
import { BACKUP_CODE_PURPOSE } from '../factors/backup-code.js';
import type { BackupCode } from '../types.js';

/**
 * Replace every backup code of a user with 10 fresh ones (one transaction), and return the
 * plaintext: this is the only moment it exists outside the user's hands.
 */
export async function issueBackupCodes(deps: CoreDeps, userId: string, now: number): Promise<string[]> {
  const codes = generateBackupCodes(deps.random);
  const rows: BackupCode[] = codes.map((code) => ({
    id: deps.random.uuid(),
    userId,
    codeHash: deps.secrets.hash(BACKUP_CODE_PURPOSE, normalizeBackupCode(code)!),
    createdAt: now,
    usedAt: null,
  }));
  await deps.store.backupCodes.replaceAll(userId, rows);
  return codes;
}
