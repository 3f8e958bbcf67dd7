/**
 * `twofold serve` as an operator starts it (`npm start` runs `node bin/twofold.js serve`): a
 * real child process configured only through the documented environment, nothing inherited
 * that could change what it does (no TWOFOLD_*, DATABASE_URL or REDIS_URL from the caller).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP port nobody listens on right now (the kernel picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface ServeProcess {
  /** http://127.0.0.1:<port> */
  base: string;
  pid: number;
  /** stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then the exit code (null if it had to be killed after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<number | null>;
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | null | 'timeout'> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Start the service with exactly `env` (plus PATH, HOME, PORT, HOST) and wait for /healthz. */
export async function startServe(env: Record<string, string>, startTimeoutMs = 60_000): Promise<ServeProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const childEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', PORT: String(port), HOST: '127.0.0.1', ...env };
  const child = spawn(process.execPath, ['bin/twofold.js', 'serve'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));

  const stop = async (timeoutMs = 10_000): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const code = await exitOf(child, timeoutMs);
    if (code !== 'timeout') return code;
    child.kill('SIGKILL');
    await exitOf(child, 2000);
    return null;
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`twofold serve exited with ${child.exitCode} before it was healthy:\n${out.slice(-4000)}`);
    const healthy = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (healthy) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`twofold serve was not healthy within ${startTimeoutMs} ms:\n${out.slice(-4000)}`);
    }
    await sleep(100);
  }
  return { base, pid: child.pid!, output: () => out, stop };
}

export interface HttpAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** JSON over real HTTP; API.md paths get the /api/v1 base. */
export async function http(base: string, method: string, url: string, opts: { body?: unknown; token?: string } = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const full = url.startsWith('/healthz') || url.startsWith('/.well-known') ? url : `/api/v1${url}`;
  const res = await fetch(`${base}${full}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let body: any = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
  return { status: res.status, body, headers: res.headers };
}
