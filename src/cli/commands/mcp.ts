import { isAbsolute, join, resolve } from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { createMcpServer } from '../../mcp/server.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';
import { assertHasData } from '../../services/clients.ts';
import {
  action,
  cliToken,
  databaseTarget,
  type GlobalOptions,
  globals,
  printJson,
  withRuntime,
} from '../runtime.ts';

const BIN = join(PACKAGE_ROOT, 'bin', 'encours.js');

export function registerMcpCommands(program: Command): void {
  program
    .command('mcp')
    .option('--print-config', 'print the claude_desktop_config.json entry for this install and exit')
    .addHelpText(
      'after',
      `
Only MCP messages go to stdout; diagnostics go to stderr.
Identity: the server acts as the user of ENCOURS_TOKEN (or --token), with that user's role, and
records every tool call and audit entry as that user on the mcp-stdio channel. Without a token it
is read-only (viewer). --print-config puts the token in the Claude Desktop entry.

Examples:
  $ encours mcp --print-config --token enc_...   entry to paste into claude_desktop_config.json
  $ encours --db ./data --token enc_... mcp            serve ./data as the user of that token`,
    )
    .action(
      action(async (opts: { printConfig?: boolean }, cmd: Command) => {
        if (opts.printConfig) {
          // Claude Desktop would otherwise be given an empty (or mistyped) database, or a token
          // of nobody: both are said here, where they can be fixed.
          await withRuntime(cmd, (runtime) => assertHasData(runtime.services.db));
          const config = desktopConfig(globals(cmd));
          printJson(config);
          if (!config.mcpServers.encours.env.ENCOURS_TOKEN)
            process.stderr.write(
              'encours: no ENCOURS_TOKEN (or --token): this server would be read-only; add the token of your user\n',
            );
          return;
        }
        // Stray console output from any library would corrupt the protocol stream.
        console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);
        const log = (line: string) => process.stderr.write(`${line}\n`);
        await withRuntime(
          cmd,
          async (runtime, caller) => {
            const services = runtime.services;
            const server = createMcpServer({ runtime, caller, log });
            const closed = new Promise<void>((done) => {
              server.server.onclose = () => done();
            });
            const stop = () => void server.close().catch(() => {});
            process.stdin.once('end', stop);
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
            await server.connect(new StdioServerTransport());
            log(
              `encours mcp: serving ${services.database.location} as ${caller.user} (${caller.role}${caller.verified ? '' : ', read-only: no ENCOURS_TOKEN'}), policy ${services.policy.version}`,
            );
            await closed;
          },
          'mcp-stdio',
        );
      }),
    );
}

/**
 * The `mcpServers` entry for Claude Desktop. It starts node directly with absolute paths, pins the
 * database and policy with absolute locations (Claude Desktop does not start servers from this
 * directory), and carries the token of the user the server acts as.
 */
export function desktopConfig(opts: GlobalOptions) {
  const config = loadConfig();
  const target = databaseTarget(config, opts);
  const isUrl = /^postgres(ql)?:\/\//.test(target);
  const env: Record<string, string> = isUrl
    ? { DATABASE_URL: target }
    : { ENCOURS_DATA_DIR: isAbsolute(target) ? target : resolve(target) };
  if (config.ENCOURS_POLICY) env.ENCOURS_POLICY = resolve(config.ENCOURS_POLICY);
  if (config.ENCOURS_AS_OF) env.ENCOURS_AS_OF = config.ENCOURS_AS_OF;
  // The server acts as this user: the token is the identity, as on the command line.
  const token = cliToken(config, opts);
  if (token) env.ENCOURS_TOKEN = token;
  const args = [BIN, 'mcp'];
  return { mcpServers: { encours: { command: process.execPath, args, env } } };
}
