import { createCodeFactor, type CodeFactor } from '../otp-codes/code-factor.js';
import type { CodeSender } from '../otp-codes/sender.js';

/**
 * Codes by email to the address proven at enrolment. RFC 8176 `otp`. They count as the weaker
 * factor (`acr` aal1): NIST SP 800-63B §5.1.3.1 does not accept email as an out-of-band
 * channel, since a mailbox is usually reachable with the same password.
 */
export function createEmailFactor(sender: CodeSender): CodeFactor {
  return createCodeFactor({ channel: 'email', amr: ['otp'], acr: 'aal1', sender });
}
