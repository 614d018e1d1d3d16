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
          const app = createApp({
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
            });
            server.once('error', fail);
            const stop = () => server.close(() => done());
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
          });
        });
      }),
    );
}
