#!/usr/bin/env node
// Entry point of the `twofold` command. `npm ci` builds the server into one bundle
// (dist/twofold.mjs, `npm run build:server`); it is used while it is at least as new as every
// source file, so an edited checkout never runs stale code: then the TypeScript sources are
// loaded through tsx instead (slower start, about 35 MB more memory).
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/twofold.mjs`;

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  try {
    return statSync(bundle).mtimeMs >= newestSource(`${root}src`);
  } catch {
    return false;
  }
}

if (process.env.TWOFOLD_FROM_SOURCE !== '1' && bundleIsFresh()) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
