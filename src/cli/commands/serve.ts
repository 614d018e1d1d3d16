import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { createApp } from '../../http/app.ts';
import { originPolicy } from '../../http/origin.ts';
import { startSending } from '../../services/reminder-sender.ts';
import { action, intOption, withRuntime } from '../runtime.ts';

/** How long a stopping server waits for requests in flight before closing their connections. */
const STOP_GRACE_MS = 10_000;

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .option('--port <port>', 'port to listen on (default PORT or 3000)')
    .option('--host <host>', 'address to bind (default HOST or 127.0.0.1)')
    .option('--no-send', 'do not send approved reminders from this process')
    .addHelpText(
      'after',
      `
Pages: http://127.0.0.1:3000/ (sign in with a password set by \`encours users passwd <name>\`).
API: /api (OpenAPI at /api/openapi.json), MCP: /mcp, both with "Authorization: Bearer <token>"
(\`encours users add --name N --role R\` prints one). Health: /health, readiness: /ready.
Approved reminders go out by SMTP (SMTP_URL, ENCOURS_MAIL_FROM) or, without SMTP_URL, are written
as .eml files to the outbox directory. Browsers may only call it from localhost or an origin listed
in ENCOURS_ALLOWED_ORIGINS (comma-separated).
With SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET set, Slack's requests are served at /slack/events
(README, "Slack"); for Socket Mode instead, run \`encours slack\`.

Examples:
  $ encours serve --port 3000
  $ SMTP_URL=smtp://user:pass@smtp.example.com:587 ENCOURS_MAIL_FROM="Acme Compta <compta@acme.fr>" encours serve
  $ ENCOURS_ALLOWED_ORIGINS=https://encours.example.com encours serve --host 0.0.0.0`,
    )
    .action(
      action(async (opts: { port?: string; host?: string; send: boolean }, cmd: Command) => {
        await withRuntime(cmd, async (runtime) => {
          const { services, mailer } = runtime;
          const port = intOption('--port', opts.port, 0) ?? services.config.PORT;
          const hostname = opts.host ?? services.config.HOST;
          const log = (line: string) => process.stderr.write(`${line}\n`);
          const c = services.config;
          // bolt is loaded only when Slack is configured: it is the heaviest import of the server.
          const slack =
            c.SLACK_BOT_TOKEN && c.SLACK_SIGNING_SECRET
              ? (await import('../../slack/app.ts')).createSlackApp({ runtime, transport: 'http', log })
              : undefined;
          await slack?.start();
          const app = createApp({
            ...(slack ? { slackEvents: slack.handle } : {}),
            runtime,
            origins: originPolicy(
              services.config.ENCOURS_ALLOWED_ORIGINS,
              services.config.ENCOURS_PUBLIC_URL,
            ),
            log,
          });
          const sender = opts.send
            ? startSending(
                services,
                { mailer },
                { intervalSeconds: services.config.ENCOURS_SEND_INTERVAL, log },
              )
            : null;
          try {
            await new Promise<void>((done, fail) => {
              const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
                const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
                process.stdout.write(
                  `encours: listening on http://${host}:${info.port} (pages at /, API at /api, MCP at /mcp)\n` +
                    `encours: approved reminders ${mailer.kind === 'smtp' ? `go out by SMTP via ${mailer.target}` : `are written to ${mailer.target} (no SMTP_URL)`}${sender ? '' : '; sending is off in this process (--no-send)'}\n`,
                );
                process.stdout.write(
                  slack
                    ? `encours: Slack events at /slack/events (finance channel: ${services.config.ENCOURS_SLACK_FINANCE_CHANNEL ?? 'not set'})\n`
                    : 'encours: Slack off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to serve /slack/events)\n',
                );
              });
              server.once('error', fail);
              // Stop taking requests, let those in flight finish (keep-alive sockets would hold
              // close() open for ever), and cut what is still open after a grace period.
              const stop = () => {
                server.close(() => void (slack?.stop() ?? Promise.resolve()).finally(done));
                if ('closeIdleConnections' in server) {
                  server.closeIdleConnections();
                  setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS).unref();
                }
                // Last resort: a stop that is still waiting (e.g. on queries queued by a flood of
                // requests) must not leave the process running; open transactions roll back.
                setTimeout(() => {
                  log('encours: stopping took too long; exiting');
                  process.exit(0);
                }, 3 * STOP_GRACE_MS).unref();
              };
              process.once('SIGINT', stop);
              process.once('SIGTERM', stop);
            });
          } finally {
            await sender?.stop();
          }
        });
      }),
    );
}
