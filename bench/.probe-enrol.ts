import { base32Decode, totp } from '../src/core/otp/index.js';
const base = `http://127.0.0.1:${process.argv[2]}/api/v1`;
const n = +process.argv[3];
const post = (p: string, body: unknown, token?: string) => fetch(base + p, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json().catch(() => ({}))) as any }));
async function pool(count: number, c: number, fn: (i: number) => Promise<void>) { let i = 0; await Promise.all(Array.from({ length: c }, async () => { while (i < count) await fn(i++); })); }
const tag = Math.random().toString(36).slice(2);
await pool(n, 8, async (i) => {
  const email = `e${tag}${i}@example.com`, password = `probe pass ${tag} ${i}`;
  await post('/auth/register', { email, password });
  const l = await post('/auth/login', { email, password });
  const s = await post('/mfa/totp/setup', { name: 'x' }, l.body.access_token);
  const v = await post('/mfa/totp/verify', { enrollment_id: s.body.enrollment_id, code: totp(base32Decode(s.body.secret), Date.now()) }, l.body.access_token);
  if (v.status !== 200) throw new Error(JSON.stringify(v));
});
console.log('enrolled', n);
