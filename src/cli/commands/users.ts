import type { Command } from 'commander';
import { ROLES } from '../../core/policy.ts';
import { AppError } from '../../errors.ts';
import { addUser, linkSlackUser } from '../../services/users.ts';
import { action, cliActor, globals, printJson, withContext } from '../runtime.ts';

export function registerUsersCommands(program: Command): void {
  const users = program.command('users');
  users
    .command('add')
    .description('add a user and print their access token (shown once)')
    .option('--name <name>', 'user name, as given to --by and recorded in the audit log (required)')
    .option('--role <role>', `${ROLES.join(' | ')} (required)`)
    .option('--slack-id <id>', 'their Slack member id (U...), to recognise them in Slack')
    .option('--email <email>', 'their email address')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `\nRoles and what they may decide come from the policy (approvals).\n\nExamples:\n  $ encours users add --name fiona --role finance\n  $ encours users add --name sam --role sales --slack-id U012AB3CD --json`,
    )
    .action(
      action(
        async (
          opts: { name?: string; role?: string; slackId?: string; email?: string; json?: boolean },
          cmd: Command,
        ) => {
          if (!opts.name)
            throw new AppError('INVALID_INPUT', '--name: required', undefined, 'e.g. --name fiona');
          if (!opts.role)
            throw new AppError(
              'INVALID_INPUT',
              `--role: required (${ROLES.join(', ')})`,
              undefined,
              'e.g. --role finance',
            );
          const { user, token } = await withContext(cmd, (ctx) =>
            addUser(
              ctx,
              {
                name: opts.name!,
                role: opts.role!,
                slackId: opts.slackId ?? null,
                email: opts.email ?? null,
              },
              cliActor(globals(cmd)),
            ),
          );
          if (opts.json) {
            printJson({ name: user.name, role: user.role, slackId: user.slackId, email: user.email, token });
            return;
          }
          process.stdout.write(
            `User ${user.name} (${user.role}) added.\nAccess token (shown once, keep it safe): ${token}\n`,
          );
        },
      ),
    );
  users
    .command('link')
    .description('link a user to their Slack member id, so Slack recognises them (or --unlink)')
    .option('--name <name>', 'the encours user (required)')
    .option('--slack-id <id>', 'their Slack member id (U...): profile, "..." menu, "Copy member ID"')
    .option('--unlink', 'remove the link: in Slack they ask as a viewer again')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `\nA Slack member without a linked user may ask questions but never request or decide.\n\nExamples:\n  $ encours users link --name sam --slack-id U012AB3CD\n  $ encours users link --name sam --unlink`,
    )
    .action(
      action(
        async (opts: { name?: string; slackId?: string; unlink?: boolean; json?: boolean }, cmd: Command) => {
          if (!opts.name)
            throw new AppError('INVALID_INPUT', '--name: required', undefined, 'e.g. --name sam');
          if (!opts.slackId && !opts.unlink)
            throw new AppError(
              'INVALID_INPUT',
              '--slack-id: required (or --unlink)',
              undefined,
              'e.g. --slack-id U012AB3CD',
            );
          const user = await withContext(cmd, (ctx) =>
            linkSlackUser(
              ctx,
              { name: opts.name!, slackId: opts.unlink ? null : opts.slackId! },
              cliActor(globals(cmd)),
            ),
          );
          if (opts.json) printJson({ name: user.name, role: user.role, slackId: user.slackId });
          else
            process.stdout.write(
              user.slackId
                ? `User ${user.name} (${user.role}) is Slack member ${user.slackId}.\n`
                : `User ${user.name} is no longer linked to Slack.\n`,
            );
        },
      ),
    );
}
