import { createCodeFactor, type CodeFactor } from '../otp-codes/code-factor.js';
import type { CodeSender } from '../otp-codes/sender.js';

/**
 * Codes by text message to an enrolled E.164 number. RFC 8176 `sms`. NIST SP 800-63B §5.1.3.3
 * keeps the phone network as a *restricted* out-of-band authenticator that still reaches AAL2
 * (`acr` aal2), with the user told of its risks (SIM swap, interception) in the UI.
 */
export function createSmsFactor(sender: CodeSender): CodeFactor {
  return createCodeFactor({ channel: 'sms', amr: ['sms'], acr: 'aal2', sender });
}
