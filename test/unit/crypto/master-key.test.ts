import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMasterKey } from '../../../src/server/crypto/master-key.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'twofold-key-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function collect(): { warn: (m: string) => void; messages: string[] } {
  const messages: string[] = [];
  return { warn: (m) => messages.push(m), messages };
}

describe('loadMasterKey from the data directory', () => {
  it('generates 32 bytes into <dataDir>/secret.key, mode 0600, creating the directory, and warns without the key', () => {
    const dataDir = join(root, 'nested', 'data');
    const { warn, messages } = collect();
    const key = loadMasterKey({ dataDir, warn });
    expect(key.length).toBe(32);
    const path = join(dataDir, 'secret.key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64').equals(key)).toBe(true);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(path);
    expect(messages[0]).toContain('TWOFOLD_SECRET_KEY');
    expect(messages[0]).toMatch(/generated/);
    expect(messages.join(' ')).not.toContain(key.toString('base64'));
    // No temporary files are left behind.
    expect(readdirSync(dataDir)).toEqual(['secret.key']);
  });

  it('loads the same key on a second start', () => {
    const first = loadMasterKey({ dataDir: root, warn: () => {} });
    const { warn, messages } = collect();
    const second = loadMasterKey({ dataDir: root, warn });
    expect(second.equals(first)).toBe(true);
    expect(messages.join(' ')).not.toMatch(/generated/);
    expect(messages.join(' ')).not.toContain(first.toString('base64'));
  });

  it('processes starting at once all end up with the one key on disk', async () => {
    const modulePath = fileURLToPath(new URL('../../../src/server/crypto/master-key.ts', import.meta.url));
    const script = join(root, 'load.mts');
    writeFileSync(
      script,
      `import { loadMasterKey } from ${JSON.stringify(modulePath)};\n` +
        `process.stdout.write(loadMasterKey({ dataDir: process.argv[2], warn: () => {} }).toString('base64'));\n`,
    );
    const dataDir = join(root, 'shared');
    const run = promisify(execFile);
    const outputs = await Promise.all(
      Array.from({ length: 6 }, () => run(process.execPath, ['--import', 'tsx', script, dataDir], { encoding: 'utf8' })),
    );
    const keys = new Set(outputs.map((o) => o.stdout));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toBe(readFileSync(join(dataDir, 'secret.key'), 'utf8').trim());
    expect(readdirSync(dataDir)).toEqual(['secret.key']);
  });

  it('an empty env value means "not set"', () => {
    const a = loadMasterKey({ envValue: '', dataDir: root, warn: () => {} });
    const b = loadMasterKey({ envValue: '  ', dataDir: root, warn: () => {} });
    expect(a.equals(b)).toBe(true);
  });

  it('refuses a corrupt key file with its path, and warns about loose permissions', () => {
    const path = join(root, 'secret.key');
    writeFileSync(path, 'c2hvcnQ=\n', { mode: 0o600 });
    expect(() => loadMasterKey({ dataDir: root, warn: () => {} })).toThrow(path);

    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`);
    chmodSync(path, 0o644);
    const { warn, messages } = collect();
    loadMasterKey({ dataDir: root, warn });
    expect(messages.some((m) => m.includes('chmod 600'))).toBe(true);
  });
});

describe('loadMasterKey from TWOFOLD_SECRET_KEY', () => {
  it('decodes base64 and base64url, touching no file and not warning', () => {
    const raw = randomBytes(48);
    const { warn, messages } = collect();
    expect(loadMasterKey({ envValue: raw.toString('base64'), dataDir: root, warn }).equals(raw)).toBe(true);
    expect(loadMasterKey({ envValue: raw.toString('base64url'), dataDir: root, warn }).equals(raw)).toBe(true);
    expect(loadMasterKey({ envValue: ` ${raw.toString('base64')}\n`, dataDir: root, warn }).equals(raw)).toBe(true);
    expect(messages).toEqual([]);
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a key shorter than 32 bytes with an error naming TWOFOLD_SECRET_KEY', () => {
    const short = randomBytes(31).toString('base64');
    expect(() => loadMasterKey({ envValue: short, dataDir: root, warn: () => {} })).toThrow(/TWOFOLD_SECRET_KEY.*at least 32 bytes/);
  });

  it('refuses a value that is not base64, without echoing it', () => {
    const value = 'not base64 at all, but long enough to be 32 bytes!!';
    try {
      loadMasterKey({ envValue: value, dataDir: root, warn: () => {} });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/TWOFOLD_SECRET_KEY is not valid base64/);
      expect((err as Error).message).not.toContain(value);
    }
  });
});
