/**
 * Steps for test/e2e/ui-more.test.ts: the public API from Node (to prepare users the browser
 * then uses), and the second step with a code sent by email or SMS.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { mailedCode, mark } from '../helpers/codes.js';
import type { TestSmtpServer } from '../helpers/smtp-server.js';
import { totpAt } from './totp-source.js';
import { SECURITY_URL, VERIFY_URL } from './ui-steps.js';

export interface ApiAnswer {
  status: number;
  body: any;
}

/** One call of the public API with a Bearer token, as an integrator makes it. */
export async function api(base: string, method: string, path: string, body?: unknown, token?: string): Promise<ApiAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function expectStatus(a: ApiAnswer, status: number, what: string): void {
  if (a.status !== status) throw new Error(`${what}: ${a.status} ${JSON.stringify(a.body)}`);
}

/** Registers an account and returns an access token of a password-only sign-in. */
export async function registerAndSignIn(base: string, email: string, password: string): Promise<string> {
  expectStatus(await api(base, 'POST', '/auth/register', { email, password }), 201, `register ${email}`);
  return signInToken(base, email, password);
}

export async function signInToken(base: string, email: string, password: string): Promise<string> {
  const login = await api(base, 'POST', '/auth/login', { email, password });
  expectStatus(login, 200, `login ${email}`);
  if (login.body.mfa_required) throw new Error(`login ${email}: a second factor is asked for`);
  return login.body.access_token as string;
}

/** Email codes as the first factor, through the API; returns the backup codes and when the code was sent. */
export async function enrolEmailByApi(base: string, smtp: TestSmtpServer, email: string, token: string): Promise<{ backupCodes: string[]; sentAt: number }> {
  const since = mark(smtp);
  const sentAt = Date.now();
  expectStatus(await api(base, 'POST', '/mfa/email/setup', {}, token), 202, 'email setup');
  const verified = await api(base, 'POST', '/mfa/email/verify', { code: await mailedCode(smtp, email, since) }, token);
  expectStatus(verified, 200, 'email verify');
  return { backupCodes: verified.body.backup_codes as string[], sentAt };
}

/** An authenticator app as the first factor, through the API; returns its key. */
export async function enrolTotpByApi(base: string, token: string): Promise<string> {
  const setup = await api(base, 'POST', '/mfa/totp/setup', { name: 'API phone' }, token);
  expectStatus(setup, 200, 'totp setup');
  const secret = setup.body.secret as string;
  expectStatus(await api(base, 'POST', '/mfa/totp/verify', { enrollment_id: setup.body.enrollment_id, code: totpAt(secret, Date.now()) }, token), 200, 'totp verify');
  return secret;
}

/** Waits until `at` (epoch ms): the service sends one code per user per 30 s. */
export async function sleepUntil(at: number): Promise<void> {
  const left = at - Date.now();
  if (left > 0) await new Promise((r) => setTimeout(r, left));
}

/**
 * The second step with an email or SMS code: choose the method, press "Send code", read the
 * code out of what arrived, type it, verify. `shot` photographs the step once the code is sent.
 */
export async function verifyWithSentCode(page: Page, method: 'email' | 'sms', readCode: () => Promise<string>, shot?: (name: string) => Promise<unknown>): Promise<void> {
  await page.waitForURL(VERIFY_URL);
  const radio = page.getByTestId(`mfa-method-${method}`);
  if (await radio.count()) await radio.check();
  const form = page.getByTestId(`mfa-form-${method}`);
  await form.waitFor();
  await form.getByRole('button', { name: 'Send code' }).click();
  await expect.poll(() => page.getByTestId('mfa-sent').textContent()).toMatch(method === 'email' ? /email/ : /phone/);
  const code = await readCode();
  await page.getByTestId('mfa-code').fill(code);
  await shot?.(`second-step-${method}-code-sent`);
  await page.getByTestId('mfa-submit').click();
  await page.waitForURL(SECURITY_URL);
}

/** Types a code at the second step and waits for the answer to show (an error, or leaving). */
export async function submitSecondStepCode(page: Page, code: string): Promise<void> {
  await page.getByTestId('mfa-code').fill(code);
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/mfa/verify'));
  await page.getByTestId('mfa-submit').click();
  await answered;
}

/** Closes the "save your backup codes" dialog the way a user must: tick, then Done. */
export async function saveBackupCodesDialog(page: Page): Promise<string[]> {
  const dialog = page.getByTestId('backup-codes-dialog');
  await dialog.waitFor();
  const codes = (await dialog.getByTestId('backup-code').allTextContents()).map((c) => c.trim());
  await dialog.getByTestId('backup-codes-saved').check();
  await dialog.getByTestId('backup-codes-done').click();
  await dialog.waitFor({ state: 'detached' });
  return codes;
}
