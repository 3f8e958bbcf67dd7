import { describe, expect, it } from 'vitest';
import { LOCALES, TEMPLATE_NAMES, escapeHtml, renderMessage } from '../../../src/delivery/index.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const EVENT = {
  name: 'Ada <script>alert(1)</script>',
  email: 'ada@example.test',
  at: '2026-03-03T14:05:00.000Z',
  ip: '203.0.113.7',
  userAgent: FIREFOX,
  appUrl: 'https://auth.example.test',
};

/** Sample data for every template, with a hostile string wherever a user picks the text. */
const SAMPLES: Record<string, Record<string, unknown>> = {
  otp_code: { ...EVENT, code: '123456', minutes: 10, purpose: 'login', host: 'auth.example.test' },
  password_reset: { ...EVENT, link: 'https://auth.example.test/reset#t=abc.def' },
  factor_added: { ...EVENT, methodType: 'totp', methodName: '<script>phone</script>' },
  factor_removed: { ...EVENT, methodType: 'webauthn', methodName: 'YubiKey <b>5</b>' },
  mfa_disabled: EVENT,
  backup_codes_regenerated: EVENT,
  backup_code_used: { ...EVENT, remaining: 2 },
  lockout: { ...EVENT, until: '2026-03-03T14:20:00.000Z' },
  password_changed: EVENT,
  password_reset_done: EVENT,
  trusted_device_added: { ...EVENT, deviceName: 'Laptop <img src=x onerror=alert(1)>' },
  mfa_reset_by_admin: { ...EVENT, reason: 'Lost phone <script>' },
  enrollment_reminder: { ...EVENT, deadline: '2026-03-17T00:00:00.000Z' },
};

const NOTICES = TEMPLATE_NAMES.filter((t) => t !== 'otp_code' && t !== 'password_reset');

