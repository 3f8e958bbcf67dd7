/**
 * Reading email and SMS codes the way a user does: out of the message that really arrived at
 * the test SMTP server or the Twilio stand-in.
 */
import type { ReceivedMail, TestSmtpServer } from './smtp-server.js';
import type { TwilioStandin } from './twilio-standin.js';

/** The code line of the `otp_code` mail (indented, on its own line). */
const MAIL_CODE = /^\s+(\d{6})\s*$/m;
/** "Your Twofold code is 123456." */
const SMS_CODE = /code is (\d{6})\b/;

/** How many messages the server holds now: pass it to `nextMail` to wait for a newer one. */
export const mark = (smtp: TestSmtpServer): number => smtp.messages.length;

/** The first message to `to` received after `since`, waiting for it. */
export function nextMail(smtp: TestSmtpServer, to: string, since: number, subject?: RegExp): Promise<ReceivedMail> {
  return smtp.waitFor((m) => smtp.messages.indexOf(m) >= since && m.to.includes(to) && (!subject || subject.test(m.subject)));
}

/** The code in the first code mail to `to` after `since`. */
export async function mailedCode(smtp: TestSmtpServer, to: string, since: number): Promise<string> {
  const m = await nextMail(smtp, to, since, /verification code/);
  const found = MAIL_CODE.exec(m.text);
  if (!found) throw new Error(`no code in the mail: ${m.text}`);
  return found[1];
}

/** The messages the stand-in accepted for `to`, newest last. */
export const textsTo = (twilio: TwilioStandin, to: string) => twilio.accepted.filter((a) => a.to === to);

/** The code in the newest text message the stand-in accepted for `to`. */
export function textedCode(twilio: TwilioStandin, to: string): string {
  const last = textsTo(twilio, to).at(-1);
  const found = last && SMS_CODE.exec(last.body);
  if (!found) throw new Error(`no code texted to ${to}: ${JSON.stringify(twilio.accepted)}`);
  return found[1];
}

/** A different 6-digit code than `code` (a wrong guess that is surely wrong). */
export const wrong = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
