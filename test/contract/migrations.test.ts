/**
 * Migrations and opening: idempotent migrations, data kept across reopen, bigint handling.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { MigrationError, knownMigrations, migrateToLatest, openStore } from '../../src/store/index.js';
import { databaseTargets, useStore } from '../helpers/databases.js';
import { NOW, givenUser } from './fixtures.js';

const run = promisify(execFile);

describe.each(await databaseTargets())('migrations on $name', (target) => {
  // Opened without migrating: the database is empty until the first case migrates it.
  const opened = useStore({ skipReason: target.skipReason, open: () => target.open({ migrate: false }) });

  it('applies every migration once; applying again is a no-op', async () => {
    const { db, dialect } = opened();
    expect(await migrateToLatest(db, dialect)).toEqual(knownMigrations(dialect));
    expect(knownMigrations(dialect)).toContain('0001_init');
    expect(await migrateToLatest(db, dialect)).toEqual([]);
    // The tables are there and usable.
    await expect(opened().store.users.count()).resolves.toBe(0);
  });

  it('opening with migrations on an up-to-date database changes nothing', async () => {
    const again = await target.open();
    expect(await migrateToLatest(again.db, again.dialect)).toEqual([]);
    await again.close();
  });

  it('keeps data across close and reopen', async () => {
    const first = await target.open();
    const u = await givenUser(first.store, { email: 'kept@example.test', createdAt: NOW });
    const eventId = await first.store.events.append({ type: 't', userId: u.id, actorId: null, ip: null, userAgent: null, at: NOW, details: {} });
    await first.close();
    const second = await target.open();
    expect(await second.store.users.byEmail('kept@example.test')).toEqual(u);
    // Event ids keep growing after a restart: the cursor never goes back.
    const next = await second.store.events.append({ type: 't', userId: u.id, actorId: null, ip: null, userAgent: null, at: NOW, details: {} });
    expect(next).toBeGreaterThan(eventId);
    await second.close();
  });

  it('returns epoch-millisecond times and counts as JS numbers', async () => {
    const u = await givenUser(opened().store, { createdAt: NOW });
    const got = await opened().store.users.byId(u.id);
    expect(got?.createdAt).toBe(NOW);
    expect(typeof got?.createdAt).toBe('number');
    expect(typeof (await opened().store.users.count())).toBe('number');
  });
});

describe.each(await databaseTargets())('concurrent start-up on $name', (target) => {
  const opened = useStore({ skipReason: target.skipReason, open: () => target.open({ migrate: false }) });

  it('two processes migrating one empty database at once apply each migration exactly once', async () => {
    const location = JSON.stringify(await target.location());
    // SQLite: real processes, since a second connection in this one would block the event loop
    // while it waits for the first's lock. PostgreSQL: a second pool here is a second client.
    const child = async (): Promise<string[]> => {
      if (target.name === 'postgres') {
        const other = await target.open({ migrate: false });
        return migrateToLatest(other.db, other.dialect);
      }
      const { stdout } = await run(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./migrate-child.ts', import.meta.url)), location], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
      });
      return JSON.parse(stdout) as string[];
    };
    const [a, b] = await Promise.all([child(), child()]);
    expect([...a, ...b].sort()).toEqual(knownMigrations(opened().dialect));
    expect(await migrateToLatest(opened().db, opened().dialect)).toEqual([]);
  });
});

describe.each(await databaseTargets())('a failing migration on $name', (target) => {
  const opened = useStore({ skipReason: target.skipReason, open: () => target.open({ migrate: false }) });

  it('throws a MigrationError naming it, and leaves nothing half-applied', async () => {
    const { db, dialect } = opened();
    // A table in the way of 0001_init's last steps: everything before them must roll back.
    await db.schema.createTable('rate_limits').addColumn('x', 'integer').execute();
    const err = await migrateToLatest(db, dialect).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as MigrationError).migration).toBe('0001_init');
    expect((err as Error).message).toMatch(/0001_init/);
    await expect(db.selectFrom('users').select('id').execute()).rejects.toThrow();
    // Out of the way, the same call succeeds.
    await db.schema.dropTable('rate_limits').execute();
    expect(await migrateToLatest(db, dialect)).toEqual(knownMigrations(dialect));
  });
});

describe('openStore', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('creates the data directory and twofold.db in WAL mode with foreign keys on', async () => {
    const base = mkdtempSync(join(tmpdir(), 'twofold-open-'));
    dirs.push(base);
    const dataDir = join(base, 'nested', 'data');
    const s = await openStore({ dataDir });
    try {
      expect(s.dialect).toBe('sqlite');
      expect(statSync(join(dataDir, 'twofold.db')).isFile()).toBe(true);
      expect(s.sqlite?.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(s.sqlite?.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(s.sqlite?.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(s.sqlite?.pragma('synchronous', { simple: true })).toBe(1);
      // 2 MiB of page cache, not better-sqlite3's build default of 16 MB (bench/README.md, memory).
      expect(s.sqlite?.pragma('cache_size', { simple: true })).toBe(-2048);
    } finally {
      await s.close();
    }
  });

  it('treats an empty DATABASE_URL as unset and refuses other schemes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twofold-open-'));
    dirs.push(dir);
    const s = await openStore({ dataDir: dir, databaseUrl: '' });
    expect(s.dialect).toBe('sqlite');
    await s.close();
    await expect(openStore({ dataDir: dir, databaseUrl: 'mysql://localhost/x' })).rejects.toThrow(/postgres:\/\//);
  });

  it("leaves pg's global int8 parser alone (bigint parsing is per pool)", () => {
    expect(pg.types.getTypeParser(20)('9007199254740993')).toBe('9007199254740993');
  });

  it('fails clearly when PostgreSQL cannot be reached', async () => {
    await expect(openStore({ dataDir: tmpdir(), databaseUrl: 'postgres://postgres@127.0.0.1:1/none' })).rejects.toThrow();
  });
});
