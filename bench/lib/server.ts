/**
 * The service under test, as operators run it: `node bin/twofold.js serve` in its own process,
 * on a fresh SQLite data directory, bound to 127.0.0.1 on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHttpClient } from './http.js';

export interface ServerProcess {
  /** How it was started, for the report. */
  command: string;
  pid: number;
  port: number;
  dataDir: string;
  logFile: string;
  /** Wait until the server's output has been quiet for `quietMs` (its mail outbox drained). */
  settle(quietMs: number, maxMs: number): Promise<void>;
  /** SIGTERM, then SIGKILL if it does not exit; removes the data directory. */
  stop(): Promise<void>;
}

/**
 * A fixed master key (32 bytes, base64): the service must not generate one and warn, and runs
 * stay comparable. It protects nothing but the bench's throw-away database.
 */
const BENCH_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Start the service and resolve once `/healthz` answers. */
export async function startServer(repoRoot: string, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'twofold-bench-'));
  const logFile = path.join(dataDir, 'server.log');
  const port = await freePort();

  const env: NodeJS.ProcessEnv = { ...process.env };
  // "In one run on SQLite": whatever the caller's shell points at, the bench uses the embedded database.
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'TWOFOLD_CONFIG_FILE', 'NODE_OPTIONS']) delete env[k];
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    TWOFOLD_DATA_DIR: dataDir,
    TWOFOLD_SECRET_KEY: BENCH_SECRET_KEY,
    LOG_LEVEL: 'warn',
    ...extraEnv,
  });

  // Output goes to a file, never a pipe: a pipe nobody reads would block the server's stdout.
  const fd = openSync(logFile, 'a');
  // For experiments (bench/README.md): BENCH_SERVER_NODE_ARGS passes flags to the server's node
  // (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_SERVER_ENTRY runs another entry point
  // than the operator's `bin/twofold.js` (e.g. a compiled build). The figures are then theirs.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const entry = process.env.BENCH_SERVER_ENTRY || 'bin/twofold.js';
  const child = spawn(process.execPath, [...nodeArgs, entry, 'serve'], { cwd: repoRoot, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the server process');

  const http = createHttpClient(port, 1);
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} during start-up:\n${tail(logFile)}`);
      if (Date.now() > deadline) throw new Error(`the server did not answer /healthz within ${START_TIMEOUT_MS} ms:\n${tail(logFile)}`);
      const up = await http.get('/healthz').then((r) => r.status === 200, () => false);
      if (up) break;
      await sleep(100);
    }
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  } finally {
    http.close();
  }

  const logSize = () => {
    try {
      return statSync(logFile).size;
    } catch {
      return 0;
    }
  };

  return {
    command: ['node', ...nodeArgs, entry, 'serve'].join(' '),
    pid,
    port,
    dataDir,
    logFile,
    async settle(quietMs, maxMs) {
      const until = Date.now() + maxMs;
      let size = logSize();
      let quietSince = Date.now();
      while (Date.now() < until && Date.now() - quietSince < quietMs) {
        await sleep(100);
        const now = logSize();
        if (now !== size) {
          size = now;
          quietSince = Date.now();
        }
      }
    },
    async stop() {
      child.kill('SIGTERM');
      const done = await Promise.race([exited(child).then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited(child);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
