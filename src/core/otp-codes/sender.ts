/**
 * The port through which codes leave: core decides what to send and when, the server renders
 * the `otp_code` template and hands it to the mailer or the SMS provider.
 */
import type { OtpChannel, OtpPurpose } from '../types.js';

export interface CodeMessage {
  channel: OtpChannel;
  /** The address or E.164 number. */
  to: string;
  code: string;
  purpose: OtpPurpose;
  /** How long the code is valid, for the text. */
  minutes: number;
  /** The host the code is for (the WebOTP `@host #code` line of an SMS), if known. */
  host: string | null;
  /** The recipient's display name, for the greeting. */
  name: string | null;
}

/**
 * Whether the message left. `permanent`: the provider refused it and will refuse it again
 * (an invalid number, an unknown mailbox); otherwise it may work in a moment. `error` is safe
 * to store in the audit trail: no credential, no code.
 */
export type CodeDelivery = { ok: true } | { ok: false; permanent: boolean; error: string };

export interface CodeSender {
  /** Send synchronously (the user is waiting); answers, never throws for a delivery failure. */
  send(message: CodeMessage): Promise<CodeDelivery>;
}
