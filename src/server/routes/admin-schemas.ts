import { z } from 'zod';
import type { AdminUserView } from '../../core/admin/users.js';
import { MFA_METHOD_TYPES } from '../../core/types.js';
import { iso } from '../schemas.js';

/** Role names: short identifiers, so they read plainly in tokens, policy and audit. */
export const Role = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'must be 1-64 letters, digits or _ . : - (starting with a letter or digit)');
export const Roles = z.array(Role).max(20, 'at most 20 roles');

export const AdminUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  roles: z.array(z.string()),
  mfa_enabled: z.boolean(),
  methods: z.array(z.enum(MFA_METHOD_TYPES as [string, ...string[]])).describe('the kinds of factor enrolled'),
  created_at: z.string(),
  last_login_at: z.string().nullable(),
  disabled: z.boolean(),
});

export function adminUserJson(v: AdminUserView): z.infer<typeof AdminUser> {
  const u = v.user;
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    roles: u.roles,
    mfa_enabled: v.methods.length > 0,
    methods: v.methods,
    created_at: iso(u.createdAt)!,
    last_login_at: iso(u.lastLoginAt),
    disabled: u.disabled,
  };
}
