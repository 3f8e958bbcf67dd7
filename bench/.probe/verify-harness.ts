// Dev probe: the TOTP verify path in-process over app.inject (no sockets), for clean CPU profiles.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/server/config.js';
import { compose } from '../../src/server/compose.js';
import { buildApp } from '../../src/server/app.js';
import { createMfaPending } from '../../src/core/auth/mfa-pending.js';
import { totpAad } from '../../src/core/factors/totp.js';
import { newMethodRow } from '../../src/core/mfa/after-change.js';
import { timeStep, totp } from '../../src/core/otp/index.js';

const N = Number(process.argv[2] ?? 3000);
if (process.env.STMT_CACHE) {
  const Db = (await import('better-sqlite3')).default as unknown as { prototype: { prepare(sql: string): unknown } };
  const orig = Db.prototype.prepare;
  const caches = new WeakMap<object, Map<string, unknown>>();
  Db.prototype.prepare = function (this: object, sql: string) {
    let c = caches.get(this); if (!c) caches.set(this, (c = new Map()));
    let st = c.get(sql); if (!st) { st = orig.call(this, sql); c.set(sql, st); }
    return st;
  };
}
const dir = mkdtempSync(path.join(tmpdir(), 'probe-'));
const config = loadConfig({ TWOFOLD_DATA_DIR: dir, TWOFOLD_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'), LOG_LEVEL: 'warn' });
const composed = await compose(config, { log: console as never, consoleWrite: () => {} });
const app = await buildApp(composed.deps, { webUi: false });
const core = composed.deps.core;
const now0 = Date.now();
const users: { id: string; methods: { key: Buffer; last: number; id: string }[] }[] = [];
for (let u = 0; u < Math.ceil(N / 3); u++) {
  const id = core.random.uuid();
  await core.store.users.create({ id, email: `p${u}@example.com`, name: null, passwordHash: null, roles: [], disabled: false, createdAt: now0, lastLoginAt: null, mfaRequiredSince: null, mfaFailureStreak: 0 } as never);
  const key = core.random.bytes(20);
  const m = newMethodRow(core, id, 'totp', 'x', now0);
  await core.store.methods.insert({ ...m, secretEnc: core.cipher.encrypt(key, totpAad(m.id)), totpAlgorithm: 'SHA1', totpDigits: 6, totpPeriod: 30, lastStep: null });
  users.push({ id, methods: [{ key, last: -1, id: m.id }] });
}
const jobs: { token: string; code: string }[] = [];
const cur = timeStep(Date.now(), 30);
for (let i = 0; i < N; i++) {
  const u = users[i % users.length];
  const step = cur - 1 + Math.floor(i / users.length);
  const p = await createMfaPending(core, u.id, { now: Date.now(), ip: '127.0.0.1', userAgent: null });
  jobs.push({ token: p.token, code: totp(u.methods[0].key, step * 30000) });
}
console.log('prepared', N);
if (process.env.TRACE_SQL) {
  const Db = (await import('better-sqlite3')).default as unknown as { prototype: { prepare(sql: string): unknown } };
  const orig = Db.prototype.prepare;
  Db.prototype.prepare = function (this: object, sql: string) { console.log('SQL', sql.slice(0, 160)); return orig.call(this, sql); };
  const j = jobs.pop()!;
  const r = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', payload: { mfa_token: j.token, method: 'totp', code: j.code } });
  console.log(r.statusCode);
  process.exit(0);
}
const inspector = await import('node:inspector');
let session: import('node:inspector').Session | null = null;
if (process.env.PROF) { session = new inspector.Session(); session.connect(); await new Promise((r) => session!.post('Profiler.enable', () => session!.post('Profiler.start', r))); }
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
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let ok = 0;
let i = 0;
await Promise.all(Array.from({ length: 8 }, async () => {
  while (i < jobs.length) {
    const j = jobs[i++];
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', payload: { mfa_token: j.token, method: 'totp', code: j.code } });
    if (r.statusCode === 200) ok++; else if (ok < 3) console.log(r.statusCode, r.body);
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
await app.close();
await composed.close();
process.exit(0);
