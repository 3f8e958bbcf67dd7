/**
 * `otp_code`: a one-time code sent by email or SMS for enrolment, login or step-up.
 * The SMS form ends with the origin-bound line of the WebOTP / "origin-bound one-time codes"
 * format (`@host #code`, last line), which lets browsers offer the code only on that site,
 * a real defence against relaying the code to a phishing page.
 */
import type { OtpPurpose } from '../../core/types.js';
import { renderHtml, renderText, type EmailParts } from './layout.js';
import { optInt, optStr, readCommon, str } from './read.js';
import type { Locale, OtpCodeData, Rendered } from './types.js';

/** API.md defaults: email and SMS codes live 10 minutes. */
const DEFAULT_MINUTES = 10;
const PURPOSES: readonly OtpPurpose[] = ['enroll', 'login', 'step_up'];
// A host name as WebOTP wants it: no scheme, no path, no spaces.
const HOST = /^[a-z0-9.-]+(?::\d+)?$/i;

export function readOtpCode(data: Record<string, unknown>): OtpCodeData {
  const code = str(data, 'code', 32);
  if (!/^[0-9A-Za-z-]+$/.test(code)) throw new Error('template data "code" must be digits or letters');
  const purpose = optStr(data, 'purpose', 16);
  if (purpose !== null && !PURPOSES.includes(purpose as OtpPurpose)) throw new Error(`unknown code purpose "${purpose}"`);
  const host = optStr(data, 'host', 253);
  if (host !== null && !HOST.test(host)) throw new Error('template data "host" must be a host name');
  const minutes = optInt(data, 'minutes') ?? DEFAULT_MINUTES;
  return { ...readCommon(data), code, purpose: purpose as OtpPurpose | null, host, minutes };
}

export function renderOtpCode(d: OtpCodeData, l: Locale): Rendered {
  const t = l.otpCode;
  const parts: EmailParts = {
    subject: t.subject,
    name: d.name,
    paragraphs: [t.intro(d.purpose)],
    code: d.code,
    notes: [t.expires(d.minutes), t.neverShare],
    details: d,
    advice: [t.notRequested(d.appUrl)],
  };
  const sms = d.host ? `${t.sms(d.code, d.minutes)}\n\n@${d.host} #${d.code}` : t.sms(d.code, d.minutes);
  return { subject: t.subject, text: renderText(l, parts), html: renderHtml(l, parts), sms };
}
