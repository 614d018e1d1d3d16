import type { Command } from 'commander';
import { AppError } from '../../errors.ts';
import { action, withRuntime } from '../runtime.ts';

export function registerSlackCommands(program: Command): void {
  program
    .command('slack')
    .addHelpText(
      'after',
      `
Needs SLACK_BOT_TOKEN (xoxb-...) and SLACK_APP_TOKEN (xapp-..., with connections:write), and Socket
Mode turned on in the app settings. ENCOURS_SLACK_FINANCE_CHANNEL is where approval requests and the
daily digest go. To receive Slack over HTTP instead, set SLACK_SIGNING_SECRET and run \`encours serve\`.

Example:
  $ SLACK_BOT_TOKEN=xoxb-... SLACK_APP_TOKEN=xapp-... ENCOURS_SLACK_FINANCE_CHANNEL=C0123ABCD encours slack`,
    )
    .action(
      action(async (_opts: unknown, cmd: Command) => {
        await withRuntime(cmd, async (runtime) => {
          const { services } = runtime;
          if (!services.config.SLACK_BOT_TOKEN || !services.config.SLACK_APP_TOKEN)
            throw new AppError(
              'INVALID_CONFIG',
              'Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN',
              undefined,
              'see README, "Slack": create the app from manifest.json, then an app-level token',
            );
          const log = (line: string) => process.stderr.write(`${line}\n`);
          // Loaded here, not at start-up: every other command stays free of bolt's import cost.
          const { createSlackApp } = await import('../../slack/app.ts');
          const slack = createSlackApp({ runtime, transport: 'socket', log });
          await slack.start();
          process.stdout.write(
            `encours: Slack app connected in Socket Mode (finance channel: ${services.config.ENCOURS_SLACK_FINANCE_CHANNEL ?? 'not set'})\n`,
          );
          await new Promise<void>((done) => {
            const stop = () => void slack.stop().finally(done);
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
          });
        });
      }),
    );
}
