import type { Command } from 'commander';

export function registerKeyCommands(program: Command): void {
  program.command('keys').description('encryption and signing keys');
}
