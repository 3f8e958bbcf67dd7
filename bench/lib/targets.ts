/** The targets of issues #2 and #3, judged on one run's figures. */
import type { LoadResult } from './load.js';
import type { PhaseUsage } from './proc.js';
import type { Target } from './report.js';

export const TARGET = {
  /** #2: login throughput at least 80% of the raw argon2id verify rate on the same cores. */
  loginShareOfArgon2: 0.8,
  /** #2: hashing never blocks the event loop: /healthz p99 while the logins run. */
  healthzP99DuringLoginMs: 20,
  /** #2 and #3: peak resident memory of the server. */
  peakRssMb: 150,
  /** #3: completed TOTP verifications per second, at least... */
  totpMinRps: 500,
  /** #3: ...and at least a tenth of /healthz's throughput in the same run. */
  totpShareOfHealthz: 0.1,
  totpP99Ms: 25,
};

export interface RunFigures {
  argon2Rate: number;
  login: LoadResult;
  healthzDuringLogin: LoadResult;
  totp: LoadResult;
  /** The /healthz throughput the TOTP rate is compared with. */
  healthzRps: number;
  phases: Record<string, PhaseUsage>;
  wholeRunPeakMb: number;
}

export function judge(f: RunFigures): Target[] {
  const loginShare = f.login.rps / f.argon2Rate;
  const totpShare = f.totp.rps / f.healthzRps;
  const wrong = f.login.errors + f.healthzDuringLogin.errors + f.totp.errors;
  const loginPeak = f.phases.login.peakMb;
  const totpPeak = f.phases.totp.peakMb;
  return [
    { issue: '#2', what: 'login throughput vs raw argon2', target: `>= ${TARGET.loginShareOfArgon2 * 100}% of ${f.argon2Rate.toFixed(1)}/s`, measured: loginShare * 100, unit: `% (${f.login.rps.toFixed(1)}/s)`, pass: loginShare >= TARGET.loginShareOfArgon2 },
    { issue: '#2', what: '/healthz p99 during logins', target: `< ${TARGET.healthzP99DuringLoginMs} ms`, measured: f.healthzDuringLogin.latency.p99, unit: 'ms', pass: f.healthzDuringLogin.latency.p99 < TARGET.healthzP99DuringLoginMs },
    { issue: '#2', what: 'peak RSS during logins', target: `< ${TARGET.peakRssMb} MB`, measured: loginPeak, unit: 'MB', pass: loginPeak < TARGET.peakRssMb },
    { issue: '#3', what: 'TOTP verifies per second', target: `>= ${TARGET.totpMinRps}/s`, measured: f.totp.rps, unit: '/s', pass: f.totp.rps >= TARGET.totpMinRps },
    { issue: '#3', what: 'TOTP verify vs /healthz', target: `>= ${TARGET.totpShareOfHealthz * 100}% of ${f.healthzRps.toFixed(0)}/s`, measured: totpShare * 100, unit: '%', pass: totpShare >= TARGET.totpShareOfHealthz },
    { issue: '#3', what: 'TOTP verify p99', target: `< ${TARGET.totpP99Ms} ms`, measured: f.totp.latency.p99, unit: 'ms', pass: f.totp.latency.p99 < TARGET.totpP99Ms },
    { issue: '#3', what: 'peak RSS during TOTP verifies', target: `< ${TARGET.peakRssMb} MB`, measured: totpPeak, unit: 'MB', pass: totpPeak < TARGET.peakRssMb },
    { issue: '#2 #3', what: 'peak RSS, whole run', target: `< ${TARGET.peakRssMb} MB`, measured: f.wholeRunPeakMb, unit: 'MB', pass: f.wholeRunPeakMb < TARGET.peakRssMb },
    { issue: '#2 #3', what: 'wrong answers in timed scenarios', target: '0', measured: wrong, unit: '', pass: wrong === 0 },
  ];
}
