import { api } from './client';
import type { ChallengeSent, MethodVerified, MfaMethod, MfaStatus, PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON, StepUpProof, TotpSetup } from './types';

/**
 * Managing one's own second factors (API.md "Managing one's own MFA").
 * Every call that may need a step-up takes an optional proof, merged into its body.
 */
export const mfaApi = {
  status: () => api.get<MfaStatus>('/mfa/status'),

  totpSetup: (name: string | undefined, proof?: StepUpProof) => api.post<TotpSetup>('/mfa/totp/setup', { ...(name ? { name } : {}), ...proof }),
  totpVerify: (enrollmentId: string, code: string, proof?: StepUpProof) =>
    api.post<MethodVerified>('/mfa/totp/verify', { enrollment_id: enrollmentId, code, ...proof }),

  emailSetup: (proof?: StepUpProof) => api.post<ChallengeSent | undefined>('/mfa/email/setup', { ...proof }),
  emailVerify: (code: string, proof?: StepUpProof) => api.post<MethodVerified>('/mfa/email/verify', { code, ...proof }),

  smsSetup: (phoneNumber: string, proof?: StepUpProof) => api.post<ChallengeSent | undefined>('/mfa/sms/setup', { phone_number: phoneNumber, ...proof }),
  smsVerify: (code: string, proof?: StepUpProof) => api.post<MethodVerified>('/mfa/sms/verify', { code, ...proof }),

  webauthnRegisterOptions: (name: string | undefined, proof?: StepUpProof) =>
    api.post<PublicKeyCredentialCreationOptionsJSON>('/mfa/webauthn/register/options', { ...(name ? { name } : {}), ...proof }),
  webauthnRegisterVerify: (credential: RegistrationResponseJSON, name: string | undefined, proof?: StepUpProof) =>
    api.post<MethodVerified>('/mfa/webauthn/register/verify', { credential, ...(name ? { name } : {}), ...proof }),

  rename: (id: string, name: string) => api.patch<MfaMethod>(`/mfa/methods/${encodeURIComponent(id)}`, { name }),
  remove: (id: string, proof?: StepUpProof) => api.del(`/mfa/methods/${encodeURIComponent(id)}`, { ...proof }),

  regenerateBackupCodes: (proof?: StepUpProof) => api.post<{ backup_codes: string[] }>('/mfa/backup-codes/regenerate', { ...proof }),
  disable: (proof?: StepUpProof) => api.post<void>('/mfa/disable', { ...proof }),
};
