import type { Command } from 'commander';
import { ROLES } from '../../core/policy.ts';
import { AppError } from '../../errors.ts';
import { setPassword } from '../../services/passwords.ts';
import { addUser, linkSlackUser } from '../../services/users.ts';
import { action, printJson, withContext } from '../runtime.ts';

export function registerUsersCommands(program: Command): void {
  const users = program.command('users');
  users
    .command('add')
    .description('add a user and print their access token (shown once)')
    .option('--name <name>', 'user name, recorded in the audit log with what they do (required)')
    .option('--role <role>', `${ROLES.join(' | ')} (required)`)
    .option('--slack-id <id>', 'their Slack member id (U...), to recognise them in Slack')
    .option('--email <email>', 'their email address')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Roles and what they may decide come from the policy (approvals). The token printed is how the user
proves who they are: ENCOURS_TOKEN or --token on the command line and in Claude Desktop, a bearer
token on the API and /mcp.

Only an admin adds users (ENCOURS_TOKEN or --token of an admin). The first admin is the exception:
while no admin exists, \`users add --role admin\` works without a token.

Examples:
  $ encours users add --name alice --role admin            the first admin, no token needed
  $ encours users add --name fiona --role finance --token enc_...
  $ encours users add --name sam --role sales --slack-id U012AB3CD --json --token enc_...`,
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
          const { user, token, bootstrap } = await withContext(cmd, (ctx, caller) =>
            addUser(
              ctx,
              {
                name: opts.name!,
                role: opts.role!,
                slackId: opts.slackId ?? null,
                email: opts.email ?? null,
              },
              caller,
            ),
          );
          if (opts.json) {
            printJson({ name: user.name, role: user.role, slackId: user.slackId, email: user.email, token });
            return;
          }
          process.stdout.write(
            `User ${user.name} (${user.role}) added.\nAccess token (shown once, keep it safe): ${token}\n` +
              (bootstrap
                ? `This is the first admin: from now on, only an admin token adds users, e.g.\n  ENCOURS_TOKEN=${token} encours users add --name N --role finance\n`
                : ''),
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
      `\nA Slack member without a linked user may ask questions but never request or decide. Needs an\nadmin token (ENCOURS_TOKEN or --token).\n\nExamples:\n  $ encours users link --name sam --slack-id U012AB3CD\n  $ encours users link --name sam --unlink`,
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
          const user = await withContext(cmd, (ctx, caller) =>
            linkSlackUser(ctx, { name: opts.name!, slackId: opts.unlink ? null : opts.slackId! }, caller),
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

  users
    .command('passwd')
    .description('set the password a user signs in with on the web pages')
    .argument('<name>', 'the user')
    .option('--password-stdin', 'read the password from standard input (for scripts) instead of asking')
    .addHelpText(
      'after',
      `
The password is hashed with Argon2id; only the hash is stored. At least 12 characters. An admin
sets anyone's password, a user their own (ENCOURS_TOKEN or --token says who you are).

Examples:
  $ encours users passwd fiona
  $ printf '%s\n' "$PASSWORD" | encours users passwd fiona --password-stdin`,
    )
    .action(
      action(async (name: string, opts: { passwordStdin?: boolean }, cmd: Command) => {
        const password =
          opts.passwordStdin || !process.stdin.isTTY ? await readStdinLine() : await askTwice();
        await withContext(cmd, (ctx, caller) => setPassword(ctx, name, password, caller));
        process.stdout.write(`Password set for ${name}: they can sign in on the web pages.\n`);
      }),
    );
}

async function readStdinLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.split(/\r?\n/)[0] ?? '';
}

/** Asks on the terminal without echoing, twice, and checks both answers match. */
async function askTwice(): Promise<string> {
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      process.stdout.write(prompt);
      const stdin = process.stdin;
      stdin.setRawMode(true);
      stdin.resume();
      let value = '';
      const onData = (buf: Buffer) => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            process.stdout.write('\n');
            resolve(value);
            return;
          }
          if (ch === '\u0003') process.exit(130);
          value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
        }
      };
      stdin.on('data', onData);
    });
  const first = await ask('New password: ');
  const second = await ask('Again: ');
  if (first !== second)
    throw new AppError('INVALID_INPUT', 'password: the two entries differ', { field: 'password' });
  return first;
}
