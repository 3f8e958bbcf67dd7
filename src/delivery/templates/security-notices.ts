/**
 * Security notifications (NIST SP 800-63B rev 4, sec. 4.6 / 6.1: tell the subscriber about
 * authenticator and account changes, through a channel other than the one that changed).
 * Each says what happened, when (UTC), from which IP address and browser, and what to do
 * if it was not them. Words live in the locale; this file holds structure and data parsing.
 */
import { renderHtml, renderText, type EmailParts } from './layout.js';
import { optBool, optInt, optStr, optTime, readCommon, str, time } from './read.js';
import type { Locale, NoticeData, NoticeName, Rendered } from './types.js';

type Data = Record<string, unknown>;

/** What the reader should do if it was not them. */
type Advice = 'not_you' | 'contact_admin' | 'none';

interface NoticeDef<K extends NoticeName> {
  read(data: Data): NoticeData[K];
  advice: Advice;
  /** Whether "when / IP / browser" apply: a reminder has no actor. */
  details: boolean;
}

const factor = (data: Data) => ({
  ...readCommon(data),
  methodType: str(data, 'methodType', 32),
  methodName: optStr(data, 'methodName', 80),
});

const simple = { read: readCommon, advice: 'not_you', details: true } as const;

const NOTICES: { [K in NoticeName]: NoticeDef<K> } = {
  factor_added: { read: factor, advice: 'not_you', details: true },
  factor_removed: { read: factor, advice: 'not_you', details: true },
  mfa_disabled: simple,
  backup_codes_regenerated: simple,
  backup_code_used: {
    read: (d) => ({ ...readCommon(d), remaining: optInt(d, 'remaining') ?? 0 }),
    advice: 'not_you',
    details: true,
  },
  lockout: {
    read: (d) => ({ ...readCommon(d), until: optTime(d, 'until'), hard: optBool(d, 'hard') ?? false }),
    advice: 'not_you',
    details: true,
  },
  password_changed: simple,
  password_reset_done: simple,
  trusted_device_added: {
    read: (d) => ({ ...readCommon(d), deviceName: optStr(d, 'deviceName', 80) }),
    advice: 'not_you',
    details: true,
  },
  mfa_reset_by_admin: {
    read: (d) => ({ ...readCommon(d), reason: optStr(d, 'reason', 300) }),
    advice: 'contact_admin',
    // The IP and browser are the administrator's; still worth showing, the user may know them.
    details: true,
  },
  enrollment_reminder: {
    read: (d) => ({ ...readCommon(d), deadline: time(d, 'deadline') }),
    advice: 'none',
    details: false,
  },
};

export const NOTICE_NAMES = Object.keys(NOTICES) as NoticeName[];

export function isNoticeName(name: string): name is NoticeName {
  return Object.prototype.hasOwnProperty.call(NOTICES, name);
}

export function renderNotice<K extends NoticeName>(name: K, data: Data, l: Locale): Rendered {
  const def = NOTICES[name] as NoticeDef<K>;
  const d = def.read(data);
  const t = l.notices[name];
  const advice =
    def.advice === 'not_you'
      ? [l.advice.ifYou, l.advice.notYou(d.appUrl)]
      : def.advice === 'contact_admin'
        ? [l.advice.contactAdmin(d.appUrl)]
        : [];
  const parts: EmailParts = {
    subject: t.subject,
    name: d.name,
    paragraphs: t.body(d),
    action: d.appUrl ? { label: l.advice.openApp, url: d.appUrl } : undefined,
    details: def.details ? d : null,
    advice,
  };
  const smsAdvice = def.advice === 'not_you' ? l.advice.smsNotYou(d.appUrl) : def.advice === 'none' ? (d.appUrl ?? '') : '';
  const sms = [t.sms(d), smsAdvice].filter(Boolean).join(' ');
  return { subject: t.subject, text: renderText(l, parts), html: renderHtml(l, parts), sms };
}
