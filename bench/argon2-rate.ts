/**
 * The raw argon2id verify rate of this machine: the ceiling any password login can reach.
 * Run as its own process by bench/run.ts, so its work shares neither the bench's event loop
 * nor the server's. It calls @node-rs/argon2 directly (not the service's hasher, which gates
 * its concurrency), with the service's parameters, on a libuv pool of one thread per core (as the service runs).
 * Prints one JSON line: {verifies, elapsedS, rate, concurrency, params, cpuS}.
 *
 * Usage: node --import tsx bench/argon2-rate.ts [concurrency=8] [seconds=5]
 */
import { performance } from 'node:perf_hooks';
import { hash, verify } from '@node-rs/argon2';
import { ARGON2_DEFAULTS } from '../src/server/crypto/password-hasher.js';

/** @node-rs/argon2's `Algorithm.Argon2id` (an ambient const enum, so spelled out, as the service does). */
const ARGON2ID = 2;

const concurrency = Number(process.argv[2] ?? 8);
const seconds = Number(process.argv[3] ?? 5);

const password = 'correct horse battery staple';
const stored = await hash(password, { algorithm: ARGON2ID, ...ARGON2_DEFAULTS });
// One verify before the clock starts: the first call pays for loading and thread start-up.
await verify(stored, password);

let verifies = 0;
let wrong = 0;
const start = performance.now();
const deadline = start + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      if (await verify(stored, password)) verifies++;
      else wrong++;
    }
  }),
);
const elapsedS = (performance.now() - start) / 1000;
// All threads (the libuv pool included) and the set-up hash too: run.ts subtracts it from the
// machine's busy time to show what other processes took meanwhile.
const cpu = process.cpuUsage();
if (wrong > 0) throw new Error(`argon2 verify answered false ${wrong} times for the right password`);
process.stdout.write(JSON.stringify({ verifies, elapsedS, rate: verifies / elapsedS, concurrency, params: ARGON2_DEFAULTS, cpuS: (cpu.user + cpu.system) / 1e6 }) + '\n');
