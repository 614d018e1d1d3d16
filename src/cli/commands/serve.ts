import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { createApp } from '../../http/app.ts';
import { originPolicy } from '../../http/origin.ts';
import { action, intOption, withContext } from '../runtime.ts';

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .option('--port <port>', 'port to listen on (default PORT or 3000)')
    .option('--host <host>', 'address to bind (default HOST or 127.0.0.1)')
    .addHelpText(
      'after',
      `
/mcp requires "Authorization: Bearer <token>" (\`encours users add --name N --role R\` prints one).
Browsers may only call it from localhost or an origin listed in ENCOURS_ALLOWED_ORIGINS (comma-separated).
With SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET set, Slack's requests are served at /slack/events
(README, "Slack"); for Socket Mode instead, run \`encours slack\`.

Examples:
  $ encours serve --port 3000
  $ ENCOURS_ALLOWED_ORIGINS=https://encours.example.com encours serve --host 0.0.0.0`,
    )
    .action(
      action(async (opts: { port?: string; host?: string }, cmd: Command) => {
        await withContext(cmd, async (services) => {
          const port = intOption('--port', opts.port, 0) ?? services.config.PORT;
          const hostname = opts.host ?? services.config.HOST;
          const log = (line: string) => process.stderr.write(`${line}\n`);
          const c = services.config;
          // bolt is loaded only when Slack is configured: it is the heaviest import of the server.
          const slack =
            c.SLACK_BOT_TOKEN && c.SLACK_SIGNING_SECRET
              ? (await import('../../slack/app.ts')).createSlackApp({ services, transport: 'http', log })
              : undefined;
          await slack?.start();
          const app = createApp({
            ...(slack ? { slackEvents: slack.handle } : {}),
            services,
            origins: originPolicy(
              services.config.ENCOURS_ALLOWED_ORIGINS,
              services.config.ENCOURS_PUBLIC_URL,
            ),
            log,
          });
          await new Promise<void>((done, fail) => {
            const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
              const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
              process.stdout.write(`encours: listening on http://${host}:${info.port} (MCP at /mcp)\n`);
              process.stdout.write(
                slack
                  ? `encours: Slack events at /slack/events (finance channel: ${services.config.ENCOURS_SLACK_FINANCE_CHANNEL ?? 'not set'})\n`
                  : 'encours: Slack off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to serve /slack/events)\n',
              );
            });
            server.once('error', fail);
            const stop = () => server.close(() => void (slack?.stop() ?? Promise.resolve()).finally(done));
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
          });
        });
      }),
    );
}
