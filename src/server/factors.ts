import type { Factor } from '../core/auth/factor.js';
import { backupCodeFactor } from '../core/factors/backup-code.js';
import { totpFactor } from '../core/factors/totp.js';
import type { Mailer, SmsSender } from '../core/ports.js';
import type { Metrics } from './metrics.js';

/** The second factors this build offers, in the order they are listed to users. */
export function defaultFactors(_io: { mailer: Mailer; sms: SmsSender; metrics: Metrics }): Factor[] {
  return [totpFactor, backupCodeFactor];
}
