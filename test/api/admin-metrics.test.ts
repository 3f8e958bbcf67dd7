/**
 * Prometheus metrics counted where things happen: step-up checks by method and outcome,
 * lockouts when second-factor.ts records one, removals labelled with the real method type;
 * never a user id or address in a label.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call } from '../helpers/http.js';
import { enrolTotp, freshEmail, givenAccount, loginWithTotp, nextTotp, putPolicyDirectly, sessionOf } from './admin-fixtures.js';

let t: TestApp;

async function metric(name: string, labels: Record<string, string>): Promise<number> {
  const text: string = (await call(t.app, 'GET', '/metrics')).body;
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').pop()) : 0;
}

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('metrics', () => {
  it('count step-up checks, lockouts and removals by method, with no user in any label', async () => {
    await putPolicyDirectly(t, { require_mfa: 'off', mfa_max_failures: 3, mfa_hard_lock_streak: 10 });
    const email = freshEmail('metric');
    const id = await givenAccount(t, email);
    const secret = await enrolTotp(t, await sessionOf(t, email));
    const token = await loginWithTotp(t, email, secret);
    const verifications = 'twofold_mfa_verifications_total';
    const ok0 = await metric(verifications, { method: 'totp', outcome: 'success' });
    const bad0 = await metric(verifications, { method: 'totp', outcome: 'invalid_code' });

    expect((await call(t.app, 'POST', '/mfa/step-up', { token, body: { method: 'totp', code: nextTotp(t, secret) } })).status).toBe(204);
    expect(await metric(verifications, { method: 'totp', outcome: 'success' })).toBe(ok0 + 1);

    const lock0 = await metric('twofold_lockouts_total', { kind: 'mfa' });
    for (let i = 0; i < 3; i++) {
      expect((await call(t.app, 'POST', '/mfa/step-up', { token, body: { method: 'totp', code: '000000' } })).body.code).toBe('invalid_code');
    }
    expect(await metric(verifications, { method: 'totp', outcome: 'invalid_code' })).toBe(bad0 + 3);
    expect(await metric('twofold_lockouts_total', { kind: 'mfa' })).toBe(lock0 + 1);
    expect((await call(t.app, 'POST', '/mfa/step-up', { token, body: { method: 'totp', code: '000000' } })).status).toBe(429);

    // Removing the method (within the step-up window of the earlier success) counts its type.
    const removed0 = await metric('twofold_mfa_enrolments_total', { method: 'totp', action: 'removed' });
    const methodId = (await call(t.app, 'GET', '/mfa/status', { token })).body.methods[0].id;
    expect((await call(t.app, 'DELETE', `/mfa/methods/${methodId}`, { token })).status).toBe(204);
    expect(await metric('twofold_mfa_enrolments_total', { method: 'totp', action: 'removed' })).toBe(removed0 + 1);

    const text: string = (await call(t.app, 'GET', '/metrics')).body;
    expect(text).not.toContain(id);
    expect(text).not.toContain(email);
  });

  it('an admin reset counts each removed method by its type', async () => {
    await putPolicyDirectly(t, { require_mfa: 'off' });
    const adminEmail = freshEmail('admin');
    await givenAccount(t, adminEmail, ['admin']);
    const email = freshEmail('victim');
    const id = await givenAccount(t, email);
    await enrolTotp(t, await sessionOf(t, email));
    const before = await metric('twofold_mfa_enrolments_total', { method: 'totp', action: 'removed' });
    const res = await call(t.app, 'POST', `/admin/users/${id}/mfa/reset`, { token: await sessionOf(t, adminEmail), body: { reason: 'metrics' } });
    expect(res.status).toBe(204);
    expect(await metric('twofold_mfa_enrolments_total', { method: 'totp', action: 'removed' })).toBe(before + 1);
  });
});
