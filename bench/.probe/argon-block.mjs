import { hash, verify } from '@node-rs/argon2';
import { monitorEventLoopDelay } from 'node:perf_hooks';
const params = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };
const h = await hash('password123', params);
const h2 = monitorEventLoopDelay({ resolution: 1 }); h2.enable();
let t = performance.now(); let syncMax = 0; let n = 0;
const end = performance.now() + 4000;
await Promise.all(Array.from({ length: 8 }, async () => {
  while (performance.now() < end) { const s = performance.now(); const p = verify(h, 'password123'); syncMax = Math.max(syncMax, performance.now() - s); await p; n++; }
}));
h2.disable();
console.log('verifies', n, 'rate', (n / 4).toFixed(1), 'sync part max ms', syncMax.toFixed(2), 'loop delay p50/p99/max ms', (h2.percentile(50) / 1e6).toFixed(2), (h2.percentile(99) / 1e6).toFixed(2), (h2.max / 1e6).toFixed(2));
