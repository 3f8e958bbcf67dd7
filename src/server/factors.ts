import type { Factor } from '../core/auth/factor.js';
import { backupCodeFactor } from '../core/factors/backup-code.js';
import { createEmailFactor } from '../core/factors/email.js';
import { createSmsFactor } from '../core/factors/sms.js';
import { totpFactor } from '../core/factors/totp.js';
import { webauthnFactor } from '../core/factors/webauthn.js';
import type { Mailer, SmsSender } from '../core/ports.js';
import { createCodeSender } from './code-sender.js';
import type { Metrics } from './metrics.js';

/** The second factors this build offers, in the order they are listed to users. */
export function defaultFactors(io: { mailer: Mailer; sms: SmsSender; metrics: Metrics }): Factor[] {
  // Email and SMS codes leave through the real mailer and SMS provider (one sender for both).
  const codes = createCodeSender(io);
  return [totpFactor, webauthnFactor, createEmailFactor(codes), createSmsFactor(codes), backupCodeFactor];
}
