import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { action, databaseTarget, globals, withContext } from '../runtime.ts';

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
  db.command('stop')
    .description("stop the embedded database's background server (clients start it again when needed)")
    .addHelpText(
      'after',
      `
Every encours process using an embedded directory reaches it through one background server, which
starts on demand and stops by itself ENCOURS_DB_IDLE_SECONDS (default 60) after its last client.
Stop it by hand before copying or moving the directory.

Example:
  $ encours db stop --db ./data`,
    )
    .action(
      action(async (_opts: unknown, cmd: Command) => {
        const target = databaseTarget(loadConfig(), globals(cmd));
        if (/^postgres(ql)?:\/\//.test(target)) {
          process.stdout.write('nothing to stop: the database is a PostgreSQL server\n');
          return;
        }
        const { stopEmbeddedServer } = await import('../../db/embedded-client.ts');
        const pid = await stopEmbeddedServer(resolve(target));
        process.stdout.write(
          pid === null
            ? `no database server runs for ${resolve(target)}\n`
            : `stopped the database server of ${resolve(target)} (pid ${pid})\n`,
        );
      }),
    );
}
