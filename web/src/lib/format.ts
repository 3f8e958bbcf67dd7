import { t, tn } from '../i18n';

// Dates and numbers follow the reader's browser locale; words follow the catalogue.
const locale = () => navigator.languages?.[0] || navigator.language || 'en';

/** A date and time in the reader's locale and time zone, or a dash for none. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return t('common.never');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return t('common.never');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'long' }).format(d);
}

/** "in 3 minutes" / "in 1 hour", for when to try again. */
export function formatWait(untilMs: number, nowMs = Date.now()): string {
  const seconds = Math.max(1, Math.round((untilMs - nowMs) / 1000));
  if (seconds < 90) return tn('time.seconds.one', 'time.seconds.other', seconds);
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return tn('time.minutes.one', 'time.minutes.other', minutes);
  return tn('time.hours.one', 'time.hours.other', Math.round(minutes / 60));
}

export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(locale(), { timeStyle: 'short' }).format(new Date(ms));
}

export function formatPercent(part: number, whole: number): string {
  if (!whole) return new Intl.NumberFormat(locale(), { style: 'percent' }).format(0);
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(part / whole);
}

/** A short, human description of a user agent string ("Chrome on Linux"). */
export function describeUserAgent(ua: string | null | undefined): string {
  if (!ua) return t('common.unknownDevice');
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : null;
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : null;
  if (browser && os) return t('common.browserOn', { browser, os });
  return browser ?? os ?? ua.slice(0, 60);
}
