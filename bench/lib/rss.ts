/**
 * Resident memory of another process, from /proc/<pid>/status (Linux only).
 *
 * VmHWM is the kernel's own peak of VmRSS, so no spike between two samples is missed. Writing
 * "5" to /proc/<pid>/clear_refs resets that peak (Linux >= 4.0, proc(5)), which gives an exact
 * peak per phase. Where the reset is refused, the phase peak falls back to the sampled maximum
 * (and the report says so).
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface MemStatus {
  rssKb: number;
  hwmKb: number;
}

export function readStatus(pid: number): MemStatus | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    // The process has exited.
    return null;
  }
}

function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export interface PhasePeak {
  /** The peak RSS of the phase in MB (1 MB = 1024 KiB, as `ps`/`top` show it). */
  peakMb: number;
  /** RSS at the end of the phase, MB. */
  endMb: number;
  /** Whether the peak is the kernel's exact VmHWM for the phase, not only sampled. */
  exact: boolean;
}

export interface RssMonitor {
  /** Start a phase: reset the kernel's peak and the sampled maximum. */
  begin(): void;
  /** End the phase and answer its peak. */
  end(): PhasePeak;
  /** The highest RSS seen over the whole life of the process so far (start-up included), MB. */
  overallPeakMb(): number;
  stop(): void;
}

const SAMPLE_EVERY_MS = 50;
const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

export function monitorRss(pid: number): RssMonitor {
  let sampledMaxKb = 0;
  let overallKb = 0;
  let exact = false;
  const sample = () => {
    const s = readStatus(pid);
    if (!s) return;
    sampledMaxKb = Math.max(sampledMaxKb, s.rssKb);
    overallKb = Math.max(overallKb, s.rssKb, s.hwmKb);
  };
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  timer.unref();
  sample();

  return {
    begin() {
      sample(); // keep the start-up (or previous phase) peak in the overall figure before resetting
      exact = resetPeak(pid);
      sampledMaxKb = 0;
      sample();
    },
    end() {
      sample();
      const s = readStatus(pid);
      const peakKb = exact && s ? Math.max(s.hwmKb, sampledMaxKb) : sampledMaxKb;
      return { peakMb: mb(peakKb), endMb: mb(s?.rssKb ?? NaN), exact };
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
