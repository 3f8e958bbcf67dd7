/**
 * What a person does in the Twofold UI, as Playwright steps. Elements are found by their
 * `data-testid` (stable) and, where it matters to people, by role and label.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TotpSource } from './totp-source.js';

/**
 * What a phone's camera reads from the QR code as Chromium drew it: zbarimg over a screenshot
 * of the element. Null (with a line saying so) where zbarimg is missing outside CI.
 */
async function scanRenderedQr(qr: Locator): Promise<string | null> {
  const dir = mkdtempSync(path.join(tmpdir(), 'twofold-qr-'));
  try {
    const file = path.join(dir, 'qr.png');
    await qr.screenshot({ path: file });
    return execFileSync('zbarimg', ['--raw', '-q', '--nodbus', file], { encoding: 'utf8' }).trim();
  } catch (err) {
    if (process.env.CI !== 'true' && (err as NodeJS.ErrnoException).code === 'ENOENT') {
      console.log('ui: zbarimg is not installed, so the rendered QR code is not scanned (apt-get install zbar-tools)');
      return null;
    }
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const SECURITY_URL = /\/security(\?.*)?$/;
export const VERIFY_URL = /\/sign-in\/verify$/;
export const SIGN_IN_URL = /\/sign-in(\?.*)?$/;
export const ENROL_URL = /\/security\/totp$/;
/** Where the policy sends a user who must set up a second factor: the choice of every kind. */
export const ENROL_CHOICE_URL = /\/security\/enroll$/;

export async function signUp(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/sign-up`);
  await page.getByTestId('signup-name').fill('E2E User');
  await page.getByTestId('signup-email').fill(email);
  await page.getByTestId('signup-password').fill(password);
  await page.getByTestId('signup-submit').click();
  await page.waitForURL(SECURITY_URL);
}

/** Email and password; returns where the service sent us (second step, security, enrolment). */
export async function signInWithPassword(page: Page, base: string, email: string, password: string): Promise<'verify' | 'security' | 'enrol'> {
  if (!SIGN_IN_URL.test(page.url())) await page.goto(`${base}/sign-in`);
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
  await page.waitForURL((url) => /\/(sign-in\/verify|security)/.test(url.pathname));
  const path = new URL(page.url()).pathname;
  return path === '/sign-in/verify' ? 'verify' : path === '/security/enroll' ? 'enrol' : 'security';
}

/** The second step with a typed code (authenticator app or backup code). */
export async function verifyWithCode(page: Page, method: 'totp' | 'backup_code', code: string, opts: { trust?: boolean } = {}): Promise<void> {
  await page.waitForURL(VERIFY_URL);
  const radio = page.getByTestId(`mfa-method-${method}`);
  if (await radio.count()) await radio.check();
  await page.getByTestId(`mfa-form-${method}`).waitFor();
  await page.getByTestId('mfa-code').fill(code);
  if (opts.trust) await page.getByTestId('mfa-trust').check();
  await page.getByTestId('mfa-submit').click();
  await page.waitForURL(SECURITY_URL);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('sign-out').click();
  await page.waitForURL(SIGN_IN_URL);
  await page.getByTestId('signin-email').waitFor();
}

export async function expectMfaEnabled(page: Page, enabled: boolean): Promise<void> {
  const badge = page.getByTestId('mfa-status');
  await badge.waitFor();
  await expect.poll(() => badge.getAttribute('data-enabled')).toBe(String(enabled));
}

/** Waits for `outcome`; if the service asks for a step-up first, answers it with a fresh code. */
export async function answerStepUpIfAsked(page: Page, totp: TotpSource, outcome: Locator): Promise<void> {
  const dialog = page.getByTestId('step-up-dialog');
  await outcome.or(dialog).first().waitFor();
  if (await dialog.isVisible()) {
    const totpChoice = page.getByTestId('step-up-method-totp');
    if (await totpChoice.count()) await totpChoice.check();
    await page.getByTestId('step-up-code').fill(await totp.fresh());
    await page.getByTestId('step-up-submit').click();
  }
  await outcome.waitFor();
}

/**
 * The authenticator-app wizard from its first screen: name, read the key off the page, confirm
 * with a code, and return the key and the backup codes (if this was the first method).
 */
export async function runTotpWizard(page: Page, makeSource: (secret: string) => TotpSource, shot: (name: string) => Promise<unknown>): Promise<{ secret: string; source: TotpSource; backupCodes: string[] }> {
  await page.waitForURL(ENROL_URL);
  await page.getByTestId('totp-start').click();
  const secretEl = page.getByTestId('totp-secret');
  await secretEl.waitFor();
  const qrLoaded = (img: unknown) => {
    const el = img as { complete: boolean; naturalWidth: number };
    return el.complete && el.naturalWidth > 0;
  };
  await expect.poll(() => page.getByTestId('totp-qr').evaluate(qrLoaded)).toBe(true);
  const secret = ((await secretEl.textContent()) ?? '').replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  const scanned = await scanRenderedQr(page.getByTestId('totp-qr'));
  if (scanned !== null) expect(new URL(scanned).searchParams.get('secret')).toBe(secret);
  await shot('totp-scan');
  const source = makeSource(secret);
  await page.getByTestId('totp-code').fill(await source.fresh());
  await page.getByTestId('totp-verify').click();

  const panel = page.getByTestId('backup-codes-panel');
  const done = page.getByTestId('totp-done');
  await panel.or(done).first().waitFor();
  let backupCodes: string[] = [];
  if (await panel.isVisible()) {
    backupCodes = (await page.getByTestId('backup-code').allTextContents()).map((c) => c.trim());
    await shot('backup-codes');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('backup-codes-download').click()]);
    expect(download.suggestedFilename()).toBe('twofold-backup-codes.txt');
    await page.getByTestId('backup-codes-saved').check();
    await page.getByTestId('backup-codes-done').click();
  }
  await done.waitFor();
  return { secret, source, backupCodes };
}
