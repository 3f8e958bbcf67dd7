import { api } from './client';
import type { ChallengeSent, PublicKeyCredentialRequestOptionsJSON } from './types';

/**
 * What the step-up dialog asks of the service before it resends the waiting request with a
 * proof (src/server/routes/step-up-challenge.ts and mfa-webauthn.ts).
 */
export const stepUpApi = {
  /** Sends a step-up code by email or SMS; `methodId` picks one of several numbers. */
  sendCode: (method: 'email' | 'sms', methodId?: string) =>
    api.post<ChallengeSent>('/mfa/step-up/challenge', { method, ...(methodId ? { method_id: methodId } : {}) }),

  /** A WebAuthn challenge bound to the signed-in user, for `{method: "webauthn", credential}`. */
  webauthnOptions: () => api.post<PublicKeyCredentialRequestOptionsJSON>('/mfa/step-up/webauthn/options', {}),
};
