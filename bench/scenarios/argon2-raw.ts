/**
 * Scenario 1: the raw argon2id verify rate, in a separate process (bench/argon2-rate.ts) so it
 * shares neither this process's event loop nor the server's.
 */
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { machineBusyS, processCpuS } from '../lib/proc.js';

export interface Argon2Rate {
  rate: number;
  verifies: number;
  elapsedS: number;
  params: unknown;
  /** Cores' worth of CPU that other processes used meanwhile. */
  otherCores: number;
}

export async function rawArgon2Rate(benchDir: string, concurrency: number, seconds: number): Promise<Argon2Rate> {
  const t0 = { wall: performance.now() / 1000, machine: machineBusyS(), bench: processCpuS('self') };
  const script = path.join(benchDir, 'argon2-rate.ts');
  // The service's own thread set-up (bin/twofold.js): one libuv pool thread per core. On two
  // cores that is also the faster one for argon2 alone (about 8% over the default four threads),
  // so the reference is the machine's best rate, not a handicapped one.
  const env = { ...process.env, UV_THREADPOOL_SIZE: String(availableParallelism()) };
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, String(concurrency), String(seconds)], { cwd: path.dirname(benchDir), env });
  const wallS = performance.now() / 1000 - t0.wall;
  const r = JSON.parse(stdout.trim().split('\n').pop()!) as Omit<Argon2Rate, 'otherCores'> & { cpuS: number };
  const other = machineBusyS() - t0.machine - (processCpuS('self') - t0.bench) - r.cpuS;
  return { rate: r.rate, verifies: r.verifies, elapsedS: r.elapsedS, params: r.params, otherCores: Math.max(0, other) / wallS };
}
