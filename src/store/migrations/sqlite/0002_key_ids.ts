/**
 * SQLite: the data-encryption key ids (KeyIdsRepo), in the order they were added.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('key_ids')
    // Insertion order decides which key encrypts (the last): a sequence, not a timestamp, so
    // clocks that differ between processes cannot reorder keys.
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kid', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('key_ids').ifExists().execute();
}
