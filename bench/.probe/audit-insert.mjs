import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
function bench(label, ddl, sql) {
  const db = new Database(mkdtempSync('/tmp/sq-') + '/t.db');
  db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL');
  db.exec(ddl);
  const st = db.prepare(sql);
  const N = 6000; const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < N; i++) { const r = st.all('login.succeeded', 'u' + (i % 200) + 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'u' + (i % 200), '127.0.0.1', null, Date.now(), JSON.stringify({ session_id: 'abcdefabcdefabcdefabcdefabcdef', amr: ['pwd', 'otp', 'mfa'], method: 'totp' })); }
  const c = process.cpuUsage(c0);
  console.log(label.padEnd(40), ((c.user + c.system) / N).toFixed(1), 'us cpu', ((performance.now() - t0) / N * 1000).toFixed(1), 'us wall');
}
const cols = `type text not null, user_id text, actor_id text, ip text, user_agent text, at integer not null, details text not null`;
const idx = `create index a on ev(user_id, id); create index b on ev(type, id); create index c on ev(at);`;
const ins = `insert into ev (type, user_id, actor_id, ip, user_agent, at, details) values (?, ?, ?, ?, ?, ?, ?) returning id`;
bench('autoincrement + 3 idx', `create table ev (id integer primary key autoincrement, ${cols}); ${idx}`, ins);
bench('rowid + 3 idx', `create table ev (id integer primary key, ${cols}); ${idx}`, ins);
bench('autoincrement no idx', `create table ev (id integer primary key autoincrement, ${cols});`, ins);
bench('rowid no idx', `create table ev (id integer primary key, ${cols});`, ins);
