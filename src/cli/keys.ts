import type { Command } from 'commander';
import { rotateKeys } from '../server/key-rotation.js';
import { loadConfig } from '../server/config.js';
import { withServices } from './context.js';

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('encryption and signing keys');

  keys
    .command('rotate')
    .description('re-encrypt every stored secret under a new key and start a new token signing key (safe while the service runs)')
    .action(async () => {
      const r = await withServices(loadConfig(process.env), ({ deps }, ctx) => rotateKeys(deps, ctx.now, ctx));
      process.stdout.write(
        `rotated: encryption key ${r.kid} (re-encrypted ${r.methods} TOTP methods, ${r.enrollments} pending enrolments, ${r.signingKeys} signing keys); new signing key ${r.signingKid}\n` +
          'running processes pick the new keys up within a minute\n',
      );
    });
}
