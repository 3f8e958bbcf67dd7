/**
 * The raw argon2id verify rate of this machine: the ceiling any password login can reach.
 * Run as its own process by bench/run.ts (so its work shares neither the bench's event loop
 * nor the server's), with the service's own hasher and parameters and, like the server, the
 * default libuv thread pool. Prints one JSON line: {verifies, elapsedS, rate, concurrency, params, cpuS}.
 *
 * Usage: node --import tsx bench/argon2-rate.ts [concurrency=8] [seconds=5]
 */
import { performance } from 'node:perf_hooks';
import { ARGON2_DEFAULTS, createPasswordHasher } from '../src/server/crypto/password-hasher.js';

const concurrency = Number(process.argv[2] ?? 8);
const seconds = Number(process.argv[3] ?? 5);

const hasher = createPasswordHasher(ARGON2_DEFAULTS);
const password = 'correct horse battery staple';
const stored = await hasher.hash(password);
// The hasher's start-up dummy hash and one warm-up verify finish before the clock starts.
await hasher.verifyDummy(password);

let verifies = 0;
let wrong = 0;
const start = performance.now();
const deadline = start + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      if (await hasher.verify(stored, password)) verifies++;
      else wrong++;
    }
  }),
);
const elapsedS = (performance.now() - start) / 1000;
// All threads (the libuv pool included), start-up and the set-up hash too: run.ts subtracts it
// from the machine's busy time to show what other processes took meanwhile.
const cpu = process.cpuUsage();
if (wrong > 0) throw new Error(`argon2 verify answered false ${wrong} times for the right password`);
process.stdout.write(JSON.stringify({ verifies, elapsedS, rate: verifies / elapsedS, concurrency, params: ARGON2_DEFAULTS, cpuS: (cpu.user + cpu.system) / 1e6 }) + '\n');
