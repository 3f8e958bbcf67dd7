/**
 * A separate process for sqlite-checkpoints.test.ts: opens the store in the data directory given
 * as argv[2] and appends argv[3] audit entries, eight at a time (so they commit in groups and
 * its checkpoints run beside the other process's), tagged with argv[4]; prints its checkpoint
 * counts as JSON.
 */
import { openStore } from '../../src/store/index.js';

const [dataDir, count, tag] = process.argv.slice(2);
const opened = await openStore({ dataDir });
try {
  const total = Number(count);
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await opened.store.events.append({ type: 'login.failed', userId: null, actorId: null, ip: '127.0.0.1', userAgent: tag, at: Date.now(), details: { i, pad: 'x'.repeat(1500) } });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  process.stdout.write(JSON.stringify(opened.sqliteCheckpoints?.counts));
} finally {
  await opened.close();
}
