import type { MfaStatus, VerifyMethod } from '../api/types';
import { t } from '../i18n';
import { METHOD_ORDER, methodLabel } from '../lib/methods';

/** One way to confirm a step-up, as the dialog offers it. */
export interface StepUpOption {
  /** Unique within the dialog (also the radio's test id suffix). */
  key: string;
  method: VerifyMethod | 'password';
  /** The enrolled method a code is sent to, where the user has several of that kind. */
  methodId?: string;
  label: string;
}

/**
 * Every way this user can confirm it's them: each enrolled kind of second factor (one entry
 * per phone number where there are several), backup codes while any remain, or, for a user
 * without a second factor, the password. Passkeys only where the browser can use them.
 */
export function stepUpOptions(status: MfaStatus, webauthnSupported: boolean): StepUpOption[] {
  if (!status.enabled) return [{ key: 'password', method: 'password', label: t('stepUp.password') }];
  const options: StepUpOption[] = [];
  for (const method of METHOD_ORDER) {
    if (method === 'backup_code') {
      if (status.backup_codes_remaining > 0) options.push({ key: method, method, label: methodLabel(method) });
      continue;
    }
    if (method === 'webauthn' && !webauthnSupported) continue;
    const enrolled = status.methods.filter((m) => m.type === method);
    if (enrolled.length === 0) continue;
    if (method === 'sms' && enrolled.length > 1) {
      for (const m of enrolled) {
        const label = m.phone_last_digits ? t('stepUp.smsTo', { digits: m.phone_last_digits }) : `${methodLabel(method)}: ${m.name}`;
        options.push({ key: `sms-${m.id}`, method, methodId: m.id, label });
      }
    } else options.push({ key: method, method, label: methodLabel(method) });
  }
  return options;
}

/** The option selected at first: the authenticator app where there is one (no waiting for a message). */
export function defaultOption(options: StepUpOption[]): StepUpOption | null {
  return options.find((o) => o.method === 'totp') ?? options[0] ?? null;
}
