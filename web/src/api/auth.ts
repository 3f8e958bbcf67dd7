import { api } from './client';
import type { AuthenticationResponseJSON, LoginResponse, PublicKeyCredentialRequestOptionsJSON, SignedInResponse, StepUpProof, VerifyMethod, ChallengeSent } from './types';

/** Sign-up, sign-in, the second step, passkeys and passwords (API.md "Accounts and login"). */
export const authApi = {
  register: (body: { email: string; password: string; name?: string }) => api.post<{ user_id?: string } | undefined>('/auth/register', body),

  login: (body: { email: string; password: string }) => api.post<LoginResponse>('/auth/login', body),

  sendChallenge: (mfaToken: string, method: 'email' | 'sms') => api.post<ChallengeSent>('/auth/mfa/challenge', { mfa_token: mfaToken, method }),

  webauthnOptions: (mfaToken: string) => api.post<PublicKeyCredentialRequestOptionsJSON>('/auth/mfa/webauthn/options', { mfa_token: mfaToken }),

  verify: (body: { mfa_token: string; method: VerifyMethod; code?: string; credential?: AuthenticationResponseJSON; trust_device?: boolean }) =>
    api.post<SignedInResponse>('/auth/mfa/verify', body),

  passkeyOptions: () => api.post<PublicKeyCredentialRequestOptionsJSON>('/auth/passkey/options', {}),

  passkeyVerify: (credential: AuthenticationResponseJSON) => api.post<SignedInResponse>('/auth/passkey/verify', { credential }),

  logout: () => api.post<void>('/auth/logout', {}, { noRefresh: true }),

  forgotPassword: (email: string) => api.post<void>('/auth/password/forgot', { email }),

  resetPassword: (token: string, newPassword: string) => api.post<void>('/auth/password/reset', { token, new_password: newPassword }),

  changePassword: (body: { current_password: string; new_password: string }, proof?: StepUpProof) =>
    api.post<void>('/auth/password/change', { ...body, ...proof }),
};
