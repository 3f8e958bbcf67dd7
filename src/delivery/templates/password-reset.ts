/** `password_reset`: the single-use reset link (API.md: valid 1 hour). */
import { renderHtml, renderText, type EmailParts } from './layout.js';
import { optInt, readCommon, url } from './read.js';
import type { Locale, PasswordResetData, Rendered } from './types.js';

/** API.md: a reset link is valid 1 hour. */
const DEFAULT_MINUTES = 60;

export function readPasswordReset(data: Record<string, unknown>): PasswordResetData {
  return { ...readCommon(data), link: url(data, 'link'), minutes: optInt(data, 'minutes') ?? DEFAULT_MINUTES };
}

export function renderPasswordReset(d: PasswordResetData, l: Locale): Rendered {
  const t = l.passwordReset;
  const parts: EmailParts = {
    subject: t.subject,
    name: d.name,
    paragraphs: [t.intro],
    action: { label: t.action, url: d.link },
    notes: [t.expires(d.minutes)],
    // Who asked for the link: lets the owner judge a request they did not make.
    details: d,
    advice: [t.notRequested],
  };
  return { subject: t.subject, text: renderText(l, parts), html: renderHtml(l, parts), sms: t.sms(d.link, d.minutes) };
}
