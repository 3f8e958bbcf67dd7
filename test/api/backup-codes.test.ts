import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT } from '../../src/core/audit.js';
import { BACKUP_CODE_ALPHABET } from '../../src/core/backup-codes.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, signUp, STRONG } from '../helpers/http.js';
import { claimsOf, codeAt, deliveredMail, enrolTotp, eventsOf, mfaToken, nextStep, uniqueEmail, userWithTotp, verifyMfa } from '../helpers/mfa.js';

/** Backup codes (issue #3): shown once, keyed hashes, any spelling, single use, regenerable. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const remaining = async (access: string) => (await call(t.app, 'GET', '/mfa/status', { token: access })).body.backup_codes_remaining;
const useBackup = async (email: string, code: unknown) => verifyMfa(t, await mfaToken(t, email), 'backup_code', code);

describe('issue', () => {
  it('10 distinct codes of 50 bits come with the first method only, stored as keyed hashes', async () => {
    const u = await userWithTotp(t, 'issue');
    expect(u.backupCodes).toHaveLength(10);
    expect(new Set(u.backupCodes).size).toBe(10);
    const shape = new RegExp(`^[${BACKUP_CODE_ALPHABET}]{5}-[${BACKUP_CODE_ALPHABET}]{5}$`);
    for (const c of u.backupCodes) expect(c).toMatch(shape);
    // 10 symbols from 32: 50 bits.
    expect(BACKUP_CODE_ALPHABET).toHaveLength(32);
    expect(await remaining(u.access)).toBe(10);

    const second = await enrolTotp(t, u.access, { name: 'Second' });
    expect(second.verify.body.backup_codes).toBeUndefined();
    expect(await remaining(u.access)).toBe(10);

    const { db } = t.composed.opened;
    const rows = await db.selectFrom('backup_codes').selectAll().where('user_id', '=', u.userId).execute();
    expect(rows).toHaveLength(10);
    const stored = JSON.stringify(rows);
    for (const c of u.backupCodes) {
      expect(stored).not.toContain(c);
      expect(stored).not.toContain(c.replace('-', ''));
    }
  });
});

describe('sign-in with a backup code', () => {
  it('is listed while codes remain, works once in any case with or without the dash, and mails the remaining count', async () => {
    const u = await userWithTotp(t, 'use');
    const [a, b, c] = u.backupCodes;
    const first = await useBackup(u.email, a.toUpperCase());
    expect(first.status).toBe(200);
    expect(claimsOf(first.body.access_token)).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: 'aal2' });
    expect((await useBackup(u.email, b.replace('-', ''))).status).toBe(200);
    const mixed = [...c.replace('-', '')].map((ch, i) => (i % 2 ? ch.toUpperCase() : ch)).join('');
    expect((await useBackup(u.email, mixed)).status).toBe(200);

    for (const again of [a, b.toUpperCase(), c.replace('-', '')]) {
      const res = await useBackup(u.email, again);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_code');
    }
    expect(await remaining(first.body.access_token)).toBe(7);

    const used = (await eventsOf(t, u.userId)).filter((e) => e.type === EVENT.backupCodeUsed);
    expect(used.map((e) => e.details.remaining)).toEqual([9, 8, 7]);
    const mail = await deliveredMail(t);
    expect(mail).toContain(u.email);
    expect(mail).toContain('You have 9 backup codes left');
    expect(mail).toContain('You have 7 backup codes left');
  });

  it('refuses malformed codes and other users\' codes as invalid_code, and a number as 400', async () => {
    const u = await userWithTotp(t, 'bad');
    const other = await userWithTotp(t, 'badother');
    const code = u.backupCodes[0];
    for (const bad of [other.backupCodes[0], ` ${code}x`, code.replace('-', '--'), `${code.slice(0, 5)}-`, 'ｋ' + code.slice(1)]) {
      const res = await useBackup(u.email, bad);
      expect(res.status, bad).toBe(401);
      expect(res.body.code).toBe('invalid_code');
    }
    expect((await useBackup(u.email, 1234567890)).status).toBe(400);
    // The other user's code still works for them.
    expect((await useBackup(other.email, other.backupCodes[0])).status).toBe(200);
  });

  it('once every code is used, login no longer offers backup_code and status shows 0', async () => {
    const u = await userWithTotp(t, 'spent');
    let access = '';
    for (const code of u.backupCodes) access = (await useBackup(u.email, code)).body.access_token;
    expect(await remaining(access)).toBe(0);
    const login = await call(t.app, 'POST', '/auth/login', { body: { email: u.email, password: STRONG } });
    expect(login.body.methods).toEqual(['totp']);
    const res = await verifyMfa(t, login.body.mfa_token, 'backup_code', u.backupCodes[0]);
    expect(res.status).toBe(401);
    expect(await deliveredMail(t)).toContain('You have no backup codes left');
  });
});

describe('regenerate', () => {
  it('answers 10 new codes (not cached) and every older code stops working', async () => {
    const u = await userWithTotp(t, 'regen');
    expect((await useBackup(u.email, u.backupCodes[0])).status).toBe(200);
    nextStep(t);
    const login = await verifyMfa(t, await mfaToken(t, u.email), 'totp', codeAt(t, u.secret));
    const res = await call(t.app, 'POST', '/mfa/backup-codes/regenerate', { token: login.body.access_token });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.backup_codes).toHaveLength(10);
    expect(res.body.backup_codes.filter((c: string) => u.backupCodes.includes(c))).toEqual([]);
    expect(await remaining(login.body.access_token)).toBe(10);

    expect((await useBackup(u.email, u.backupCodes[1])).status).toBe(401);
    expect((await useBackup(u.email, res.body.backup_codes[0])).status).toBe(200);
    expect(await remaining(login.body.access_token)).toBe(9);
    const types = (await eventsOf(t, u.userId)).map((e) => e.type);
    expect(types).toContain(EVENT.backupCodesRegenerated);
  });

  it('is refused (409) for a user without a second factor', async () => {
    const { access } = await signUp(t.app, uniqueEmail('nomfa-regen'));
    const res = await call(t.app, 'POST', '/mfa/backup-codes/regenerate', { token: access, body: {} });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('conflict');
  });
});

describe('parallel use', () => {
  let wide: TestApp;
  beforeAll(async () => {
    // A per-user budget above 20, so that only single use can stop the 19 others.
    wide = await startTestApp({ policy: { mfa_max_failures: 50 } });
  });
  afterAll(async () => wide?.close());

  it('20 parallel logins with one backup code, each on its own mfa_token: exactly one succeeds', async () => {
    const u = await userWithTotp(wide, 'race');
    const tokens: string[] = [];
    for (let i = 0; i < 20; i++) tokens.push(await mfaToken(wide, u.email));
    const results = await Promise.all(tokens.map((tk) => verifyMfa(wide, tk, 'backup_code', u.backupCodes[0])));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).map((r) => r.body.code)).toEqual(Array(19).fill('invalid_code'));
    expect(await wide.composed.deps.core.store.backupCodes.remaining(u.userId)).toBe(9);
  });
});
