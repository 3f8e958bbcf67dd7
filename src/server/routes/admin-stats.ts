import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { adoptionStats, LOW_BACKUP_CODES } from '../../core/admin/stats.js';
import type { ServerDeps } from '../deps.js';
import { problems } from '../schemas.js';
import { adminHooks, ADMIN_PROBLEMS } from './admin-guard.js';

const Outcomes = z.object({ succeeded: z.number().int(), failed: z.number().int() });
const ByVerifyMethod = z.object({ totp: Outcomes, webauthn: Outcomes, email: Outcomes, sms: Outcomes, backup_code: Outcomes });

const Stats = z.object({
  users: z.number().int(),
  mfa_enabled: z.number().int().describe('users with at least one method'),
  by_method: z.object({ totp: z.number().int(), webauthn: z.number().int(), email: z.number().int(), sms: z.number().int() }).describe('users holding each kind'),
  verifications: z.object({ '24h': ByVerifyMethod, '7d': ByVerifyMethod }).describe('second-factor checks, login and step-up; a replayed code counts as failed'),
  lockouts: z.object({ '24h': z.number().int(), '7d': z.number().int() }),
  grace: z.object({ inside: z.number().int(), past: z.number().int() }).describe('users policy requires to enrol who have not, before and after their deadline'),
  low_backup_codes: z.number().int().describe(`users with MFA and fewer than ${LOW_BACKUP_CODES} unused backup codes`),
  share_with_mfa: z.number().describe('mfa_enabled / users, 0..1'),
});

export function adminStatsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/admin/stats', {
    ...adminHooks(deps),
    schema: { tags: ['admin'], summary: 'MFA adoption and activity', response: { 200: Stats, ...problems(...ADMIN_PROBLEMS) } },
  }, async () => {
    const s = await adoptionStats(deps.core, deps.clock.now());
    return {
      users: s.users,
      mfa_enabled: s.mfaEnabled,
      by_method: s.byMethod,
      verifications: s.verifications,
      lockouts: s.lockouts,
      grace: s.grace,
      low_backup_codes: s.lowBackupCodes,
      share_with_mfa: s.shareWithMfa,
    };
  });
}
