import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every setting, by its environment name (API.md "Running it", plus documented extras). */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  TWOFOLD_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  TWOFOLD_PUBLIC_URL: z.string().url().optional(),
  TWOFOLD_SECRET_KEY: z.string().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().default('Twofold <no-reply@localhost>'),
  SMS_PROVIDER: z.enum(['console', 'twilio', 'webhook']).default('console'),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().optional(),
  TWILIO_API_BASE: z.string().url().default('https://api.twilio.com'),
  SMS_WEBHOOK_URL: z.string().url().optional(),
  SMS_WEBHOOK_SECRET: z.string().optional(),
  TWOFOLD_ADMIN_EMAIL: z.string().email().optional(),
  TWOFOLD_ADMIN_PASSWORD: z.string().optional(),
  TWOFOLD_OPEN_REGISTRATION: bool.default(true),
  /** Answer 202 with no hint when a registering email exists, instead of 409. */
  TWOFOLD_HIDE_EXISTING_EMAIL: bool.default(false),
  /** Display name in authenticator apps and mail. */
  TWOFOLD_ISSUER: z.string().min(1).max(64).default('Twofold'),
  /** Trust X-Forwarded-For from a reverse proxy (true, or a hop count / address list). */
  TWOFOLD_TRUST_PROXY: z.string().optional(),
  /**
   * Password hashes (argon2id, 19 MiB each) run at once; more wait their turn. Each one in
   * flight holds its memory, so this bounds the memory logins take. Default: the cores + 1.
   */
  TWOFOLD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** A JSON file whose keys (the same names) add to the environment; the environment wins. */
  TWOFOLD_CONFIG_FILE: z.string().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  publicUrl: string;
  secretKey?: string;
  smtpUrl?: string;
  mailFrom: string;
  sms: {
    provider: 'console' | 'twilio' | 'webhook';
    twilio: { accountSid?: string; authToken?: string; from?: string; apiBase: string };
    webhookUrl?: string;
    webhookSecret?: string;
  };
  admin?: { email: string; password: string };
  openRegistration: boolean;
  hideExistingEmail: boolean;
  issuer: string;
  trustProxy: boolean | number | string;
  logLevel: Env['LOG_LEVEL'];
  /** Password hashes computed at once (libuv pool threads, set by bin/twofold.js); undefined: one per core. */
  hashConcurrency?: number;
  /** Node's own NODE_OPTIONS, read so that an operator's V8 heap flags win over ours (heap-settings.ts). */
  nodeOptions: string;
}

/** Parse the settings once, from the environment and an optional JSON file; frozen. */
export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  let merged: Record<string, string | undefined> = { ...env };
  if (env.TWOFOLD_CONFIG_FILE) {
    const file = JSON.parse(readFileSync(env.TWOFOLD_CONFIG_FILE, 'utf8')) as Record<string, unknown>;
    const asStrings = Object.fromEntries(Object.entries(file).map(([k, v]) => [k, String(v)]));
    merged = { ...asStrings, ...env };
  }
  // Empty variables count as unset, as in most twelve-factor services.
  for (const k of Object.keys(merged)) if (merged[k] === '') delete merged[k];
  const parsed = EnvSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if ((e.TWOFOLD_ADMIN_EMAIL && !e.TWOFOLD_ADMIN_PASSWORD) || (!e.TWOFOLD_ADMIN_EMAIL && e.TWOFOLD_ADMIN_PASSWORD)) {
    throw new Error('invalid configuration: TWOFOLD_ADMIN_EMAIL and TWOFOLD_ADMIN_PASSWORD go together');
  }
  const trust = e.TWOFOLD_TRUST_PROXY;
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.TWOFOLD_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    publicUrl: (e.TWOFOLD_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    secretKey: e.TWOFOLD_SECRET_KEY,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    sms: {
      provider: e.SMS_PROVIDER,
      twilio: { accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN, from: e.TWILIO_FROM, apiBase: e.TWILIO_API_BASE },
      webhookUrl: e.SMS_WEBHOOK_URL,
      webhookSecret: e.SMS_WEBHOOK_SECRET,
    },
    admin: e.TWOFOLD_ADMIN_EMAIL ? { email: e.TWOFOLD_ADMIN_EMAIL, password: e.TWOFOLD_ADMIN_PASSWORD! } : undefined,
    openRegistration: e.TWOFOLD_OPEN_REGISTRATION,
    hideExistingEmail: e.TWOFOLD_HIDE_EXISTING_EMAIL,
    issuer: e.TWOFOLD_ISSUER,
    trustProxy: trust === undefined ? false : trust === 'true' ? true : /^\d+$/.test(trust) ? Number(trust) : trust,
    logLevel: e.LOG_LEVEL,
    hashConcurrency: e.TWOFOLD_HASH_CONCURRENCY,
    nodeOptions: env.NODE_OPTIONS ?? '',
  };
  return Object.freeze(config);
}
