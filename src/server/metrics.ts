import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

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
