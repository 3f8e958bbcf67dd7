/**
 * What the server process uses while a phase runs, from /proc (Linux only): its peak resident
 * memory, and the CPU time of the server, of this bench process and of everything else on the
 * machine (other processes compete for the same cores and skew every figure; the report shows
 * how much).
 *
 * Memory: VmHWM is the kernel's own peak of VmRSS, so no spike between two samples is missed.
 * Writing "5" to /proc/<pid>/clear_refs resets that peak (Linux >= 4.0, proc(5)), which gives
 * an exact peak per phase. Where the reset is refused, the phase peak is the sampled maximum.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** USER_HZ: /proc reports CPU time in ticks of 1/100 s on Linux. */
const TICKS_PER_S = 100;
const SAMPLE_EVERY_MS = 50;

function memStatus(pid: number): { rssKb: number; hwmKb: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return null; // the process has exited
  }
}

/** utime + stime of a process, in seconds (fields 14 and 15 of /proc/<pid>/stat). */
export function processCpuS(pid: number | 'self'): number {
  return statCpuS(`/proc/${pid}/stat`);
}

/**
 * The same for one thread: the main thread's id is the process id, so this separates the
 * event loop's CPU from the libuv pool's (argon2) and V8's helper threads.
 */
function mainThreadCpuS(pid: number): number {
  return statCpuS(`/proc/${pid}/task/${pid}/stat`);
}

function statCpuS(file: string): number {
  try {
    const text = readFileSync(file, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return NaN;
  }
}

/** CPU seconds all cores spent busy (everything but idle and iowait), from /proc/stat. */
export function machineBusyS(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_S;
}

function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export interface PhaseUsage {
  /** Peak RSS of the server in the phase, MB (1 MB = 1024 KiB, as ps and top show it). */
  peakMb: number;
  /** RSS at the end of the phase, MB. */
  endMb: number;
  /** Whether the peak is the kernel's exact VmHWM for the phase, not only sampled. */
  exact: boolean;
  wallS: number;
  /** Cores' worth of CPU: the server, this bench process, and all other processes. */
  serverCores: number;
  benchCores: number;
  otherCores: number;
  /** Server CPU seconds used in the phase (for a per-request cost). */
  serverCpuS: number;
  /** Of which the main thread (the event loop). */
  serverMainCpuS: number;
}

export interface ProcMonitor {
  begin(): void;
  end(): PhaseUsage;
  /** The highest RSS seen over the whole life of the process so far (start-up included), MB. */
  overallPeakMb(): number;
  stop(): void;
}

const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

export function monitorProcess(pid: number): ProcMonitor {
  let sampledMaxKb = 0;
  let overallKb = 0;
  let exact = false;
  let start = { wall: 0, server: 0, main: 0, bench: 0, machine: 0 };
  const sample = () => {
    const s = memStatus(pid);
    if (!s) return;
    sampledMaxKb = Math.max(sampledMaxKb, s.rssKb);
    overallKb = Math.max(overallKb, s.rssKb, s.hwmKb);
  };
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  timer.unref();
  sample();
  const cpuNow = () => ({ wall: performance.now() / 1000, server: processCpuS(pid), main: mainThreadCpuS(pid), bench: processCpuS('self'), machine: machineBusyS() });

  return {
    begin() {
      sample(); // keep the previous peak in the overall figure before the reset
      exact = resetPeak(pid);
      sampledMaxKb = 0;
      sample();
      start = cpuNow();
    },
    end() {
      const stop = cpuNow();
      sample();
      const s = memStatus(pid);
      const peakKb = exact && s ? Math.max(s.hwmKb, sampledMaxKb) : sampledMaxKb;
      const wallS = stop.wall - start.wall;
      const server = stop.server - start.server;
      const bench = stop.bench - start.bench;
      const other = Math.max(0, stop.machine - start.machine - server - bench);
      return {
        peakMb: mb(peakKb),
        endMb: mb(s?.rssKb ?? NaN),
        exact,
        wallS,
        serverCores: server / wallS,
        benchCores: bench / wallS,
        otherCores: other / wallS,
        serverCpuS: server,
        serverMainCpuS: stop.main - start.main,
      };
    },
    overallPeakMb() {
      sample();
      return mb(overallKb);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
