import { Command, CommanderError } from 'commander';
import { loadConfig } from '../server/config.js';
import { registerKeyCommands } from './keys.js';
import { registerUserCommands } from './users.js';
import { runMigrate } from './migrate.js';

/** The `twofold` command. Settings come from the environment, as for the service. */
const program = new Command('twofold')
  .description('Twofold: self-hostable multi-factor authentication service')
  .showHelpAfterError()
  .exitOverride();

program
  .command('serve')
  .description('serve the API and the web UI (applies pending migrations first)')
  .action(async () => {
    const { serve } = await import('../server/serve.js');
    await serve(loadConfig(process.env));
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    await runMigrate(loadConfig(process.env));
  });

registerUserCommands(program);
registerKeyCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  process.stderr.write(`twofold: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
