import type { Command } from 'commander';
import { createAccount } from '../core/accounts/register.js';
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
}
