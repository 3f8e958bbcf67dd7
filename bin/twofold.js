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

// V8's young generation, for the long-running `serve` only: it stops growing here, before the
// service loads, since module loading would otherwise take it to its 32 MB maximum for good.
// Once up, `twofold serve` holds all its heap settings itself (src/server/heap-settings.ts has
// the why and the figures). Node puts V8's flags back to their defaults whenever a worker thread
// starts (tsx's loader thread below is one), so this is done again after it. An operator's own
// semi-space flag wins.
function freezeYoungGeneration() {
  const nodeFlags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (process.argv[2] === 'serve' && !/semi[-_]space/.test(nodeFlags)) {
    require('node:v8').setFlagsFromString('--semi-space-growth-factor=1');
  }
}
freezeYoungGeneration();

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
    freezeYoungGeneration();
    await import(pathToFileURL(path.join(root, 'src', 'cli', 'main.ts')).href);
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
