/**
 * More of the web UI in Debian's Chromium against the real service, with mail received by a
 * real SMTP server and SMS by the Twilio stand-in: password reset by mailed link, email and SMS
 * factors (added in settings, then used at sign-in), wrong codes, lockout, and the step-up
 * dialog with an email code, a passkey and (without MFA) the password. Screenshots: test-results/screenshots/more-*.
 *
 * The service sends one code per user per 30 s (API.md "Defaults"), so each scenario has its
 * own user and the scenarios are ordered so that no second send for a user waits long.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addVirtualAuthenticator, browserSkipReason, buildWebUi, isCI, launchBrowser, REPO_ROOT, screenshotter, startService, type RunningService } from '../helpers/browser.js';
import { mailedCode, mark, nextMail, textedCode, textsTo, wrong } from '../helpers/codes.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { startTwilioStandin, type TwilioStandin } from '../helpers/twilio-standin.js';
import { totpAt } from './totp-source.js';
import { api, enrolEmailByApi, enrolTotpByApi, registerAndSignIn, saveBackupCodesDialog, signInToken, sleepUntil, submitSecondStepCode, verifyWithSentCode } from './ui-more-steps.js';
import { ENROL_CHOICE_URL, expectMfaEnabled, SECURITY_URL, SIGN_IN_URL, signInWithPassword, signUp, verifyWithCode } from './ui-steps.js';

const reason = browserSkipReason() ?? (existsSync(path.join(REPO_ROOT, 'src/server/app.ts')) ? null : 'the service is not there yet');
if (reason && !isCI()) console.warn(`[e2e] skipping the browser scenarios: ${reason}`);

const SEND_GAP_MS = 31_000; // one code per user per 30 s, and a second to spare
const PHONE = '+14155552671';
const TWILIO = { accountSid: `AC${'5a'.repeat(16)}`, authToken: 'e2e-twilio-token' };

describe.skipIf(reason !== null && !isCI())('web UI: mail, SMS, step-up and lockout in a real browser', () => {
  const rand = Math.random().toString(36).slice(2, 8);
  const person = (name: string) => ({ email: `${name}-${rand}@example.com`, password: `Tw0fold-${name}-${rand}-pass` });
  const admin = person('admin');
  const [resetter, mailUser, smsUser, stepUpUser, lockedUser, passkeyUser, noMfaUser] = ['reset', 'mail', 'sms', 'stepup', 'locked', 'passkey', 'nomfa'].map(person);
  const takeShot = screenshotter(undefined, 'more-');

  let service: RunningService;
  let smtp: TestSmtpServer;
  let twilio: TwilioStandin;
  let browser: Browser;
  let base = '';
  const contexts: BrowserContext[] = [];
  let page: Page;
  const sentAt = { mail: 0, sms: 0, stepUp: 0 };
  let stepUpBackupCodes: string[] = [];
  let lockedSecret = '';

  const shot = (name: string, p: Page = page) => takeShot(p, name);

  /** A browser context of its own for each user: no session leaks from one scenario into the next. */
  async function newTab(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    contexts.push(context);
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  function scenario(name: string, fn: () => Promise<void>, timeoutMs = 60_000) {
    it(name, async () => {
      try {
        await fn();
      } catch (e) {
        if (page) await shot(`FAILED-${name.slice(0, 40)}`).catch(() => undefined);
        throw e;
      }
    }, timeoutMs);
  }

  beforeAll(async () => {
    if (reason) throw new Error(`CI=true and the browser scenarios cannot run: ${reason}`);
    await buildWebUi();
    smtp = await startSmtpServer();
    twilio = await startTwilioStandin(TWILIO);
    service = await startService({
      adminEmail: admin.email,
      adminPassword: admin.password,
      smtpUrl: smtp.url(),
      env: { SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: TWILIO.accountSid, TWILIO_AUTH_TOKEN: TWILIO.authToken, TWILIO_FROM: '+15005550006', TWILIO_API_BASE: twilio.apiBase },
    });
    base = service.url;
    // Policy "off": the bootstrap admin (no second factor) may change it. A 1-second step-up
    // window makes the dialog appear moments after a sign-in.
    const adminToken = await signInToken(base, admin.email, admin.password);
    const policy = await api(base, 'PUT', '/admin/policy', { step_up_max_age_s: 1 }, adminToken);
    expect(policy.body.step_up_max_age_s).toBe(1);
    // Users prepared through the API; the browser then does what the scenarios are about.
    await api(base, 'POST', '/auth/register', { email: resetter.email, password: resetter.password });
    sentAt.stepUp = Date.now();
    stepUpBackupCodes = (await enrolEmailByApi(base, smtp, stepUpUser.email, await registerAndSignIn(base, stepUpUser.email, stepUpUser.password))).backupCodes;
    lockedSecret = await enrolTotpByApi(base, await registerAndSignIn(base, lockedUser.email, lockedUser.password));
    browser = await launchBrowser();
  }, 180_000);

  afterEach(async () => {
    while (contexts.length) await contexts.pop()?.close().catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await service?.stop();
    await twilio?.close();
    await smtp?.close();
  });

  scenario('adds the email factor in security settings', async () => {
    await newTab();
    await signUp(page, base, mailUser.email, mailUser.password);
    await expectMfaEnabled(page, false);
    const since = mark(smtp);
    sentAt.mail = Date.now();
    await page.getByTestId('email-factor-send').click();
    await page.getByTestId('email-factor-code').fill(await mailedCode(smtp, mailUser.email, since));
    await shot('email-factor-code-sent');
    await page.getByTestId('email-factor-verify').click();
    await page.getByTestId('backup-codes-dialog').waitFor();
    await shot('email-factor-backup-codes');
    expect(await saveBackupCodesDialog(page)).toHaveLength(10);
    await expectMfaEnabled(page, true);
    await expect.poll(() => page.locator('[data-testid="method-row"][data-method-type="email"]').count()).toBe(1);
  });

  scenario('adds an SMS factor with a phone number', async () => {
    await newTab();
    await signUp(page, base, smsUser.email, smsUser.password);
    await page.getByTestId('phone-number').fill(PHONE);
    sentAt.sms = Date.now();
    await page.getByTestId('phone-send').click();
    await page.getByTestId('phone-code').waitFor();
    await page.getByTestId('phone-code').fill(textedCode(twilio, PHONE));
    await shot('sms-factor-code-sent');
    await page.getByTestId('phone-verify').click();
    expect(await saveBackupCodesDialog(page)).toHaveLength(10);
    await expectMfaEnabled(page, true);
    await expect.poll(() => page.locator('[data-testid="method-row"][data-method-type="sms"]').count()).toBe(1);
  });

  scenario('confirms a step-up with a passkey', async () => {
    const p = await newTab();
    await addVirtualAuthenticator(p.context(), p);
    await signUp(p, base, passkeyUser.email, passkeyUser.password);
    await p.getByTestId('passkey-add').click();
    const first = await saveBackupCodesDialog(p);
    await new Promise((r) => setTimeout(r, 1_500)); // past the 1-second step-up window
    await p.getByTestId('backup-codes-regenerate').click();
    const dialog = p.getByTestId('step-up-dialog');
    await dialog.getByTestId('step-up-form-webauthn').waitFor();
    await shot('step-up-passkey');
    await dialog.getByTestId('step-up-submit').click();
    await p.getByTestId('backup-codes-dialog').waitFor();
    const fresh = await saveBackupCodesDialog(p);
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(first[0]);
  });

  scenario('resets a forgotten password through the mailed link', async () => {
    await newTab();
    await page.goto(`${base}/sign-in`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByTestId('forgot-email').fill(resetter.email);
    await shot('forgot-password');
    const since = mark(smtp);
    await page.getByTestId('forgot-submit').click();
    await page.getByTestId('forgot-sent').waitFor();
    await shot('forgot-password-sent');
    const mail = await nextMail(smtp, resetter.email, since, /password/i);
    const link = /(https?:\/\/\S+\/reset-password\?token=\S+)/.exec(mail.text)?.[1];
    expect(link?.startsWith(`${base}/reset-password?token=`)).toBe(true);
    await page.goto(link!);
    await page.getByTestId('reset-password').waitFor();
    expect(new URL(page.url()).search).toBe(''); // the token leaves the address bar
    const newPassword = `${resetter.password}-new`;
    await page.getByTestId('reset-password').fill(newPassword);
    await page.getByTestId('reset-confirm').fill(newPassword);
    await shot('reset-password');
    await page.getByTestId('reset-submit').click();
    await page.waitForURL(SIGN_IN_URL);
    await expect.poll(() => page.getByTestId('flash').textContent()).toContain('password has been changed');
    await shot('sign-in-after-reset');
    expect(await signInWithPassword(page, base, resetter.email, newPassword)).toBe('security');
    expect((await api(base, 'POST', '/auth/login', { email: resetter.email, password: resetter.password })).status).toBe(401);
  });

  scenario('confirms a step-up with the password when there is no second factor', async () => {
    await newTab();
    await signUp(page, base, noMfaUser.email, noMfaUser.password);
    await new Promise((r) => setTimeout(r, 1_500)); // past the 1-second step-up window
    await page.getByTestId('nav-password').click();
    const changed = `${noMfaUser.password}-changed`;
    await page.getByTestId('password-current').fill(noMfaUser.password);
    await page.getByTestId('password-new').fill(changed);
    await page.getByTestId('password-confirm').fill(changed);
    await page.getByTestId('password-submit').click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
    await dialog.getByTestId('step-up-password').fill('not the password');
    await dialog.getByTestId('step-up-submit').click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('password is not right');
    await shot('step-up-password-wrong');
    await dialog.getByTestId('step-up-password').fill(noMfaUser.password);
    await dialog.getByTestId('step-up-submit').click();
    await page.getByTestId('password-changed').waitFor();
    expect(await dialog.count()).toBe(0);
    expect((await api(base, 'POST', '/auth/login', { email: noMfaUser.email, password: changed })).status).toBe(200);
  });

  scenario('shows wrong codes in an alert, and the lockout after 10 with when to retry', async () => {
    await newTab();
    const right = () => totpAt(lockedSecret, Date.now());
    const alert = page.getByTestId('form-error');
    expect(await signInWithPassword(page, base, lockedUser.email, lockedUser.password)).toBe('verify');
    await submitSecondStepCode(page, wrong(right()));
    await expect.poll(() => alert.textContent()).toContain('That code did not work');
    expect(await alert.getAttribute('role')).toBe('alert');
    await shot('second-step-wrong-code');
    // Five wrong codes use up one sign-in step; the next try leads back to the password.
    for (let round = 1; round <= 2; round++) {
      if (round === 2) expect(await signInWithPassword(page, base, lockedUser.email, lockedUser.password)).toBe('verify');
      for (let i = round === 1 ? 2 : 1; i <= 5; i++) await submitSecondStepCode(page, wrong(right()));
      await submitSecondStepCode(page, right());
      await page.waitForURL(SIGN_IN_URL);
      await expect.poll(() => page.getByTestId('flash').textContent()).toContain('expired or was used up');
    }
    await shot('sign-in-step-used-up');
    // Ten failures: even the right code is refused now, and the page says until when.
    expect(await signInWithPassword(page, base, lockedUser.email, lockedUser.password)).toBe('verify');
    await submitSecondStepCode(page, right());
    await expect.poll(() => alert.textContent()).toMatch(/Too many attempts\. You can try again in \d+ minutes \(at .+\)/);
    expect(await alert.getAttribute('role')).toBe('alert');
    await shot('second-step-locked-out');
  });

  scenario('confirms a step-up with an email code, then shows the new backup codes', async () => {
    await newTab();
    expect(await signInWithPassword(page, base, stepUpUser.email, stepUpUser.password)).toBe('verify');
    await verifyWithCode(page, 'backup_code', stepUpBackupCodes[0]);
    await sleepUntil(Math.max(Date.now() + 1_500, sentAt.stepUp + SEND_GAP_MS));
    await page.getByTestId('backup-codes-regenerate').click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
    await dialog.getByTestId('step-up-method-email').check();
    const since = mark(smtp);
    await dialog.getByRole('button', { name: 'Send code' }).click();
    await dialog.getByTestId('step-up-sent').waitFor();
    const code = await mailedCode(smtp, stepUpUser.email, since);
    await shot('step-up-email-code-sent');
    // Asking again at once: the send limit answers 429, and the dialog says when to ask again.
    await dialog.getByRole('button', { name: 'Send a new code' }).click();
    const error = dialog.getByRole('alert');
    await expect.poll(() => error.textContent()).toMatch(/ask for another in \d+ seconds/);
    expect(await dialog.getByTestId('step-up-send-code').isDisabled()).toBe(true);
    await shot('step-up-send-limited');
    await dialog.getByTestId('step-up-code').fill(wrong(code));
    await dialog.getByTestId('step-up-submit').click();
    await expect.poll(() => error.textContent()).toContain('That code did not work');
    await dialog.getByTestId('step-up-code').fill(code);
    await dialog.getByTestId('step-up-submit').click();
    await page.getByTestId('backup-codes-dialog').waitFor();
    expect(await dialog.count()).toBe(0);
    await shot('step-up-new-backup-codes');
    const fresh = await saveBackupCodesDialog(page);
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(stepUpBackupCodes[1]);
    await expect.poll(() => page.getByTestId('backup-codes-remaining').getAttribute('data-count')).toBe('10');
  });

  scenario('signs in with an email code at the second step', async () => {
    await newTab();
    await sleepUntil(sentAt.mail + SEND_GAP_MS);
    expect(await signInWithPassword(page, base, mailUser.email, mailUser.password)).toBe('verify');
    const since = mark(smtp);
    await verifyWithSentCode(page, 'email', () => mailedCode(smtp, mailUser.email, since), shot);
    await expectMfaEnabled(page, true);
  });

  scenario('signs in with an SMS code at the second step', async () => {
    await newTab();
    await sleepUntil(sentAt.sms + SEND_GAP_MS);
    expect(await signInWithPassword(page, base, smsUser.email, smsUser.password)).toBe('verify');
    const before = textsTo(twilio, PHONE).length;
    const readText = async () => {
      await expect.poll(() => textsTo(twilio, PHONE).length).toBeGreaterThan(before);
      return textedCode(twilio, PHONE);
    };
    await verifyWithSentCode(page, 'sms', readText, shot);
    await expectMfaEnabled(page, true);
  });
  // Last: it changes the policy (for the users given the role only).
  scenario('enrols with an email code when the policy requires a second step, offered the allowed kinds', async () => {
    const forced = person('forced');
    const registered = await api(base, 'POST', '/auth/register', { email: forced.email, password: forced.password });
    expect(registered.status).toBe(201);
    const adminToken = await signInToken(base, admin.email, admin.password);
    expect((await api(base, 'PATCH', `/admin/users/${registered.body.user_id}`, { roles: ['forced'] }, adminToken)).status).toBe(200);
    const policy = { require_mfa: 'roles', roles: ['forced'], grace_period_days: 0, allowed_methods: ['totp', 'email', 'backup_code'] };
    expect((await api(base, 'PUT', '/admin/policy', policy, adminToken)).status).toBe(200);

    await newTab();
    expect(await signInWithPassword(page, base, forced.email, forced.password)).toBe('enrol');
    await page.waitForURL(ENROL_CHOICE_URL);
    await page.getByTestId('enroll-banner').waitFor();
    // Every kind of factor the policy allows is offered (not only the authenticator app), and
    // only those.
    for (const id of ['totp-setup-start', 'email-factor-send']) await page.getByTestId(id).waitFor();
    for (const id of ['passkey-add', 'phone-send']) expect(await page.getByTestId(id).count()).toBe(0);
    await shot('enrolment-choice');
    const since = mark(smtp);
    await page.getByTestId('email-factor-send').click();
    await page.getByTestId('email-factor-code').fill(await mailedCode(smtp, forced.email, since));
    await page.getByTestId('email-factor-verify').click();
    expect(await saveBackupCodesDialog(page)).toHaveLength(10);
    // The first factor made the enrolment-only session a full one: settings, no new sign-in.
    await page.waitForURL(SECURITY_URL);
    await expectMfaEnabled(page, true);
    await page.getByTestId('nav-devices').waitFor();
    const me = (await page.evaluate("fetch('/api/v1/me', { headers: { 'X-Twofold-Session': 'cookie' } }).then((r) => r.json())")) as { enrollment_only: boolean };
    expect(me.enrollment_only).toBe(false);
    await shot('enrolment-done-email');
  });
});
