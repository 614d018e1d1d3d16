import type { Command } from 'commander';
import { action, withContext } from '../runtime.ts';

export function registerDbCommands(program: Command): void {
  const db = program.command('db');
  db.command('migrate')
    .description('apply pending migrations (they also run automatically on every start)')
    .addHelpText(
      'after',
      '\nExample:\n  $ encours db migrate --db postgres://postgres@127.0.0.1:5432/encours',
    )
    .action(
      action(async (_opts: unknown, cmd: Command) => {
        await withContext(cmd, async (ctx) => {
          process.stdout.write(
            `database at ${ctx.database.location} (${ctx.database.driver}) is up to date\n`,
          );
        });
      }),
    );
}
