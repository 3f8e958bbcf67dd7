import { createAccount } from '../core/accounts/register.js';
import type { CoreDeps } from '../core/deps.js';

/**
 * TWOFOLD_ADMIN_EMAIL/PASSWORD: create this admin at start-up if no admin exists (API.md).
 * Two processes starting together may race; the unique email makes the loser a no-op.
 */
export async function bootstrapAdmin(core: CoreDeps, admin: { email: string; password: string } | undefined, now: number): Promise<'created' | 'exists' | 'skipped'> {
  if (!admin) return 'skipped';
  if ((await core.store.users.countAdmins()) > 0) return 'exists';
  const out = await createAccount(core, { email: admin.email, password: admin.password, roles: ['admin'] }, { now, ip: null, userAgent: 'twofold bootstrap' }, { selfService: false, actorId: null });
  if (!out.ok) {
    if (out.error.code === 'conflict') {
      const user = await core.store.users.byEmail(admin.email.trim().toLowerCase());
      if (user && !user.roles.includes('admin')) await core.store.users.update(user.id, { roles: [...user.roles, 'admin'] });
      return 'exists';
    }
    throw new Error(`TWOFOLD_ADMIN_PASSWORD: ${out.error.detail}`);
  }
  return 'created';
}
