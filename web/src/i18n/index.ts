import { en } from './en';

/**
 * Every visible string comes from a catalogue; `en` is the reference. A translation is another
 * object of the same shape, picked here by the document's language.
 */
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

const catalogues: Record<string, Catalogue> = { en };
const active: Catalogue = catalogues[document.documentElement.lang] ?? en;

/** The message for `key`, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const message = active[key] ?? en[key] ?? key;
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Picks the `one` or `other` form by count (English plural rules; translations may add keys). */
export function tn(one: MessageKey, other: MessageKey, count: number, params: Record<string, string | number> = {}): string {
  const rule = new Intl.PluralRules(document.documentElement.lang || 'en').select(count);
  return t(rule === 'one' ? one : other, { count, ...params });
}
