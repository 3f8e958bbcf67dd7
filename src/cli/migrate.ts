import { openStore } from '../store/index.js';
import type { Config } from '../server/config.js';

export async function runMigrate(config: Readonly<Config>): Promise<void> {
  const opened = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrate: false });
  try {
    const { migrateToLatest } = await import('../store/index.js');
    const applied = await migrateToLatest(opened.db, opened.dialect);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
  } finally {
    await opened.close();
  }
}
