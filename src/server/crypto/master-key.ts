/**
 * The master key: root of every encryption key (keyring) and hashing key (secret hasher).
 * From TWOFOLD_SECRET_KEY in production; otherwise generated once into the data directory so
 * a first run works with no setup (API.md "Running it").
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** 256 bits: the AES-256 key size, and NIST SP 800-57 Part 1 §5.6.1's strength for new keys. */
export const MASTER_KEY_MIN_BYTES = 32;
export const SECRET_KEY_FILE = 'secret.key';

export interface LoadMasterKeyOptions {
  /** TWOFOLD_SECRET_KEY as read by the config layer; empty or unset means "use the data dir". */
  envValue?: string;
  dataDir: string;
  warn: (msg: string) => void;
}

function decodeKey(text: string, source: string): Buffer {
  const value = text.trim();
  // base64 or base64url, optional padding; Buffer.from would silently skip anything else.
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    throw new Error(`${source} is not valid base64: generate a key with \`openssl rand -base64 32\``);
  }
  const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length < MASTER_KEY_MIN_BYTES) {
    throw new Error(
      `${source} must decode to at least ${MASTER_KEY_MIN_BYTES} bytes, got ${key.length}: generate a key with \`openssl rand -base64 32\``,
    );
  }
  return key;
}

/** Synchronous short sleep: start-up code, used only while another process finishes writing. */
function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readKeyFile(path: string, warn: (msg: string) => void): Buffer {
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    warn(`the secret key file ${path} is readable by other users; run \`chmod 600 ${path}\``);
  }
  return decodeKey(readFileSync(path, 'utf8'), `the secret key file ${path}`);
}

/**
 * Writes a new key so that no reader ever sees a partial file and two processes starting at
 * once cannot overwrite each other: the key is written and synced under a unique temporary name
 * (created with `wx`, mode 0600), then published with link(2), which fails with EEXIST if
 * another process got there first. Answers false in that case.
 */
function publishNewKey(path: string, key: Buffer): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeNewFile(tmp, key);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // File systems without hard links: fall back to an exclusive create of the file itself.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
      try {
        writeNewFile(path, key);
        return true;
      } catch (err2) {
        if ((err2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw err2;
      }
    }
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/** Exclusive create (`wx`: fails if the file exists) with mode 0600, synced to disk. */
function writeNewFile(path: string, key: Buffer): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    fchmodSync(fd, 0o600); // the umask can only remove bits, but state the result explicitly
    writeSync(fd, `${key.toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the key file, or undefined if there is none. Retries briefly on an unreadable key, which
 * can only be another process's write in flight (on the fallback path), before reporting it.
 */
function readExisting(path: string, warn: (msg: string) => void): Buffer | undefined {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return readKeyFile(path, warn);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      lastError = err;
      sleepMs(20);
    }
  }
  throw lastError;
}

/**
 * The master key. Never logs or returns the key in a message.
 * @throws Error naming TWOFOLD_SECRET_KEY (or the key file) when the key is malformed or short.
 */
export function loadMasterKey(opts: LoadMasterKeyOptions): Buffer {
  if (opts.envValue !== undefined && opts.envValue.trim() !== '') {
    return decodeKey(opts.envValue, 'TWOFOLD_SECRET_KEY');
  }

  const path = join(opts.dataDir, SECRET_KEY_FILE);
  // 0700: the data directory holds the database and this key.
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const existing = readExisting(path, opts.warn);
  if (existing !== undefined) {
    opts.warn(`using the secret key at ${path}; set TWOFOLD_SECRET_KEY in production`);
    return existing;
  }

  const key = randomBytes(MASTER_KEY_MIN_BYTES);
  if (publishNewKey(path, key)) {
    opts.warn(
      `generated a secret key at ${path}; set TWOFOLD_SECRET_KEY in production, and back the key up: without it, encrypted TOTP secrets cannot be read`,
    );
    return key;
  }
  // Lost the race to another process starting at the same time: use the key it published.
  const winner = readExisting(path, opts.warn);
  if (winner === undefined) throw new Error(`the secret key file ${path} vanished while starting`);
  opts.warn(`using the secret key at ${path}; set TWOFOLD_SECRET_KEY in production`);
  return winner;
}
