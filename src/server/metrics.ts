import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { EVENT } from '../core/audit.js';
import { VERIFY_METHODS, type NewSecurityEvent } from '../core/types.js';

/**
 * Prometheus metrics, one registry per app instance (no global singletons). Labels are low
 * cardinality: route patterns, methods, outcomes; never a user id.
 */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  logins: Counter<'outcome'>;
  verifications: Counter<'method' | 'outcome'>;
  enrolments: Counter<'method' | 'action'>;
  lockouts: Counter<'kind'>;
  messages: Counter<'channel' | 'outcome'>;
}

export function createMetrics(opts: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry, prefix: 'twofold_' });
  const registers = [registry];
  return {
    registry,
    httpDuration: new Histogram({
      name: 'twofold_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    logins: new Counter({ name: 'twofold_logins_total', help: 'Password logins by outcome', labelNames: ['outcome'], registers }),
    verifications: new Counter({
      name: 'twofold_mfa_verifications_total',
      help: 'Second-factor verifications by method and outcome',
      labelNames: ['method', 'outcome'],
      registers,
    }),
    enrolments: new Counter({
      name: 'twofold_mfa_enrolments_total',
      help: 'Second factors added and removed by method',
      labelNames: ['method', 'action'],
      registers,
    }),
    lockouts: new Counter({ name: 'twofold_lockouts_total', help: 'Lockouts by kind', labelNames: ['kind'], registers }),
    messages: new Counter({
      name: 'twofold_messages_total',
      help: 'Messages sent and failed by channel',
      labelNames: ['channel', 'outcome'],
      registers,
    }),
  };
}

/** Label values come from a closed list, so a bad event can never add a series. */
const methodLabel = (m: unknown): string => ((VERIFY_METHODS as readonly unknown[]).includes(m) ? String(m) : 'other');

/**
 * Metrics counted from the security events core records (compose.ts observes the store's
 * event port): lockouts when second-factor.ts records one (`mfa` or `mfa_hard`), and step-up
 * verifications by method and outcome. Login verifications are counted by their route
 * (auth-login.ts), which also sees outcomes that leave no event, so `purpose: login` is skipped.
 */
export function countSecurityEvent(metrics: Metrics, e: NewSecurityEvent): void {
  if (e.type === EVENT.mfaLockout) {
    metrics.lockouts.inc({ kind: e.details.hard === true ? 'mfa_hard' : 'mfa' });
    return;
  }
  if (e.details.purpose !== 'step_up') return;
  if (e.type === EVENT.mfaVerified) metrics.verifications.inc({ method: methodLabel(e.details.method), outcome: 'success' });
  else if (e.type === EVENT.mfaFailed || e.type === EVENT.mfaReplay) metrics.verifications.inc({ method: methodLabel(e.details.method), outcome: 'invalid_code' });
}
