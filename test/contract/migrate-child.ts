/**
 * A separate process for the start-up race in migrations.test.ts: opens the store at the
 * location given as JSON in argv[2], migrates, and prints the migrations it applied as JSON.
 */
import { migrateToLatest, openStore } from '../../src/store/index.js';

const location = JSON.parse(process.argv[2] ?? '{}') as { databaseUrl?: string; dataDir: string };
const opened = await openStore({ ...location, migrate: false });
try {
  const applied = await migrateToLatest(opened.db, opened.dialect);
  process.stdout.write(JSON.stringify(applied));
} finally {
  await opened.close();
}
