import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT } from '../../src/core/audit.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, signUp, STRONG } from '../helpers/http.js';
import { codeAt, enrolTotp, eventsOf, loginWithTotp, mfaToken, nextStep, typesOf, uniqueEmail, userWithTotp, verifyMfa } from '../helpers/mfa.js';

/** Turning MFA off, the end of other sessions on factor changes, and the audit trail. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const login = async (email: string) => (await call(t.app, 'POST', '/auth/login', { body: { email, password: STRONG } })).body;
const alive = async (access: string) => (await call(t.app, 'GET', '/auth/sessions', { token: access })).status === 200;

describe('POST /mfa/disable', () => {
  it('removes every method and backup code; login asks for no second factor', async () => {
    const u = await userWithTotp(t, 'disable');
    await enrolTotp(t, u.access, { name: 'Second' });
    const res = await call(t.app, 'POST', '/mfa/disable', { token: u.access });
    expect(res.status).toBe(204);
    const status = await call(t.app, 'GET', '/mfa/status', { token: u.access });
    expect(status.body).toMatchObject({ enabled: false, methods: [], backup_codes_remaining: 0 });
    const store = t.composed.deps.core.store;
    expect(await store.methods.listForUser(u.userId)).toEqual([]);
    expect(await store.backupCodes.remaining(u.userId)).toBe(0);
    expect((await login(u.email)).mfa_required).toBe(false);
    expect(typesOf(await eventsOf(t, u.userId))).toContain(EVENT.mfaDisabled);
  });
});

describe('a factor change ends the user\'s other sessions (and keeps this one)', () => {
  it('adding the first method', async () => {
    const email = uniqueEmail('add');
    const { access } = await signUp(t.app, email);
    const other = (await login(email)).access_token;
    await enrolTotp(t, access);
    expect(await alive(access)).toBe(true);
    expect(await alive(other)).toBe(false);
  });

  it('adding a further method, removing one, and disabling MFA', async () => {
    const u = await userWithTotp(t, 'change');
    const a = await loginWithTotp(t, u);
    const b = await loginWithTotp(t, u);
    const second = await enrolTotp(t, a.body.access_token, { name: 'Second' });
    expect(await alive(a.body.access_token)).toBe(true);
    expect(await alive(b.body.access_token)).toBe(false);

    const c = await loginWithTotp(t, u);
    const removed = await call(t.app, 'DELETE', `/mfa/methods/${second.verify.body.method.id}`, { token: c.body.access_token });
    expect(removed.status).toBe(204);
    expect(await alive(c.body.access_token)).toBe(true);
    expect(await alive(a.body.access_token)).toBe(false);

    const d = await loginWithTotp(t, u);
    expect((await call(t.app, 'POST', '/mfa/disable', { token: d.body.access_token, body: {} })).status).toBe(204);
    expect(await alive(d.body.access_token)).toBe(true);
    expect(await alive(c.body.access_token)).toBe(false);
  });
});

describe('the audit trail', () => {
  it('records each step of the lifecycle, and never a code or a secret', async () => {
    const u = await userWithTotp(t, 'audit');
    const used: string[] = [codeAt(t, u.secret)];
    nextStep(t);
    const wrong = codeAt(t, u.secret, 5);
    used.push(wrong);
    await verifyMfa(t, await mfaToken(t, u.email), 'totp', wrong);
    const good = codeAt(t, u.secret);
    used.push(good);
    const session = await verifyMfa(t, await mfaToken(t, u.email), 'totp', good);
    await verifyMfa(t, await mfaToken(t, u.email), 'totp', good); // replay
    used.push(u.backupCodes[0]);
    await verifyMfa(t, await mfaToken(t, u.email), 'backup_code', u.backupCodes[0]);
    const regen = await call(t.app, 'POST', '/mfa/backup-codes/regenerate', { token: session.body.access_token });
    used.push(...regen.body.backup_codes);
    const second = await enrolTotp(t, session.body.access_token, { name: 'Second' });
    await call(t.app, 'DELETE', `/mfa/methods/${second.verify.body.method.id}`, { token: session.body.access_token });
    // Ten wrong codes: the lockout.
    const token = await mfaToken(t, u.email);
    const token2 = await mfaToken(t, u.email);
    for (let i = 0; i < 10; i++) await verifyMfa(t, i < 5 ? token : token2, 'totp', wrong);

    const events = await eventsOf(t, u.userId);
    for (const type of [EVENT.enrollStarted, EVENT.enrollCompleted, EVENT.methodRemoved, EVENT.mfaVerified, EVENT.mfaFailed, EVENT.mfaReplay, EVENT.backupCodeUsed, EVENT.backupCodesRegenerated, EVENT.mfaLockout]) {
      expect(typesOf(events), type).toContain(type);
    }
    expect(events.find((e) => e.type === EVENT.backupCodeUsed)!.details).toMatchObject({ remaining: 9 });

    // Secrets and codes would be JSON string values; the backup codes are long enough to be
    // searched for anywhere, in either spelling.
    const all = JSON.stringify(events.map((e) => e.details));
    for (const secret of [u.secret, second.secret]) expect(all).not.toContain(secret);
    for (const code of used) {
      expect(all).not.toContain(`"${code}"`);
      if (code.includes('-')) {
        expect(all).not.toContain(code);
        expect(all).not.toContain(code.replace('-', ''));
      }
    }
    expect(all).not.toMatch(/"(code|secret|otp|backup_code)"\s*:/);
  });
});
