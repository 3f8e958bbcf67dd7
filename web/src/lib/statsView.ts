import type { Stats } from '../api/types';
import { methodLabel } from './methods';

/** What the adoption dashboard shows, read tolerantly from `GET /admin/stats`. */
export interface StatsView {
  users: number;
  withMfa: number;
  pastDeadline: number | null;
  insideGrace: number | null;
  lowBackupCodes: number | null;
  lockouts24h: number | null;
  lockouts7d: number | null;
  byMethod: { label: string; value: number }[];
  /** Second-factor checks of the last 7 days (or whatever flat counts the service reports). */
  verifications: { label: string; value: number; failed?: number }[];
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : Array.isArray(v) ? v.length : null);

/** The first of several places a count may live (`a.b` walks into objects). */
function pick(stats: Json, paths: string[]): number | null {
  for (const path of paths) {
    let v: unknown = stats;
    for (const k of path.split('.')) v = isObj(v) ? v[k] : undefined;
    const n = num(v);
    if (n !== null) return n;
  }
  return null;
}

function verificationBars(raw: unknown): StatsView['verifications'] {
  if (!isObj(raw)) return [];
  const window = isObj(raw['7d']) ? raw['7d'] : raw;
  return Object.entries(window).flatMap(([method, v]) => {
    if (typeof v === 'number') return [{ label: methodLabel(method), value: v }];
    if (isObj(v) && typeof v.succeeded === 'number') return [{ label: methodLabel(method), value: v.succeeded, failed: num(v.failed) ?? 0 }];
    return [];
  });
}

export function statsView(s: Stats): StatsView {
  const j = s as unknown as Json;
  return {
    users: s.users,
    withMfa: s.mfa_enabled,
    pastDeadline: pick(j, ['grace.past', 'past_deadline', 'users_past_deadline']),
    insideGrace: pick(j, ['grace.inside']),
    lowBackupCodes: pick(j, ['low_backup_codes', 'users_low_on_backup_codes']),
    lockouts24h: pick(j, ['lockouts.24h']),
    lockouts7d: pick(j, ['lockouts.7d', 'lockouts']),
    byMethod: Object.entries(s.by_method ?? {})
      .filter(([, v]) => typeof v === 'number')
      .map(([k, v]) => ({ label: methodLabel(k), value: v })),
    verifications: verificationBars(s.verifications),
  };
}
