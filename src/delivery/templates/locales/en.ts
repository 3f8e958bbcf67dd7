/**
 * English strings for every message. Plain sentences: the layout escapes them for HTML.
 * Times are always UTC and say so, because the reader's time zone is unknown to us.
 */
import type { Locale } from '../types.js';

const PRODUCT = 'Twofold';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

const pad = (n: number): string => String(n).padStart(2, '0');
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const METHOD_TYPES: Record<string, string> = {
  totp: 'authenticator app',
  webauthn: 'security key or passkey',
  email: 'email codes',
  sms: 'text message (SMS) codes',
  backup_code: 'backup code',
};

const named = (type: string, name: string | null): string =>
  name ? `${METHOD_TYPES[type] ?? type} “${name}”` : (METHOD_TYPES[type] ?? type);

export const en: Locale = {
  tag: 'en',
  product: PRODUCT,

  // Spelled out by hand rather than Intl, so the text does not change with the ICU version.
  dateTime(ms) {
    const d = new Date(ms);
    return `${WEEKDAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} at ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
  },
  duration(minutes) {
    return minutes % 60 === 0 && minutes > 0 ? plural(minutes / 60, 'hour', 'hours') : plural(minutes, 'minute', 'minutes');
  },
  greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
  signoff: `— ${PRODUCT}`,
  automated: `This message was sent automatically by ${PRODUCT} because it concerns the security of your account. Replies are not read.`,
  labels: {
    details: 'Details',
    when: 'When',
    ip: 'IP address',
    browser: 'Browser',
    userAgent: 'User agent',
    unknown: 'unknown',
  },
  browserOn: ({ browser, os }) => (browser && os ? `${browser} on ${os}` : browser ?? (os ? `a browser on ${os}` : null)),
  methodType: (type) => METHOD_TYPES[type] ?? type,

  advice: {
    ifYou: 'If this was you, there is nothing else to do.',
    notYou: (appUrl) =>
      `If this was not you, someone else may be using your account: reset your password right away${appUrl ? ` at ${appUrl}` : ''} and contact your administrator.`,
    contactAdmin: (appUrl) =>
      `If you did not expect this, contact your administrator right away${appUrl ? `, then sign in at ${appUrl} to set up two-step verification again` : ''}.`,
    smsNotYou: (appUrl) => `Not you? Reset your password${appUrl ? ` at ${appUrl}` : ''} and contact your admin.`,
    openApp: `Open ${PRODUCT}`,
  },

  otpCode: {
    subject: `Your ${PRODUCT} verification code`,
    intro: (purpose) =>
      purpose === 'enroll'
        ? `Use this code to finish setting up email codes for your ${PRODUCT} account:`
        : purpose === 'step_up'
          ? `Use this code to confirm a sensitive change to your ${PRODUCT} account:`
          : `Use this code to finish signing in to ${PRODUCT}:`,
    expires: (minutes) => `The code expires in ${plural(minutes, 'minute', 'minutes')} and works only once.`,
    neverShare: `Do not share it with anyone. ${PRODUCT} and your administrator will never ask you for it.`,
    notRequested: (appUrl) =>
      `If you did not ask for this code, someone may know your password: change it${appUrl ? ` at ${appUrl}` : ''} and contact your administrator.`,
    sms: (code, minutes) => `Your ${PRODUCT} code is ${code}. It expires in ${plural(minutes, 'minute', 'minutes')}.`,
  },

  passwordReset: {
    subject: `Reset your ${PRODUCT} password`,
    intro: `Someone, hopefully you, asked to reset the password of your ${PRODUCT} account. To choose a new password, open this link:`,
    action: 'Choose a new password',
    expires: (minutes) =>
      `The link works once and expires in ${minutes % 60 === 0 ? plural(minutes / 60, 'hour', 'hours') : plural(minutes, 'minute', 'minutes')}. Two-step verification stays on: you will still be asked for your second factor.`,
    notRequested: 'If you did not ask for this, ignore this message: your password stays as it is.',
    sms: (link, minutes) => `Reset your ${PRODUCT} password within ${plural(minutes, 'minute', 'minutes')}: ${link}`,
  },

  notices: {
    factor_added: {
      subject: `A sign-in method was added to your ${PRODUCT} account`,
      body: (d) => [`A two-step verification method was added to your account: ${named(d.methodType, d.methodName)}.`],
      sms: (d) => `${PRODUCT}: ${named(d.methodType, d.methodName)} was added to your account.`,
    },
    factor_removed: {
      subject: `A sign-in method was removed from your ${PRODUCT} account`,
      body: (d) => [`A two-step verification method was removed from your account: ${named(d.methodType, d.methodName)}.`],
      sms: (d) => `${PRODUCT}: ${named(d.methodType, d.methodName)} was removed from your account.`,
    },
    mfa_disabled: {
      subject: `Two-step verification was turned off for your ${PRODUCT} account`,
      body: () => [
        'Two-step verification was turned off for your account. All its methods and backup codes were removed, so your password alone now lets someone sign in.',
      ],
      sms: () => `${PRODUCT}: two-step verification was turned off for your account.`,
    },
    backup_codes_regenerated: {
      subject: `New backup codes were created for your ${PRODUCT} account`,
      body: () => ['New backup codes were created for your account. The previous codes no longer work.'],
      sms: () => `${PRODUCT}: new backup codes were created; the old ones no longer work.`,
    },
    backup_code_used: {
      subject: `A backup code was used on your ${PRODUCT} account`,
      body: (d) => [
        `A backup code was used to verify your identity. ${
          d.remaining === 0 ? 'You have no backup codes left' : `You have ${plural(d.remaining, 'backup code', 'backup codes')} left`
        }.`,
        ...(d.remaining <= 3 ? ['Create new backup codes in your security settings soon, so you can still get in if you lose your other methods.'] : []),
      ],
      sms: (d) => `${PRODUCT}: a backup code was used on your account (${d.remaining} left).`,
    },
    lockout: {
      subject: `Two-step verification on your ${PRODUCT} account is locked`,
      body: (d) => [
        d.hard
          ? 'After too many wrong verification codes in a row, two-step verification on your account is locked. To get back in, sign in with a backup code or ask your administrator to reset it.'
          : `After too many wrong verification codes, two-step verification on your account is locked${d.until !== null ? ` until ${en.dateTime(d.until)}` : ' for a while'}.`,
        'Whoever tried already knew your password.',
      ],
      sms: (d) =>
        d.hard
          ? `${PRODUCT}: too many wrong codes; your account is locked until a backup code or an admin unlocks it.`
          : `${PRODUCT}: too many wrong codes; sign-in to your account is temporarily locked.`,
    },
    password_changed: {
      subject: `Your ${PRODUCT} password was changed`,
      body: () => ['The password of your account was changed. Your other sessions were signed out.'],
      sms: () => `${PRODUCT}: your password was changed.`,
    },
    password_reset_done: {
      subject: `Your ${PRODUCT} password was reset`,
      body: () => [
        'The password of your account was reset with a reset link. All sessions and trusted devices were signed out; two-step verification stays on.',
      ],
      sms: () => `${PRODUCT}: your password was reset.`,
    },
    trusted_device_added: {
      subject: `A device was remembered for your ${PRODUCT} account`,
      body: (d) => [
        `A device${d.deviceName ? ` (“${d.deviceName}”)` : ''} was marked as trusted: signing in from it will not ask for a second factor for a while.`,
      ],
      sms: () => `${PRODUCT}: a new device was marked as trusted on your account.`,
    },
    mfa_reset_by_admin: {
      subject: `An administrator reset two-step verification on your ${PRODUCT} account`,
      body: (d) => [
        'An administrator removed every two-step verification method, backup code, trusted device and session of your account.',
        ...(d.reason ? [`Reason given: “${d.reason}”.`] : []),
      ],
      sms: () => `${PRODUCT}: an administrator reset two-step verification on your account.`,
    },
    enrollment_reminder: {
      subject: `Set up two-step verification for your ${PRODUCT} account`,
      body: (d) => [
        `Your organisation requires two-step verification. Please set it up before ${en.dateTime(d.deadline)}.`,
        'After that date, signing in will only let you set it up, and nothing else, until you do.',
      ],
      sms: (d) => `${PRODUCT}: set up two-step verification before ${en.dateTime(d.deadline)}.`,
    },
  },
};
