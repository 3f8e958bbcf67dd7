/**
 * Readers for template data. Outbox data is JSON written by another layer (and possibly by an
 * older version of it), so every field is checked here instead of trusted by a cast.
 * Keys are read in camelCase, with the snake_case spelling accepted as well, so a caller
 * writing `user_agent` or `app_url` still renders correctly.
 */

type Data = Record<string, unknown>;

/** Longest user-influenced string we put into a message (names, reasons, user agents). */
const DEFAULT_MAX = 200;

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function raw(data: Data, key: string): unknown {
  const v = data[key];
  return v === undefined ? data[snake(key)] : v;
}

function missing(key: string): Error {
  return new Error(`template data is missing "${key}"`);
}

/**
 * Make a user-influenced string safe to show: control characters (a newline in a device
 * name could forge extra lines in a plain-text mail) and bidirectional overrides (which can
 * make text read differently from what it is, "Trojan Source") become spaces, and the
 * length is capped.
 */
export function clean(value: string, max = DEFAULT_MAX): string {
  const flat = value
    .replace(/[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\u200E\u200F]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function optStr(data: Data, key: string, max = DEFAULT_MAX): string | null {
  const v = raw(data, key);
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`template data "${key}" must be a string`);
  const s = clean(String(v), max);
  return s === '' ? null : s;
}

export function str(data: Data, key: string, max = DEFAULT_MAX): string {
  const s = optStr(data, key, max);
  if (s === null) throw missing(key);
  return s;
}

export function optInt(data: Data, key: string): number | null {
  const v = raw(data, key);
  if (v === undefined || v === null) return null;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new Error(`template data "${key}" must be a non-negative integer`);
  }
  return n;
}

export function optBool(data: Data, key: string): boolean | null {
  const v = raw(data, key);
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean') throw new Error(`template data "${key}" must be true or false`);
  return v;
}

/** A point in time: epoch milliseconds, an RFC 3339 string or a Date. */
export function optTime(data: Data, key: string): number | null {
  const v = raw(data, key);
  if (v === undefined || v === null) return null;
  const ms = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : NaN;
  if (!Number.isFinite(ms)) throw new Error(`template data "${key}" must be a time`);
  return ms;
}

export function time(data: Data, key: string): number {
  const t = optTime(data, key);
  if (t === null) throw missing(key);
  return t;
}

/**
 * An absolute http(s) URL. Anything else (javascript:, data:, a bare path) is refused so a
 * message can never carry a link that runs script or points nowhere.
 */
export function optUrl(data: Data, key: string): string | null {
  const v = raw(data, key);
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') throw new Error(`template data "${key}" must be a URL`);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`template data "${key}" must be an absolute URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`template data "${key}" must be an http(s) URL`);
  return u.href;
}

export function url(data: Data, key: string): string {
  const u = optUrl(data, key);
  if (u === null) throw missing(key);
  return u;
}

/** The fields every message shares (see `Common`); all optional. */
export function readCommon(data: Data): import('./types.js').Common {
  return {
    name: optStr(data, 'name', 80),
    appUrl: optUrl(data, 'appUrl'),
    at: optTime(data, 'at'),
    ip: optStr(data, 'ip', 64),
    userAgent: optStr(data, 'userAgent', 300),
  };
}