describe('templates', () => {
  it('has sample data for every template', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...TEMPLATE_NAMES].sort());
  });

  it.each(TEMPLATE_NAMES.map((t) => [t]))('%s renders subject, text, HTML and SMS', (name) => {
    const r = renderMessage(name, SAMPLES[name]);
    expect(r.subject).toContain('Twofold');
    expect(r.subject).not.toMatch(/[\r\n]/);
    expect(r.text.length).toBeGreaterThan(80);
    expect(r.html).toMatch(/^<!doctype html>/);
    expect(r.sms.length).toBeGreaterThan(10);
    expect(r.sms.length).toBeLessThanOrEqual(320);
    // No placeholder leaks into a message.
    for (const body of [r.subject, r.text, r.html, r.sms]) expect(body).not.toMatch(/undefined|null|NaN|\[object/);
  });

  it.each(TEMPLATE_NAMES.map((t) => [t]))('%s escapes user-chosen text in HTML', (name) => {
    const { html, text } = renderMessage(name, SAMPLES[name]);
    expect(html).not.toMatch(/<script|<img|<b>|onerror=alert\(1\)>/);
    expect(html).toContain('Ada &lt;script&gt;alert(1)&lt;/script&gt;');
    // The plain text shows it as written: text is not markup.
    expect(text).toContain('Hello Ada <script>alert(1)</script>,');
  });

  it.each(NOTICES.filter((t) => t !== 'enrollment_reminder').map((t) => [t]))(
    '%s says when (UTC), from which IP and browser, and what to do if it was not you',
    (name) => {
      const { text, html } = renderMessage(name, SAMPLES[name]);
      for (const body of [text, html]) {
        expect(body).toContain('Tuesday, 3 March 2026 at 14:05 UTC');
        expect(body).toContain('203.0.113.7');
        expect(body).toContain('Firefox on Linux');
        expect(body).toContain(escapeHtml(FIREFOX));
        expect(body).toContain('https://auth.example.test/');
      }
      expect(text).toMatch(/If (this was not you|you did not expect this)/);
      expect(text).toMatch(/administrator/);
    },
  );

  it('factor notices name the method type and its name', () => {
    expect(renderMessage('factor_added', { ...EVENT, methodType: 'totp', methodName: 'Phone' }).text).toContain('authenticator app “Phone”');
    expect(renderMessage('factor_removed', { ...EVENT, methodType: 'sms', methodName: null }).text).toContain('text message (SMS) codes.');
  });

  it('backup_code_used gives the remaining count and urges new codes when few are left', () => {
    const few = renderMessage('backup_code_used', { ...EVENT, remaining: 2 }).text;
    expect(few).toContain('You have 2 backup codes left.');
    expect(few).toContain('Create new backup codes');
    const many = renderMessage('backup_code_used', { ...EVENT, remaining: 9 }).text;
    expect(many).toContain('You have 9 backup codes left.');
    expect(many).not.toContain('Create new backup codes');
    expect(renderMessage('backup_code_used', { ...EVENT, remaining: 0 }).text).toContain('no backup codes left');
  });

  it('lockout says until when, mfa_reset_by_admin gives the reason, enrollment_reminder the deadline', () => {
    expect(renderMessage('lockout', SAMPLES.lockout).text).toContain('until Tuesday, 3 March 2026 at 14:20 UTC');
    const hard = renderMessage('lockout', { ...EVENT, until: null, hard: true });
    expect(hard.text).toContain('sign in with a backup code or ask your administrator');
    expect(hard.sms).toContain('backup code');
    expect(renderMessage('mfa_reset_by_admin', { ...EVENT, reason: 'Lost phone' }).text).toContain('Reason given: “Lost phone”.');
    expect(renderMessage('enrollment_reminder', SAMPLES.enrollment_reminder).text).toContain('before Tuesday, 17 March 2026 at 00:00 UTC');
  });

  it('otp_code: the code, its lifetime, and the WebOTP origin-bound line in the SMS', () => {
    const r = renderMessage('otp_code', SAMPLES.otp_code);
    expect(r.text).toMatch(/^ {4}123456$/m);
    expect(r.text).toContain('expires in 10 minutes');
    expect(r.sms).toBe('Your Twofold code is 123456. It expires in 10 minutes.\n\n@auth.example.test #123456');
    expect(renderMessage('otp_code', { code: '654321' }).sms).toBe('Your Twofold code is 654321. It expires in 10 minutes.');
    expect(renderMessage('otp_code', { code: '1', purpose: 'enroll' }).text).toContain('finish setting up');
    expect(renderMessage('otp_code', { code: '1', purpose: 'step_up' }).text).toContain('confirm a sensitive change');
  });

  it('password_reset: the link as text and as an escaped href, valid 1 hour', () => {
    const r = renderMessage('password_reset', { link: 'https://auth.example.test/reset?t=a&b="c"' });
    expect(r.text).toContain('https://auth.example.test/reset?t=a&b=%22c%22');
    expect(r.text).toContain('expires in 1 hour');
    expect(r.html).toContain('href="https://auth.example.test/reset?t=a&amp;b=%22c%22"');
  });

  it('plain-text bodies carry no markup and no forged lines from user text', () => {
    const r = renderMessage('trusted_device_added', { ...EVENT, deviceName: 'Laptop\n\nClick https://evil.test now' });
    expect(r.text).toContain('(“Laptop Click https://evil.test now”)');
    for (const name of TEMPLATE_NAMES) expect(renderMessage(name, SAMPLES[name]).text).not.toMatch(/<\/?(p|a|table|html)\b/);
  });

  it('throws for an unknown template, missing required data, or a link that is not http(s)', () => {
    expect(() => renderMessage('no_such_template', {})).toThrow(/unknown message template "no_such_template"/);
    expect(() => renderMessage('otp_code', {})).toThrow(/code/);
    expect(() => renderMessage('password_reset', { link: 'javascript:alert(1)' })).toThrow(/http/);
    expect(() => renderMessage('factor_added', EVENT)).toThrow(/methodType/);
  });

  it('accepts snake_case keys and epoch-millisecond times too', () => {
    const r = renderMessage('password_changed', { at: Date.parse(EVENT.at), ip: '198.51.100.1', user_agent: 'curl/8.5.0', app_url: 'https://x.test' });
    expect(r.text).toContain('Tuesday, 3 March 2026 at 14:05 UTC');
    expect(r.text).toContain('Browser: curl');
    expect(r.text).toContain('https://x.test/');
  });

  it('falls back to English for an unknown locale, and finds en for en-GB', () => {
    expect(Object.keys(LOCALES)).toContain('en');
    const en = renderMessage('mfa_disabled', EVENT, 'en');
    expect(renderMessage('mfa_disabled', EVENT, 'en-GB')).toEqual(en);
    expect(renderMessage('mfa_disabled', EVENT, 'xx')).toEqual(en);
  });
});
