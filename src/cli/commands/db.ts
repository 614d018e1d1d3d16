import type { Command } from 'commander';
import { stringify } from 'yaml';
import { action, printJson, withContext } from '../runtime.ts';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database maintenance');
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

  const policy = program.command('policy').description('the credit policy in force');
  policy
    .command('show')
    .description('print the policy in force (built-in default unless ENCOURS_POLICY names a file)')
    .option('--json', 'print JSON instead of YAML')
    .addHelpText(
      'after',
      '\nExamples:\n  $ encours policy show > my-policy.yaml\n  $ ENCOURS_POLICY=my-policy.yaml encours policy show --json',
    )
    .action(
      action(async (opts: { json?: boolean }) => {
        const { loadConfig } = await import('../../config.ts');
        const { loadPolicy } = await import('../../services/policy.ts');
        const loaded = loadPolicy(loadConfig().ENCOURS_POLICY);
        if (opts.json) printJson({ version: loaded.version, source: loaded.source, policy: loaded.policy });
        else
          process.stdout.write(`# ${loaded.source}, version ${loaded.version}\n${stringify(loaded.policy)}`);
      }),
    );
}
