#!/usr/bin/env node
// Entry point of the `twofold` command: loads the TypeScript sources through tsx so a fresh
// clone runs with `npm ci` alone (no separate build step for the server).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
