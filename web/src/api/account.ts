import { api, query } from './client';
import type { EventPage, SessionInfo, TrustedDevice, UserSummary } from './types';

/** The signed-in user's own account: who am I, sessions, trusted devices, history. */
export const accountApi = {
  /** `GET /me` is not in API.md's tables; the service offers it, and the UI copes without it. */
  me: () => api.get<(UserSummary & { enrollment_only?: boolean }) | { user: UserSummary; enrollment_only?: boolean }>('/me'),

  sessions: () => api.get<{ sessions: SessionInfo[] }>('/auth/sessions'),
  revokeSession: (id: string) => api.del(`/auth/sessions/${encodeURIComponent(id)}`),

  trustedDevices: () => api.get<{ devices: TrustedDevice[] }>('/mfa/trusted-devices'),
  forgetDevice: (id: string) => api.del(`/mfa/trusted-devices/${encodeURIComponent(id)}`),
  forgetAllDevices: () => api.del('/mfa/trusted-devices'),

  securityEvents: (cursor?: string | null) => api.get<EventPage>(`/me/security-events${query({ cursor })}`),
};
