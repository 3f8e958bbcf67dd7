/**
 * Browser tests against the real service: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), a CDP virtual authenticator for WebAuthn, numbered screenshots, and the
 * service itself started as a child process (`node bin/twofold.js serve`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Debian's package; TWOFOLD_CHROMIUM may point elsewhere on other machines. */
export const CHROMIUM_PATH = process.env.TWOFOLD_CHROMIUM ?? '/usr/bin/chromium';

/** The flags DESIGN.md lists for running the system Chromium as root, headless, quietly. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const isCI = (): boolean => process.env.CI === 'true' || process.env.CI === '1';

/** Why browser tests cannot run here, or null when they can. */
export function browserSkipReason(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set TWOFOLD_CHROMIUM)`;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface VirtualAuthenticator {
  cdp: CDPSession;
  authenticatorId: string;
  /** Number of credentials the authenticator holds. */
  credentialCount(): Promise<number>;
  remove(): Promise<void>;
}

/**
 * A CTAP2 platform authenticator with resident keys and user verification that answers every
 * ceremony by itself, so real registration and sign-in run headless at http://localhost.
 */
export async function addVirtualAuthenticator(context: BrowserContext, page: Page): Promise<VirtualAuthenticator> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    cdp,
    authenticatorId,
    credentialCount: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length,
    remove: async () => {
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    },
  };
}

/**
 * Screenshots numbered in the order taken: test-results/screenshots/<prefix><nn>-<name>.png.
 * The PNGs of an earlier run with the same prefix are removed first, so the folder shows one
 * run of each suite, and suites running side by side keep each other's pictures.
 */
export function screenshotter(dir = path.join(REPO_ROOT, 'test-results', 'screenshots'), prefix = '') {
  mkdirSync(dir, { recursive: true });
  const ours = new RegExp(`^${prefix.replace(/[^a-z0-9-]/gi, '')}\\d{2}-.*\\.png$`);
  for (const f of readdirSync(dir)) if (ours.test(f)) rmSync(path.join(dir, f), { force: true });
  let n = 0;
  return async (page: Page, name: string): Promise<string> => {
    n += 1;
    const file = path.join(dir, `${prefix}${String(n).padStart(2, '0')}-${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
}

const WEB_SOURCES = ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts'];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}

const webIsBuilt = (): boolean => newestMtime(path.join(REPO_ROOT, 'web/dist/index.html')) > Math.max(...WEB_SOURCES.map((s) => newestMtime(path.join(REPO_ROOT, s))));

/**
 * Builds the web UI (production React) unless web/dist is newer than every source, or
 * TWOFOLD_E2E_NO_BUILD=1. Browser suites running side by side build it once: a lock directory
 * serialises them, so no suite empties web/dist under another suite's running service.
 */
export async function buildWebUi(): Promise<void> {
  if (process.env.TWOFOLD_E2E_NO_BUILD === '1') return;
  const lock = path.join(REPO_ROOT, 'test-results', '.web-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A build takes seconds; a lock minutes old was left by a run that died.
      if (Date.now() - newestMtime(lock) > 180_000) rmSync(lock, { recursive: true, force: true });
      else await sleep(250);
    }
  }
  try {
    if (webIsBuilt()) return;
    // vitest sets NODE_ENV=test, which would give a development React build.
    const env = { ...process.env, NODE_ENV: 'production' };
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: 'inherit', env });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A TCP port nobody is listening on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServiceOptions {
  adminEmail?: string;
  adminPassword?: string;
  /** `smtp://...` of a test SMTP server; without it mail is printed to the child's stdout. */
  smtpUrl?: string;
  /** More environment for the child (e.g. DATABASE_URL to run on PostgreSQL). */
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export interface RunningService {
  /** http://localhost:<port>: the public URL, a secure context for WebAuthn. */
  url: string;
  port: number;
  dataDir: string;
  /** Everything the child has written to stdout and stderr (console mail and SMS included). */
  output(): string;
  /** Waits until the output matches, and returns the match. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts the real service on a free port with a fresh data directory and waits for /healthz.
 * Storage defaults to the embedded SQLite: inherited DATABASE_URL/REDIS_URL are dropped unless
 * passed in `env`, so parallel suites never share a database by accident.
 */
export async function startService(opts: ServiceOptions = {}): Promise<RunningService> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'twofold-e2e-'));
  const url = `http://localhost:${port}`;
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  delete inherited.REDIS_URL;
  delete inherited.NODE_OPTIONS;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    // Request logs drown the story; console mail and SMS go to stdout whatever the level.
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    TWOFOLD_DATA_DIR: dataDir,
    TWOFOLD_PUBLIC_URL: url,
    TWOFOLD_SECRET_KEY: Buffer.alloc(32, 11).toString('base64'),
    ...(opts.adminEmail ? { TWOFOLD_ADMIN_EMAIL: opts.adminEmail, TWOFOLD_ADMIN_PASSWORD: opts.adminPassword ?? '' } : {}),
    ...(opts.smtpUrl ? { SMTP_URL: opts.smtpUrl } : {}),
    ...opts.env,
  };

  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'twofold.js'), 'serve'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await exited(child, 5000))) {
        child.kill('SIGKILL');
        await exited(child, 2000);
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`twofold serve exited with ${child.exitCode} before it was healthy:\n${out.slice(-4000)}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`twofold serve was not healthy within ${opts.startTimeoutMs ?? 60_000} ms:\n${out.slice(-4000)}`);
    }
    await sleep(200);
  }

  return {
    url,
    port,
    dataDir,
    output: () => out,
    waitForOutput: async (pattern, timeoutMs = 10_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const m = out.match(pattern);
        if (m) return m;
        if (Date.now() > until) throw new Error(`no output matching ${pattern} within ${timeoutMs} ms`);
        await sleep(100);
      }
    },
    stop,
  };
}
