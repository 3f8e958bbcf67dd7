import type { Command } from 'commander';
import { createAccount } from '../core/accounts/register.js';
import { resetMfaByAdmin } from '../core/admin/users.js';
import { loadConfig } from '../server/config.js';
import { withServices } from './context.js';

export function registerUserCommands(program: Command): void {
  const users = program.command('users').description('manage accounts');

  users
    .command('create')
    .description('create an account')
    .requiredOption('--email <email>', 'the account email')
    .option('--password <password>', 'the password (omit to create an account that signs in only after a reset)')
    .option('--role <role...>', 'roles, e.g. admin', [])
    .action(async (opts: { email: string; password?: string; role: string[] }) => {
      await withServices(loadConfig(process.env), async ({ deps }, ctx) => {
        const out = await createAccount(deps.core, { email: opts.email, password: opts.password, roles: opts.role }, ctx, { selfService: false, actorId: null });
        if (!out.ok) throw new Error(out.error.detail ?? out.error.code);
        process.stdout.write(`created user ${out.value.user.id} <${out.value.user.email}> roles=[${out.value.user.roles.join(',')}]\n`);
      });
    });

  users
    .command('reset-mfa')
    .description("remove every second factor, backup code, trusted device and session of an account, and mail the user (the way back in when no admin can sign in)")
    .requiredOption('--email <email>', 'the account email')
    .option('--reason <reason>', 'why, for the audit trail and the mail to the user', 'reset by an operator with the twofold command')
    .action(async (opts: { email: string; reason: string }) => {
      const reason = opts.reason.trim().slice(0, 500) || 'reset by an operator with the twofold command';
      await withServices(loadConfig(process.env), async ({ deps }, ctx) => {
        const user = await deps.core.store.users.byEmail(opts.email);
        if (!user) throw new Error(`no account with the email ${opts.email}`);
        // No admin signed in: the audit entry's actor is null, its user agent "twofold cli".
        const removed = await resetMfaByAdmin(deps.core, null, user, reason, ctx);
        process.stdout.write(`reset MFA of ${user.id} <${user.email}>: removed ${removed.length} method(s); every session ended; the user is mailed\n`);
      });
    });
}
