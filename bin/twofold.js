#!/usr/bin/env node
// Entry point of the `twofold` command. `npm ci` builds the server into one bundle
// (dist/twofold.mjs, `npm run build:server`); it is used while it is at least as new as every
// source file, so an edited checkout never runs stale code: then the TypeScript sources are
// loaded through tsx instead (slower start, about 35 MB more memory).
//
// This file is CommonJS (bin/package.json) so that it runs before anything has used libuv's
// thread pool: loading an ES module reads it on that pool, which fixes the pool's size. The size
// is set here to the number of password hashes computed at once (TWOFOLD_HASH_CONCURRENCY,
// default one per core; an invalid value is refused by the configuration a moment later), unless
// UV_THREADPOOL_SIZE is set. See createPasswordHasher (src/server/crypto/password-hasher.ts).
'use strict';
const { readdirSync, statSync } = require('node:fs');
const { availableParallelism } = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

// V8's heap is sized for throughput by default, not for a service that should stay small
// (bench/README.md, "Memory"). Two flags that V8 still reads after start-up:
// - the young generation stops growing here, before the service loads: module loading would
//   otherwise take it to its 32 MB maximum for good. `twofold serve` lets it grow again to a cap
//   once it is up (src/server/young-generation.ts);
// - the old generation may grow by 15% of what survived the last full collection before the
//   next one, instead of up to 100% or more.
// An operator's own heap flags (command line or NODE_OPTIONS) win. Only for the long-running
// `serve`: the one-shot commands (migrate, keys rotate, ...) keep V8's defaults.
if (process.argv[2] === 'serve') {
  const nodeFlags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  const v8 = require('node:v8');
  if (!/semi[-_]space/.test(nodeFlags)) v8.setFlagsFromString('--semi-space-growth-factor=1');
  if (!/heap[-_]growing|old[-_]space/.test(nodeFlags)) v8.setFlagsFromString('--heap-growing-percent=15');
}

if (!process.env.UV_THREADPOOL_SIZE) {
  const n = Number(process.env.TWOFOLD_HASH_CONCURRENCY);
  process.env.UV_THREADPOOL_SIZE = String(Number.isInteger(n) && n >= 1 && n <= 64 ? n : availableParallelism());
}

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'dist', 'twofold.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  try {
    return statSync(bundle).mtimeMs >= newestSource(path.join(root, 'src'));
  } catch {
    return false;
  }
}

(async () => {
  if (process.env.TWOFOLD_FROM_SOURCE !== '1' && bundleIsFresh()) {
    await import(pathToFileURL(bundle).href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import(pathToFileURL(path.join(root, 'src', 'cli', 'main.ts')).href);
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
