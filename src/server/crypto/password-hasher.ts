/**
 * Password hashing with argon2id (@node-rs/argon2). Hashing and verifying run on the libuv
 * thread pool, so a login never blocks the event loop; a gate bounds how many are handed to it
 * at once (see `threads`).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { hash, parseOptions, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '../../core/ports.js';
import { createGate } from './gate.js';

/**
 * @node-rs/argon2's `Algorithm.Argon2id`. Its type is an ambient `const enum`, which
 * `isolatedModules` cannot inline, so the value is spelled out here.
 */
const ARGON2ID = 2;

export interface PasswordHasherOptions {
  /** KiB of memory per hash. @default 19456 (19 MiB) */
  memoryCost?: number;
  /** Passes over memory. @default 2 */
  timeCost?: number;
  /** Lanes. @default 1 */
  parallelism?: number;
  /**
   * Hashes computed at once, each holding 19 MiB: the size of libuv's thread pool, which the
   * `twofold` entry point sets to TWOFOLD_HASH_CONCURRENCY (default one per core) before the
   * pool starts. Twice that many are handed to the pool at once and the rest wait their turn
   * (FIFO), so a pool thread finishing a hash finds the next one queued:
   * waking a sleeping thread for each hash cost the event loop 170-220 µs per login on a 2-core
   * VM (the woken thread preempts it), against 9 µs when the queue is never empty, and a pool of
   * one thread per core verifies 8% faster than the default four on two cores (bench/README.md).
   * The bound also keeps other pool work (file reads, DNS, WebCrypto) from queueing behind an
   * unbounded backlog of hashes.
   * @default os.availableParallelism()
   */
  threads?: number;
}

/**
 * OWASP Password Storage Cheat Sheet, argon2id: "a minimum configuration of 19 MiB of memory,
 * an iteration count of 2, and 1 degree of parallelism" (about 20 ms on this hardware).
 */
export const ARGON2_DEFAULTS = Object.freeze({ memoryCost: 19456, timeCost: 2, parallelism: 1 });

export interface ServerPasswordHasher extends PasswordHasher {
  /**
   * Verifies `password` against a hash made at start-up from a random password, and always
   * answers false. Call it when the account is unknown (or has no password) so that case costs
   * the same argon2 work as a wrong password and the two cannot be told apart by timing.
   */
  verifyDummy(password: string): Promise<false>;
  /** Whether a stored hash was made with other parameters than the current ones (rehash on login). */
  needsRehash(stored: string): boolean;
}

/**
 * NIST SP 800-63B §5.1.1.2: Unicode passwords SHOULD be normalised (NFKC or NFKD) before
 * hashing, so the same password typed on two keyboards hashes the same.
 */
const normalize = (password: string): string => password.normalize('NFKC');

export function createPasswordHasher(opts: PasswordHasherOptions = {}): ServerPasswordHasher {
  const params = {
    algorithm: ARGON2ID,
    memoryCost: opts.memoryCost ?? ARGON2_DEFAULTS.memoryCost,
    timeCost: opts.timeCost ?? ARGON2_DEFAULTS.timeCost,
    parallelism: opts.parallelism ?? ARGON2_DEFAULTS.parallelism,
  };
  const gated = createGate(2 * (opts.threads ?? availableParallelism()));

  const hashPassword = (password: string): Promise<string> => gated(() => hash(normalize(password), params));

  const verifyPassword = async (stored: string, password: string): Promise<boolean> => {
    try {
      return await gated(() => verify(stored, normalize(password)));
    } catch {
      // A malformed or foreign hash string is a wrong password, never a 500.
      return false;
    }
  };

  // Started at creation, so the first unknown-email login does not pay for it. The password is
  // random and discarded: nothing can ever match the dummy hash.
  const dummy = hashPassword(randomBytes(32).toString('base64url'));
  // Keep a failure from surfacing as an unhandled rejection before anyone awaits it.
  dummy.catch(() => undefined);

  return {
    hash: hashPassword,
    verify: verifyPassword,
    async verifyDummy(password: string): Promise<false> {
      await verifyPassword(await dummy, password);
      return false;
    },
    needsRehash(stored: string): boolean {
      try {
        const p = parseOptions(stored);
        return (
          p.algorithm !== ARGON2ID ||
          p.memoryCost !== params.memoryCost ||
          p.timeCost !== params.timeCost ||
          p.parallelism !== params.parallelism
        );
      } catch {
        return true;
      }
    },
  };
}
