import { EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { VERIFY_METHODS, type MfaMethodType, type VerifyMethod } from '../types.js';
import { mfaAudience } from './audience.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Fewer unused backup codes than this and a user is one lost phone away from a lockout. */
export const LOW_BACKUP_CODES = 3;

export type Window = '24h' | '7d';
type Outcomes = { succeeded: number; failed: number };

export interface AdoptionStats {
  users: number;
  mfaEnabled: number;
  /** Users holding at least one method of the type. */
  byMethod: Record<MfaMethodType, number>;
  /** Second-factor checks (login and step-up) by method and outcome. */
  verifications: Record<Window, Record<VerifyMethod, Outcomes>>;
  lockouts: Record<Window, number>;
  /** Users the policy requires to enrol who have not: still in their grace period, or past it. */
  grace: { inside: number; past: number };
  lowBackupCodes: number;
  /** mfaEnabled / users, 0 with no users. */
  shareWithMfa: number;
}

/** A replayed code is a failed check too (second-factor.ts records it under its own type). */
const OUTCOME_OF: Record<string, keyof Outcomes> = {
  [EVENT.mfaVerified]: 'succeeded',
  [EVENT.mfaFailed]: 'failed',
  [EVENT.mfaReplay]: 'failed',
};

function emptyVerifications(): Record<VerifyMethod, Outcomes> {
  return Object.fromEntries(VERIFY_METHODS.map((m) => [m, { succeeded: 0, failed: 0 }])) as Record<VerifyMethod, Outcomes>;
}

/** GET /admin/stats: every number is an aggregate query in the database, none a scan in memory. */
export async function adoptionStats(deps: CoreDeps, now: number): Promise<AdoptionStats> {
  const policy = await deps.policy();
  const [users, mfaEnabled, byMethod, events, grace, lowBackupCodes] = await Promise.all([
    deps.store.users.count(),
    deps.store.methods.usersWithMfa(),
    deps.store.stats.usersByMethod(),
    deps.store.stats.eventsByMethod([...Object.keys(OUTCOME_OF), EVENT.mfaLockout], now - 7 * DAY_MS, now - DAY_MS),
    deps.store.stats.graceCounts(mfaAudience(policy), policy.grace_period_days * DAY_MS, now),
    deps.store.backupCodes.usersBelow(LOW_BACKUP_CODES),
  ]);
  const verifications: Record<Window, Record<VerifyMethod, Outcomes>> = { '24h': emptyVerifications(), '7d': emptyVerifications() };
  const lockouts: Record<Window, number> = { '24h': 0, '7d': 0 };
  for (const row of events) {
    if (row.type === EVENT.mfaLockout) {
      lockouts['7d'] += row.total;
      lockouts['24h'] += row.recent;
      continue;
    }
    const outcome = OUTCOME_OF[row.type];
    if (!outcome || !row.method || !(VERIFY_METHODS as readonly string[]).includes(row.method)) continue;
    verifications['7d'][row.method as VerifyMethod][outcome] += row.total;
    verifications['24h'][row.method as VerifyMethod][outcome] += row.recent;
  }
  const shareWithMfa = users === 0 ? 0 : Math.round((mfaEnabled / users) * 10_000) / 10_000;
  return { users, mfaEnabled, byMethod, verifications, lockouts, grace, lowBackupCodes, shareWithMfa };
}
