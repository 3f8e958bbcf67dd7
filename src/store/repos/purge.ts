import type { PurgeRepo } from '../../core/ports.js';
import { affected, type RepoDeps } from './codec.js';

/**
 * Deleting what has ended: short-lived single-use rows (MFA-pending tokens, challenges, reset
 * links, pending enrolments, refresh tokens) once expired, ended sessions and trusted devices,
 * and delivered or abandoned outbox mail. The audit trail keeps the history; these rows only
 * keep the database small (and unauthenticated endpoints that create challenges bounded).
 */
export function createPurgeRepo({ db }: RepoDeps): PurgeRepo {
  return {
    async purgeExpired(before) {
      const counts: Record<string, number> = {};
      const byExpiry = ['mfa_pending', 'otp_challenges', 'webauthn_challenges', 'password_resets', 'totp_enrollments', 'refresh_tokens'] as const;
      for (const table of byExpiry) {
        counts[table] = affected(await db.deleteFrom(table).where('expires_at', '<', before).executeTakeFirst());
      }
      counts.trusted_devices = affected(
        await db.deleteFrom('trusted_devices').where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)])).executeTakeFirst(),
      );
      counts.sessions = affected(
        await db.deleteFrom('sessions').where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)])).executeTakeFirst(),
      );
      counts.outbox = affected(
        await db.deleteFrom('outbox').where((eb) => eb.or([eb('sent_at', '<', before), eb('failed_at', '<', before)])).executeTakeFirst(),
      );
      return counts;
    },
  };
}
