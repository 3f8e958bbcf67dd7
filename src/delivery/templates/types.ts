/**
 * The shapes behind every message: the typed data each template renders from, and the
 * `Locale` catalogue that holds every word. A new language is one more `Locale` object in
 * `locales/`; the templates themselves hold structure only.
 */
import type { OtpPurpose } from '../../core/types.js';
import type { BrowserName } from './user-agent.js';

export interface Rendered {
  subject: string;
  text: string;
  html: string;
  /** A short text for SMS (every template has one, so any message can go either way). */
  sms: string;
}

/** Who acted, when, from where: the facts NIST SP 800-63B asks a notification to carry. */
export interface Occurrence {
  at: number | null;
  ip: string | null;
  userAgent: string | null;
}

/** Fields every message may use. */
export interface Common extends Occurrence {
  /** The recipient's display name, for the greeting. */
  name: string | null;
  /** Where the user can act (sign in, reset the password). */
  appUrl: string | null;
}

export interface OtpCodeData extends Common {
  code: string;
  minutes: number;
  purpose: OtpPurpose | null;
  /** WebOTP origin-bound line: the host the code is for (SMS only). */
  host: string | null;
}

export interface PasswordResetData extends Common {
  link: string;
  minutes: number;
}

export interface FactorData extends Common {
  methodType: string;
  methodName: string | null;
}

export interface NoticeData {
  factor_added: FactorData;
  factor_removed: FactorData;
  mfa_disabled: Common;
  backup_codes_regenerated: Common;
  backup_code_used: Common & { remaining: number };
  /** `hard`: too many failures in a row; only an admin reset or a backup code gets back in. */
  lockout: Common & { until: number | null; hard: boolean };
  password_changed: Common;
  password_reset_done: Common;
  trusted_device_added: Common & { deviceName: string | null };
  mfa_reset_by_admin: Common & { reason: string | null };
  enrollment_reminder: Common & { deadline: number };
}

export type NoticeName = keyof NoticeData;

export interface NoticeText<D> {
  subject: string;
  /** What happened, as one or more paragraphs. */
  body(d: D): string[];
  /** The same, short enough for one SMS together with the advice line. */
  sms(d: D): string;
}

export interface Locale {
  /** BCP 47 tag, for `<html lang>`. */
  tag: string;
  product: string;
  /** A readable UTC date and time, with "UTC" spelled out. */
  dateTime(ms: number): string;
  /** "10 minutes", "1 hour". */
  duration(minutes: number): string;
  greeting(name: string | null): string;
  signoff: string;
  automated: string;
  labels: {
    details: string;
    when: string;
    ip: string;
    browser: string;
    userAgent: string;
    unknown: string;
  };
  browserOn(b: BrowserName): string | null;
  methodType(type: string): string;
  advice: {
    ifYou: string;
    /** Not you: reset the password, contact the admin, where to go. */
    notYou(appUrl: string | null): string;
    /** Not expected (an admin acted): contact the admin. */
    contactAdmin(appUrl: string | null): string;
    smsNotYou(appUrl: string | null): string;
    openApp: string;
  };
  otpCode: {
    subject: string;
    intro(purpose: OtpPurpose | null): string;
    expires(minutes: number): string;
    neverShare: string;
    notRequested(appUrl: string | null): string;
    sms(code: string, minutes: number): string;
  };
  passwordReset: {
    subject: string;
    intro: string;
    action: string;
    expires(minutes: number): string;
    notRequested: string;
    sms(link: string, minutes: number): string;
  };
  notices: { [K in NoticeName]: NoticeText<NoticeData[K]> };
}
