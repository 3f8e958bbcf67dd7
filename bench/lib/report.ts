/** Printing: one line per scenario, and the final table of targets with PASS/MISS. */
import type { LoadResult } from './load.js';
import type { PhaseUsage } from './proc.js';
import { ms } from './stats.js';

/** Above this, other processes took enough of the two cores to skew a phase's figures. */
export const NOISY_OTHER_CORES = 0.25;
const NOISE_WARNING = '   !! other processes competed for the cores: figures are skewed';

export interface Target {
  issue: string;
  what: string;
  /** How the target reads, e.g. ">= 35.2/s (80% of raw)". */
  target: string;
  measured: number;
  unit: string;
  pass: boolean;
}

export function scenarioLine(name: string, r: LoadResult): string {
  const l = r.latency;
  return (
    `${name.padEnd(34)} ${r.rps.toFixed(1).padStart(8)} req/s   ` +
    `p50 ${ms(l.p50).padStart(6)}  p95 ${ms(l.p95).padStart(6)}  p99 ${ms(l.p99).padStart(6)}  max ${ms(l.max).padStart(6)} ms   ` +
    `ok ${r.ok}  errors ${r.errors}  in ${r.elapsedS.toFixed(1)} s`
  );
}

/** The CPU line under a scenario: who used the cores, and the server's CPU per request. */
export function cpuLine(u: PhaseUsage, requests: number): string {
  const perRequest = requests > 0 ? `, ${((u.serverCpuS * 1000) / requests).toFixed(2)} ms CPU per request (event loop ${((u.serverMainCpuS * 1000) / requests).toFixed(2)})` : '';
  const warn = u.otherCores > NOISY_OTHER_CORES ? NOISE_WARNING : '';
  return `    cpu: server ${u.serverCores.toFixed(2)} cores${perRequest}; bench ${u.benchCores.toFixed(2)}; other processes ${u.otherCores.toFixed(2)}${warn}`;
}

export function otherCpuLine(otherCores: number): string {
  return `    cpu: other processes ${otherCores.toFixed(2)} cores${otherCores > NOISY_OTHER_CORES ? NOISE_WARNING : ''}`;
}

export function errorLines(r: LoadResult): string[] {
  return r.errors > 0 ? r.errorSamples.map((s) => `    !! error sample: ${s}`) : [];
}

export function targetTable(targets: Target[]): string[] {
  const rows = targets.map((t) => [t.issue, t.what, t.target, `${formatValue(t.measured)} ${t.unit}`, t.pass ? 'PASS' : '*** MISS ***']);
  const head = ['issue', 'target', 'needs', 'measured', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return '-';
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}
