import type { VerifyMethod } from '../api/types';
import { t, type MessageKey } from '../i18n';

const LABELS: Record<VerifyMethod, MessageKey> = {
  totp: 'method.totp',
  webauthn: 'method.webauthn',
  email: 'method.email',
  sms: 'method.sms',
  backup_code: 'method.backup_code',
};

/** The people-facing name of a second-factor kind; unknown kinds show as they are. */
export function methodLabel(method: string): string {
  return method in LABELS ? t(LABELS[method as VerifyMethod]) : method;
}

/** The order in which the second step offers methods: strongest and simplest first. */
export const METHOD_ORDER: VerifyMethod[] = ['webauthn', 'totp', 'email', 'sms', 'backup_code'];
