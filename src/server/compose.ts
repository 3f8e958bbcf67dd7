import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Factor } from '../core/auth/factor.js';
import { factorRegistry } from '../core/auth/factor.js';
import type { CoreDeps } from '../core/deps.js';
import { DEFAULT_POLICY } from '../core/policy.js';
import type { Budget, Clock, LimitBucket } from '../core/ports.js';
import type { Policy } from '../core/types.js';
import { createMailerFromConfig, createOutboxWorker, createSmsFromConfig } from '../delivery/index.js';
import { createLimiter, openStore, type OpenedStore } from '../store/index.js';
import { createJwtKeys } from './auth/jwt-keys.js';
import type { Config } from './config.js';
import { createKeyring, createPasswordHasher, createSecretHasher, loadMasterKey, nodeRandom } from './crypto/index.js';
import type { ServerDeps } from './deps.js';
import { defaultFactors } from './factors.js';
import { loadKeyIds } from './key-ids.js';
import { followRotations } from './key-rotation.js';
import { enrollmentReminderJob } from './jobs/enrollment-reminders.js';
import { purgeJob } from './jobs/purge.js';
import { countSecurityEvent, createMetrics } from './metrics.js';
import { observeStore } from './observed-store.js';

/** Policy is read from the database at most this often per process (every process sees a change within it). */
const POLICY_CACHE_MS = 1000;
/**
 * How often a running process re-reads the key ids and signing keys, so that after
 * `twofold keys rotate` (another process) it encrypts and signs under the new keys.
 */
const KEY_REFRESH_MS = 60_000;

export interface Composed {
  deps: ServerDeps;
  opened: OpenedStore;
  /** Start background work (the notification outbox, the key refresh, the enrolment reminders). */
  start(): void;
  /** Pick up keys another process rotated (runs every minute once started). */
  refreshKeys(): Promise<void>;
  close(): Promise<void>;
}

export interface ComposeOptions {
  clock?: Clock;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Extra or replacement second factors (tests register their own). */
  factors?: Factor[];
  /** Write console mail/SMS here (default: stdout). */
  consoleWrite?: (line: string) => void;
  /** Metrics of the Node process itself (off in tests that build many apps). */
  defaultMetrics?: boolean;
  /** How often `start()`ed background work re-reads rotated keys. @default 60000 */
  keyRefreshMs?: number;
}

