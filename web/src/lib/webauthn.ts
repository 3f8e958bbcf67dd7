import { WebAuthnError } from '@simplewebauthn/browser';
import { ApiError } from '../api/problem';
import { t } from '../i18n';

/** True when a ceremony ended because another one replaced it or the page moved on. */
export function isAbort(e: unknown): boolean {
  if (e instanceof WebAuthnError) return e.code === 'ERROR_CEREMONY_ABORTED';
  return e instanceof DOMException && e.name === 'AbortError';
}

/**
 * Browser-side WebAuthn failures become words; API errors pass through unchanged so the error
 * view can react to their codes.
 */
export function webauthnFailure(e: unknown): unknown {
  if (e instanceof ApiError) return e;
  const name = e instanceof WebAuthnError ? (e.cause as Error | undefined)?.name : e instanceof Error ? e.name : '';
  if (e instanceof WebAuthnError && e.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return t('webauthn.alreadyRegistered');
  if (name === 'NotAllowedError') return t('webauthn.cancelled');
  if (name === 'InvalidStateError') return t('webauthn.alreadyRegistered');
  if (name === 'SecurityError') return t('webauthn.securityError');
  return t('webauthn.failed');
}
