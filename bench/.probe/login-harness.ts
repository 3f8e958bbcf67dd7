// Dev probe: the password-login path in-process (app.inject), argon2 replaced by an instant check,
// to see the non-hashing CPU cost per login.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/server/config.js';
import { compose } from '../../src/server/compose.js';
import { buildApp } from '../../src/server/app.js';
import { totpAad } from '../../src/core/factors/totp.js';
import { newMethodRow } from '../../src/core/mfa/after-change.js';

const N = Number(process.argv[2] ?? 3000);
const dir = mkdtempSync(path.join(tmpdir(), 'probe-'));
const config = loadConfig({ TWOFOLD_DATA_DIR: dir, TWOFOLD_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'), LOG_LEVEL: 'warn' });
const composed = await compose(config, { log: console as never, consoleWrite: () => {} });
const core = composed.deps.core;
if (!process.env.REAL_ARGON2) (core as { passwords: unknown }).passwords = { ...core.passwords, verify: async (h: string, p: string) => h === 'h:' + p, hash: async (p: string) => 'h:' + p, needsRehash: () => false };
const app = await buildApp(composed.deps, { webUi: false });
const now0 = Date.now();
const U = 200;
for (let u = 0; u < U; u++) {
  const id = core.random.uuid();
  await core.store.users.create({ id, email: `p${u}@example.com`, name: null, passwordHash: process.env.REAL_ARGON2 ? await core.passwords.hash('pw-' + u + '-xyz') : 'h:pw-' + u + '-xyz', roles: [], disabled: false, createdAt: now0, lastLoginAt: null, mfaRequiredSince: null, mfaFailureStreak: 0 } as never);
  const m = newMethodRow(core, id, 'totp', 'x', now0);
  await core.store.methods.insert({ ...m, secretEnc: core.cipher.encrypt(core.random.bytes(20), totpAad(m.id)), totpAlgorithm: 'SHA1', totpDigits: 6, totpPeriod: 30, lastStep: null });
}
const sqlTimes = new Map<string, { n: number; ms: number }>();
if (process.env.SQL_TIME) {
  const Db = (await import('better-sqlite3')).default as unknown as new (f: string) => { prepare(s: string): { constructor: { prototype: Record<string, (...a: unknown[]) => unknown> } } };
  const proto = new Db(':memory:').prepare('select 1').constructor.prototype;
  for (const m of ['run', 'all', 'get']) {
    const orig = proto[m];
    proto[m] = function (this: { source: string }, ...a: unknown[]) {
      const t = performance.now(); try { return orig.apply(this, a); } finally { const e = sqlTimes.get(this.source) ?? { n: 0, ms: 0 }; e.n++; e.ms += performance.now() - t; sqlTimes.set(this.source, e); }
    };
  }
}
const inspector = await import('node:inspector');
let session: import('node:inspector').Session | null = null;
if (process.env.PROF) { session = new inspector.Session(); session.connect(); await new Promise((r) => session!.post('Profiler.enable', () => session!.post('Profiler.start', r))); }
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let ok = 0; let i = 0;
await Promise.all(Array.from({ length: 8 }, async () => {
  while (i < N) {
    const u = i++ % U;
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `p${u}@example.com`, password: 'pw-' + u + '-xyz' } });
    if (r.statusCode === 200 && r.json().mfa_token) ok++; else if (ok < 3) console.log(r.statusCode, r.body);
  }
}));
const el = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(`ok ${ok}/${N} in ${el.toFixed(0)} ms: ${(ok / el * 1000).toFixed(0)}/s, cpu ${((cpu.user + cpu.system) / 1000 / N).toFixed(3)} ms/req`);
if (sqlTimes.size) { let tot = 0; for (const [k, v] of [...sqlTimes].sort((a, b) => b[1].ms - a[1].ms)) { tot += v.ms; console.log((v.ms / v.n * 1000).toFixed(1).padStart(7), 'us', String(v.n).padStart(6), k.replace(/\s+/g, ' ').slice(0, 110)); } console.log('sql total per request us', (tot / N * 1000).toFixed(0)); }
if (session) {
  const { writeFileSync } = await import('node:fs');
  await new Promise<void>((r) => session!.post('Profiler.stop', (err, res) => { writeFileSync(process.env.PROF!, JSON.stringify((res as { profile: unknown }).profile)); r(); }));
}
await app.close(); await composed.close(); process.exit(0);