/** The composition root: the only place that knows every concrete implementation. */
export async function compose(config: Readonly<Config>, opts: ComposeOptions): Promise<Composed> {
  const clock: Clock = opts.clock ?? { now: () => Date.now() };
  const opened = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  // Loaded only when configured: ioredis is some 10 MB of resident memory a SQLite-only
  // process would otherwise carry (bench/README.md, peak RSS).
  const redis: Redis | undefined = config.redisUrl
    ? new (await import('ioredis')).Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true })
    : undefined;
  try {
    const master = loadMasterKey({ envValue: config.secretKey, dataDir: config.dataDir, warn: (m) => opts.log.warn(m) });
    const kids = await loadKeyIds(opened.store, clock.now());
    const keyring = followRotations(createKeyring(master, kids), kids);
    let cached: { at: number; policy: Policy } | null = null;
    const metrics = createMetrics({ defaults: opts.defaultMetrics });
    // Metrics counted where core records the event (lockouts, step-up checks); a policy saved
    // through this process is in force here at once, in every other one within POLICY_CACHE_MS.
    const store = observeStore(opened.store, {
      event: (e) => countSecurityEvent(metrics, e),
      policySaved: (saved) => (cached = { at: Date.now(), policy: { ...DEFAULT_POLICY, ...saved } }),
    });
    const policy = async (): Promise<Policy> => {
      const now = Date.now();
      if (cached && now - cached.at < POLICY_CACHE_MS) return cached.policy;
      const stored = await store.policy.get();
      cached = { at: now, policy: { ...DEFAULT_POLICY, ...(stored ?? {}) } };
      return cached.policy;
    };
    const currentPolicy = () => cached?.policy ?? DEFAULT_POLICY;
    const budgets = (bucket: LimitBucket): Budget => budgetOf(bucket, currentPolicy());
    const limiter = await createLimiter(opened, { redis, budgets });

    const settings: CoreDeps['settings'] = Object.freeze({
      publicUrl: config.publicUrl,
      issuer: config.issuer,
      openRegistration: config.openRegistration,
      hideExistingEmail: config.hideExistingEmail,
      accessTtlS: 900,
      refreshTtlS: 30 * 86400,
      mfaPendingTtlS: 300,
      resetTtlS: 3600,
    });
    const jwt = await createJwtKeys({ repo: store.signingKeys, cipher: keyring, random: nodeRandom, issuer: config.publicUrl, ttlS: settings.accessTtlS, now: clock.now() });
    const core: CoreDeps = {
      store,
      random: nodeRandom,
      passwords: createPasswordHasher({ threads: config.hashConcurrency }),
      secrets: createSecretHasher(master),
      cipher: keyring,
      signer: jwt,
      limiter,
      settings,
      policy,
    };
    const write = opts.consoleWrite ?? ((line: string) => process.stdout.write(line + '\n'));
    const mailer = createMailerFromConfig({ smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, write });
    const sms = createSmsFromConfig({
      provider: config.sms.provider,
      twilio: config.sms.twilio,
      webhookUrl: config.sms.webhookUrl,
      webhookSecret: config.sms.webhookSecret,
      write,
    });
    const worker = createOutboxWorker({
      outbox: store.outbox,
      mailer,
      sms,
      clock,
      onResult: (r) => {
        metrics.messages.inc({ channel: r.channel, outcome: r.ok ? 'sent' : 'failed' });
        if (!r.ok) {
          const what = r.gaveUp ? 'notification delivery failed; giving up' : 'notification delivery failed; will retry';
          opts.log.warn({ channel: r.channel, template: r.template, attempt: r.attempt, error: r.error }, what);
        }
      },
      onError: (err) => opts.log.error({ err }, 'notification outbox poll failed'),
    });
    const registry = factorRegistry([...defaultFactors({ mailer, sms, metrics }), ...(opts.factors ?? [])]);
    const deps: ServerDeps = {
      config,
      core,
      jwt,
      registry,
      clock,
      metrics,
      mailer,
      sms,
      outbox: worker,
      keyring,
      ready: async () => {
        await store.ping();
        return true;
      },
    };
    const reminders = enrollmentReminderJob(deps, opts.log);
    const purge = purgeJob(deps, opts.log);
    const refreshKeys = async (): Promise<void> => {
      keyring.setKids(await store.keyIds.list());
      await jwt.reload();
    };
    let keyTimer: NodeJS.Timeout | undefined;
    return {
      deps,
      opened,
      refreshKeys,
      start: () => {
        worker.start();
        reminders.start();
        purge.start();
        keyTimer ??= setInterval(() => {
          refreshKeys().catch((err: unknown) => opts.log.warn({ err }, 'could not refresh the keys; will retry'));
        }, opts.keyRefreshMs ?? KEY_REFRESH_MS);
        keyTimer.unref();
      },
      close: async () => {
        clearInterval(keyTimer);
        await reminders.stop();
        await purge.stop();
        await worker.stop();
        if ('close' in mailer && typeof mailer.close === 'function') mailer.close();
        redis?.disconnect();
        await opened.close();
      },
    };
  } catch (err) {
    redis?.disconnect();
    await opened.close();
    throw err;
  }
}

/**
 * The budgets of API.md "Defaults": login 10 per account and 30 per IP per 15 minutes;
 * second-factor failures from policy (10 per 15 minutes, then 15 minutes blocked); sends 3 per
 * hour and one per 30 s; password-reset mails 5 per hour per address.
 */
export function budgetOf(bucket: LimitBucket, policy: Policy): Budget {
  switch (bucket) {
    case 'login_account':
      return { points: 10, durationS: 900 };
    case 'login_ip':
      return { points: 30, durationS: 900 };
    case 'mfa_user':
      return { points: policy.mfa_max_failures, durationS: policy.mfa_lockout_minutes * 60, blockS: policy.mfa_lockout_minutes * 60 };
    case 'otp_send_hour':
      return { points: 3, durationS: 3600 };
    case 'otp_send_gap':
      return { points: 1, durationS: 30 };
    case 'password_forgot':
      return { points: 5, durationS: 3600 };
    case 'passkey_options_ip':
      // Unauthenticated and each one stores a challenge: 60 a minute per address is plenty for
      // autofill on a shared office IP, and bounds what a flood can write.
      return { points: 60, durationS: 60 };
  }
}
