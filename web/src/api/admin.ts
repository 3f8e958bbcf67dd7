import { api, query } from './client';
import type { AdminUser, AdminUserPage, EventPage, Policy, Stats } from './types';

/** Administration (role `admin`, API.md "Administration"). */
export const adminApi = {
  users: (q: string, cursor?: string | null) => api.get<AdminUserPage>(`/admin/users${query({ query: q, cursor })}`),
  updateUser: (id: string, body: { roles?: string[]; disabled?: boolean }) => api.patch<AdminUser>(`/admin/users/${encodeURIComponent(id)}`, body),
  resetMfa: (id: string, reason: string) => api.post<void>(`/admin/users/${encodeURIComponent(id)}/mfa/reset`, { reason }),

  audit: (filters: { user_id?: string; type?: string; since?: string; cursor?: string | null }) => api.get<EventPage>(`/admin/audit${query(filters)}`),

  stats: () => api.get<Stats>('/admin/stats'),

  policy: () => api.get<Policy>('/admin/policy'),
  savePolicy: (policy: Policy) => api.put<Policy>('/admin/policy', policy),
};
