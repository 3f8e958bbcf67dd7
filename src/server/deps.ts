import type { FactorRegistry } from '../core/auth/factor.js';
import type { CoreDeps } from '../core/deps.js';
import type { Clock, Mailer, SmsSender } from '../core/ports.js';
import type { Keyring } from './crypto/index.js';
import type { Config } from './config.js';
import type { JwtKeys } from './auth/jwt-keys.js';
import type { Metrics } from './metrics.js';

/** What the HTTP edge is built from; assembled by the composition root (compose.ts). */
export interface ServerDeps {
  config: Readonly<Config>;
  core: CoreDeps;
  jwt: JwtKeys;
  registry: FactorRegistry;
  clock: Clock;
  metrics: Metrics;
  mailer: Mailer;
  sms: SmsSender;
  /** The notification outbox worker (tests drain it to deliver at once). */
  outbox: { drain(): Promise<number> };
  keyring: Keyring;
  /** Database reachable (readiness). */
  ready(): Promise<boolean>;
}
