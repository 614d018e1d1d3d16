import type { Command } from 'commander';
import { stringify } from 'yaml';
import { loadConfig } from '../../config.ts';
import { loadPolicy } from '../../services/policy.ts';
import { action, printJson } from '../runtime.ts';

export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy');
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
        const loaded = loadPolicy(loadConfig().ENCOURS_POLICY);
        if (opts.json) printJson({ version: loaded.version, source: loaded.source, policy: loaded.policy });
        else
          process.stdout.write(`# ${loaded.source}, version ${loaded.version}\n${stringify(loaded.policy)}`);
      }),
    );
}
