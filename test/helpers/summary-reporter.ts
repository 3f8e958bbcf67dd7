import type { Reporter, File, Task } from 'vitest';

/**
 * Prints one closing line, "N passed, N failed, N skipped", which CI reads to know how many
 * tests ran (vitest's own summary is not a format CI recognises).
 */
function collect(tasks: Task[], acc: { passed: number; failed: number; skipped: number }): void {
  for (const t of tasks) {
    if (t.type === 'test') {
      const state = t.result?.state;
      if (state === 'pass') acc.passed++;
      else if (state === 'fail') acc.failed++;
      else acc.skipped++;
    } else if ('tasks' in t) collect(t.tasks, acc);
  }
}

export default class SummaryReporter implements Reporter {
  onFinished(files: File[] = [], errors: unknown[] = []): void {
    const acc = { passed: 0, failed: 0, skipped: 0 };
    collect(files, acc);
    const failed = acc.failed + (errors.length > 0 && acc.failed === 0 ? errors.length : 0);
    process.stdout.write(`\n${acc.passed} passed, ${failed} failed, ${acc.skipped} skipped\n`);
  }
}
