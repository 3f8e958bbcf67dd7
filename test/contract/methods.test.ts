/**
 * Enrolled second factors: methods, pending TOTP enrolments, backup codes.
 */
import { describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../src/store/index.js';
import { databaseTargets, useStore } from '../helpers/databases.js';
import { NOW, aTotpEnrollment, aTotpMethod, aWebAuthnMethod, backupCodes, givenUser, uid } from './fixtures.js';

const targets = await databaseTargets();

describe.each(targets)('MethodsRepo on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;
  const methods = () => opened().store.methods;

  it('round-trips TOTP, WebAuthn and SMS methods field for field', async () => {
    const u = await givenUser(store());
    const totp = aTotpMethod(u.id, { totpAlgorithm: 'SHA256', totpDigits: 8, totpPeriod: 60, lastStep: 58_333_333 });
    const key = aWebAuthnMethod(u.id, { signCount: 42, backedUp: true, transports: ['internal', 'hybrid'] });
    const sms = aTotpMethod(u.id, {
      type: 'sms',
      name: 'Phone',
      secretEnc: null,
      totpAlgorithm: null,
      totpDigits: null,
      totpPeriod: null,
      destination: '+15555550123',
    });
    for (const m of [totp, key, sms]) await methods().insert(m);
    expect(await methods().byId(totp.id)).toEqual(totp);
    expect(await methods().byId(key.id)).toEqual(key);
    expect(await methods().byId(sms.id)).toEqual(sms);
    expect(await methods().byId(uid())).toBeUndefined();
    expect(await methods().byCredentialId(key.credentialId!)).toEqual(key);
    expect(await methods().byCredentialId('unknown')).toBeUndefined();
  });

  it('refuses a credential id registered twice', async () => {
    const u = await givenUser(store());
    const key = aWebAuthnMethod(u.id);
    await methods().insert(key);
    const err = await methods()
      .insert(aWebAuthnMethod(u.id, { credentialId: key.credentialId }))
      .then(() => undefined, (e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
  });

  it("lists a user's methods in enrolment order, nobody else's", async () => {
    const u = await givenUser(store());
    const second = aTotpMethod(u.id, { createdAt: NOW + 1 });
    const first = aWebAuthnMethod(u.id, { createdAt: NOW });
    await methods().insert(second);
    await methods().insert(first);
    await methods().insert(aTotpMethod((await givenUser(store())).id));
    expect((await methods().listForUser(u.id)).map((m) => m.id)).toEqual([first.id, second.id]);
  });

  it('renames, touches, replaces the secret', async () => {
    const u = await givenUser(store());
    const m = aTotpMethod(u.id);
    await methods().insert(m);
    await methods().rename(m.id, 'Work phone');
    await methods().touch(m.id, NOW + 3);
    await methods().updateSecret(m.id, 'enc-v2');
    expect(await methods().byId(m.id)).toEqual({ ...m, name: 'Work phone', lastUsedAt: NOW + 3, secretEnc: 'enc-v2' });
  });

  it('deletes one method (true once) and all of a user', async () => {
    const u = await givenUser(store());
    const [a, b, c] = [aTotpMethod(u.id), aWebAuthnMethod(u.id), aWebAuthnMethod(u.id)];
    for (const m of [a, b, c]) await methods().insert(m);
    expect(await methods().delete(a.id)).toBe(true);
    expect(await methods().delete(a.id)).toBe(false);
    expect(await methods().deleteAllForUser(u.id)).toBe(2);
    expect(await methods().listForUser(u.id)).toEqual([]);
    expect(await methods().deleteAllForUser(u.id)).toBe(0);
  });

  it('deleteOwned counts what remains, refuses the last with keepOne, and ignores other users', async () => {
    const u = await givenUser(store());
    const other = await givenUser(store());
    const [a, b] = [aTotpMethod(u.id), aWebAuthnMethod(u.id)];
    for (const m of [a, b]) await methods().insert(m);
    expect(await methods().deleteOwned(a.id, other.id, false)).toEqual({ outcome: 'not_found', remaining: 0 });
    expect(await methods().deleteOwned(a.id, u.id, true)).toEqual({ outcome: 'deleted', remaining: 1 });
    expect(await methods().deleteOwned(b.id, u.id, true)).toEqual({ outcome: 'last', remaining: 1 });
    expect((await methods().listForUser(u.id)).map((m) => m.id)).toEqual([b.id]);
    expect(await methods().deleteOwned(b.id, u.id, false)).toEqual({ outcome: 'deleted', remaining: 0 });
  });

  it('two parallel deleteOwned of the last two methods with keepOne: exactly one succeeds', async () => {
    for (let round = 0; round < 5; round++) {
      const u = await givenUser(store());
      const [a, b] = [aTotpMethod(u.id), aWebAuthnMethod(u.id)];
      for (const m of [a, b]) await methods().insert(m);
      const results = await Promise.all([methods().deleteOwned(a.id, u.id, true), methods().deleteOwned(b.id, u.id, true)]);
      expect(results.map((r) => r.outcome).sort()).toEqual(['deleted', 'last']);
      expect(await methods().listForUser(u.id)).toHaveLength(1);
    }
  });

  it('advances the TOTP step only forward, and only on TOTP methods', async () => {
    const u = await givenUser(store());
    const m = aTotpMethod(u.id);
    const key = aWebAuthnMethod(u.id);
    await methods().insert(m);
    await methods().insert(key);
    expect(await methods().advanceTotpStep(m.id, 100, NOW)).toBe(true);
    expect(await methods().advanceTotpStep(m.id, 100, NOW)).toBe(false);
    expect(await methods().advanceTotpStep(m.id, 99, NOW)).toBe(false);
    expect(await methods().advanceTotpStep(m.id, 101, NOW + 30_000)).toBe(true);
    expect(await methods().byId(m.id)).toMatchObject({ lastStep: 101, lastUsedAt: NOW + 30_000 });
    expect(await methods().advanceTotpStep(key.id, 5, NOW)).toBe(false);
    expect(await methods().advanceTotpStep(uid(), 5, NOW)).toBe(false);
  });

  it('compares and sets the WebAuthn signature counter', async () => {
    const u = await givenUser(store());
    const key = aWebAuthnMethod(u.id, { signCount: 10 });
    await methods().insert(key);
    expect(await methods().updateSignCount(key.id, 9, 11, NOW)).toBe(false);
    expect(await methods().updateSignCount(key.id, 10, 11, NOW)).toBe(true);
    expect(await methods().updateSignCount(key.id, 10, 12, NOW)).toBe(false);
    expect(await methods().byId(key.id)).toMatchObject({ signCount: 11, lastUsedAt: NOW });
  });

  it('counts methods per type, users with MFA, and lists sealed secrets', async () => {
    await opened().db.deleteFrom('users').execute();
    const a = await givenUser(store());
    const b = await givenUser(store());
    await givenUser(store());
    const ta = aTotpMethod(a.id);
    const tb = aTotpMethod(b.id);
    for (const m of [ta, aWebAuthnMethod(a.id), aWebAuthnMethod(a.id), tb]) await methods().insert(m);
    expect(await methods().countByType()).toEqual({ totp: 2, webauthn: 2 });
    expect(await methods().usersWithMfa()).toBe(2);
    const secrets = await methods().listWithSecrets();
    expect(secrets.sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual(
      [ta, tb].map((m) => ({ id: m.id, userId: m.userId, secretEnc: m.secretEnc })).sort((x, y) => (x.id < y.id ? -1 : 1)),
    );
  });
});

describe.each(targets)('TotpEnrollmentsRepo on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;

  it('round-trips, updates the secret, lists secrets', async () => {
    const u = await givenUser(store());
    const e = aTotpEnrollment(u.id, { algorithm: 'SHA512', digits: 8, period: 60 });
    await store().totpEnrollments.create(e);
    expect(await store().totpEnrollments.byId(e.id)).toEqual(e);
    expect(await store().totpEnrollments.byId(uid())).toBeUndefined();
    await store().totpEnrollments.updateSecret(e.id, 'enc-v2');
    expect((await store().totpEnrollments.byId(e.id))?.secretEnc).toBe('enc-v2');
    expect((await store().totpEnrollments.listWithSecrets()).filter((x) => x.userId === u.id)).toEqual([
      { id: e.id, userId: u.id, secretEnc: 'enc-v2' },
    ]);
  });

  it('consumes (deletes) an enrolment once', async () => {
    const u = await givenUser(store());
    const e = aTotpEnrollment(u.id);
    await store().totpEnrollments.create(e);
    expect(await store().totpEnrollments.consume(e.id)).toBe(true);
    expect(await store().totpEnrollments.consume(e.id)).toBe(false);
    expect(await store().totpEnrollments.byId(e.id)).toBeUndefined();
  });
});

describe.each(targets)('BackupCodesRepo on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;
  const codes = () => opened().store.backupCodes;

  it('replaces the whole set: older codes stop working', async () => {
    const u = await givenUser(store());
    const first = backupCodes(u.id, 10);
    await codes().replaceAll(u.id, first);
    expect(await codes().remaining(u.id)).toBe(10);
    const second = backupCodes(u.id, 10, NOW + 1);
    await codes().replaceAll(u.id, second);
    expect(await codes().remaining(u.id)).toBe(10);
    expect(await codes().consume(u.id, first[0].codeHash, NOW)).toBe(false);
    expect(await codes().consume(u.id, second[0].codeHash, NOW)).toBe(true);
    await codes().replaceAll(u.id, []);
    expect(await codes().remaining(u.id)).toBe(0);
  });

  it("consumes a code once, only the owner's", async () => {
    const u = await givenUser(store());
    const other = await givenUser(store());
    const set = backupCodes(u.id, 3);
    await codes().replaceAll(u.id, set);
    expect(await codes().consume(other.id, set[1].codeHash, NOW)).toBe(false);
    expect(await codes().consume(u.id, set[1].codeHash, NOW)).toBe(true);
    expect(await codes().consume(u.id, set[1].codeHash, NOW)).toBe(false);
    expect(await codes().consume(u.id, 'unknown', NOW)).toBe(false);
    expect(await codes().remaining(u.id)).toBe(2);
  });

  it('runs inside an outer transaction and rolls back with it', async () => {
    const u = await givenUser(store());
    await codes().replaceAll(u.id, backupCodes(u.id, 4));
    await expect(
      store().transaction(async (tx) => {
        await tx.backupCodes.replaceAll(u.id, backupCodes(u.id, 2));
        expect(await tx.backupCodes.remaining(u.id)).toBe(2);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await codes().remaining(u.id)).toBe(4);
  });

  it('deletes all of a user, and counts users with MFA running low', async () => {
    await opened().db.deleteFrom('users').execute();
    const full = await givenUser(store());
    const low = await givenUser(store());
    const none = await givenUser(store());
    await givenUser(store()); // no MFA at all: not counted
    for (const u of [full, low, none]) await store().methods.insert(aTotpMethod(u.id));
    await store().methods.insert(aWebAuthnMethod(full.id));
    await codes().replaceAll(full.id, backupCodes(full.id, 10));
    const lowSet = backupCodes(low.id, 3);
    await codes().replaceAll(low.id, lowSet);
    await codes().consume(low.id, lowSet[0].codeHash, NOW);
    expect(await codes().usersBelow(3)).toBe(2);
    expect(await codes().usersBelow(1)).toBe(1);
    expect(await codes().usersBelow(11)).toBe(3);
    await codes().deleteAllForUser(full.id);
    expect(await codes().remaining(full.id)).toBe(0);
    expect(await codes().usersBelow(3)).toBe(3);
  });
});
