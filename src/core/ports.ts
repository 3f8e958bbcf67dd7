/**
 * Ports: what the core needs from the outside world. The outer layers (store, delivery,
 * server) implement them; the core never imports a driver, a framework or process.env.
 */
import type {
  Acr,
  Amr,
} from './types.js';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface Random {
  bytes(n: number): Buffer;
  /** A uniformly distributed integer in [0, max). */
  int(max: number): number;
  /** A unique id (RFC 9562), sorting by creation time: never a secret on its own. */
  uuid(): string;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** Keyed hashing (HMAC-SHA-256 under a key derived from the master key) for secrets we only verify. */
export interface SecretHasher {
  hash(purpose: string, value: string): string;
  /** Constant-time comparison of `hash(purpose, value)` against a stored hash. */
  verify(purpose: string, value: string, stored: string): boolean;
}

/** Authenticated encryption for secrets we must read back (TOTP seeds, signing keys). */
export interface Cipher {
  encrypt(plaintext: Buffer, aad: string): string;
  decrypt(envelope: string, aad: string): Buffer;
  /** Whether an envelope is sealed under an older key than the current one. */
  needsRotation(envelope: string): boolean;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface SmsSender {
  send(to: string, body: string): Promise<void>;
}

export interface AccessClaims {
  sub: string;
  sid: string;
  amr: Amr[];
  acr: Acr;
}

export interface TokenSigner {
  sign(claims: AccessClaims, now: number): Promise<{ token: string; expiresIn: number }>;
}

export interface LimitResult {
  allowed: boolean;
  /** Seconds until the next attempt is allowed (when not allowed). */
  retryAfterS: number;
  remaining: number;
}

/**
 * One limiter for every budget (login failures, second-factor failures, sends). `consume`
 * atomically takes one point and answers whether it was within budget; concurrent callers can
 * never take more points than the budget.
 */
export interface Limiter {
  /**
   * The counters live on the store's own connection (the embedded SQLite), so a call made inside
   * a store transaction joins it instead of waiting for another connection. Only then may a
   * caller hold a transaction across limiter calls (mfa-verify.ts): on a pool, transactions
   * waiting for the limiter's connections could take them all.
   */
  readonly sharesStoreConnection: boolean;
  consume(bucket: LimitBucket, key: string, points?: number): Promise<LimitResult>;
  /** Give points back (a success that should not count, after consuming before evaluating). */
  reward(bucket: LimitBucket, key: string, points?: number): Promise<void>;
  /** Whether the key is blocked right now, without consuming. */
  peek(bucket: LimitBucket, key: string): Promise<LimitResult>;
  reset(bucket: LimitBucket, key: string): Promise<void>;
}

/** A budget: `points` per `durationS` seconds; once spent, blocked for `blockS` (default: rest of the window). */
export interface Budget {
  points: number;
  durationS: number;
  blockS?: number;
}

export type LimitBucket =
  | 'login_account'
  | 'login_ip'
  | 'mfa_user'
  | 'otp_send_hour'
  | 'otp_send_gap'
  | 'password_forgot'
  | 'passkey_options_ip';

export type * from './repositories.js';
