/**
 * Message templates: `renderMessage(name, data, locale)` is the one entry point. Data is the
 * JSON stored with an outbox message; each template checks it (see `read.ts`) and renders
 * subject, text and HTML bodies and a short SMS text.
 *
 * The data contract (camelCase; snake_case accepted; times as RFC 3339 strings or epoch ms):
 * - every template, all optional: `name`, `appUrl`, `at`, `ip`, `userAgent`, `locale`
 * - `otp_code`: `code` (required), `minutes` (default 10), `purpose` (`enroll` | `login` |
 *   `step_up`), `host` (adds the WebOTP `@host #code` line to the SMS)
 * - `password_reset`: `link` (required, http(s)), `minutes` (default 60)
 * - `factor_added`, `factor_removed`: `methodType` (required), `methodName`
 * - `backup_code_used`: `remaining`; `lockout`: `until`, `hard`;
 *   `trusted_device_added`: `deviceName`; `mfa_reset_by_admin`: `reason`
 * - `enrollment_reminder`: `deadline` (required)
 * - `mfa_disabled`, `backup_codes_regenerated`, `password_changed`, `password_reset_done`:
 *   the common fields only
 */
import { en } from './locales/en.js';
import { readOtpCode, renderOtpCode } from './otp-code.js';
import { readPasswordReset, renderPasswordReset } from './password-reset.js';
import { NOTICE_NAMES, isNoticeName, renderNotice } from './security-notices.js';
import type { Locale, NoticeName, Rendered } from './types.js';

export type TemplateName = 'otp_code' | 'password_reset' | NoticeName;

export const TEMPLATE_NAMES: readonly TemplateName[] = ['otp_code', 'password_reset', ...NOTICE_NAMES];

/** Every language we have; adding one is a file in `locales/` and a line here. */
export const LOCALES: Readonly<Record<string, Locale>> = Object.freeze({ en });

export const DEFAULT_LOCALE = 'en';

export function isTemplateName(name: string): name is TemplateName {
  return name === 'otp_code' || name === 'password_reset' || isNoticeName(name);
}

/**
 * Render a message. An unknown locale falls back to English (a message in the wrong
 * language beats no message); an unknown template or bad data throws, since that is a bug
 * in the caller, not something a retry can fix.
 *
 * @param locale BCP 47 tag; `en-GB` finds `en`. @default 'en'
 */
export function renderMessage(template: string, data: Record<string, unknown>, locale = DEFAULT_LOCALE): Rendered {
  const l = LOCALES[locale] ?? LOCALES[locale.split('-')[0].toLowerCase()] ?? en;
  if (template === 'otp_code') return renderOtpCode(readOtpCode(data), l);
  if (template === 'password_reset') return renderPasswordReset(readPasswordReset(data), l);
  if (isNoticeName(template)) return renderNotice(template, data, l);
  throw new Error(`unknown message template "${template}"`);
}

export { escapeHtml } from './layout.js';
export { describeUserAgent } from './user-agent.js';
export type { Locale, Rendered, NoticeName } from './types.js';
