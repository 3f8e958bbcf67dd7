import { execFileSync } from 'node:child_process';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The static guarantees CI must hold: the layering rule of DESIGN.md (ESLint) and strict
 * TypeScript over the whole tree (vitest itself does not type-check).
 */
describe('static checks', () => {
  it('the layering and configuration rules hold (eslint)', async () => {
    const eslint = new ESLint({ cwd: process.cwd() });
    const results = await eslint.lintFiles(['src', 'test', 'bench']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(errors).toEqual([]);
  }, 120_000);

  it('the server, tests and web UI type-check (tsc --strict)', () => {
    const run = (project: string) => {
      try {
        execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', project], { encoding: 'utf8', stdio: 'pipe' });
        return '';
      } catch (err) {
        return String((err as { stdout?: string }).stdout ?? err);
      }
    };
    expect(run('tsconfig.json')).toBe('');
    expect(run('web/tsconfig.json')).toBe('');
  }, 240_000);
});
