import type { Ctx, User } from './types.js';
import type { CoreDeps } from './deps.js';

/**
 * Queue a security notification to the user's address (NIST SP 800-63B rev 4 asks for
 * notification of authenticator changes through an independent channel). Queued in the
 * persisted outbox so the request is not slowed and a restart loses nothing.
 */
export async function notifyUser(
  deps: Pick<CoreDeps, 'store' | 'random' | 'settings'>,
  user: Pick<User, 'email' | 'name'>,
  template: string,
  ctx: Ctx,
  data: Record<string, unknown> = {},
): Promise<void> {
  await deps.store.outbox.enqueue({
    id: deps.random.uuid(),
    channel: 'email',
    to: user.email,
    template,
    data: {
      name: user.name,
      email: user.email,
      at: new Date(ctx.now).toISOString(),
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      appUrl: deps.settings.publicUrl,
      ...data,
    },
    createdAt: ctx.now,
    attempts: 0,
    nextAttemptAt: ctx.now,
    sentAt: null,
    failedAt: null,
    lastError: null,
  });
}
