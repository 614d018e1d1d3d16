import { isAbsolute, join, resolve } from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Command } from 'commander';
import type { ToolCaller } from '../../../tools/types.ts';
import { loadConfig } from '../../config.ts';
import type { Role } from '../../core/policy.ts';
import { isAppError } from '../../errors.ts';
import { createMcpServer } from '../../mcp/server.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';
import type { ServiceContext } from '../../services/context.ts';
import { getUserByName } from '../../services/users.ts';
import {
  action,
  cliActor,
  databaseTarget,
  type GlobalOptions,
  globals,
  printJson,
  withContext,
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
Identity: tool calls and audit entries are recorded as --as <user>, else cli:<your OS user>. A local
stdio user is trusted like the command line: a name found in \`encours users\` gets that role, any
other local user acts with the finance role.

Examples:
  $ encours mcp --print-config          entry to paste into claude_desktop_config.json
  $ encours --db ./data --as alice mcp  serve ./data as user alice`,
    )
    .action(
      action(async (opts: { printConfig?: boolean }, cmd: Command) => {
        if (opts.printConfig) {
          printJson(desktopConfig(globals(cmd)));
          return;
        }
        // Stray console output from any library would corrupt the protocol stream.
        console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);
        const log = (line: string) => process.stderr.write(`${line}\n`);
        await withContext(cmd, async (services) => {
          const caller = await stdioCaller(services, globals(cmd));
          const server = createMcpServer({ services, caller, log });
          const closed = new Promise<void>((done) => {
            server.server.onclose = () => done();
          });
          const stop = () => void server.close().catch(() => {});
          process.stdin.once('end', stop);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          await server.connect(new StdioServerTransport());
          log(
            `encours mcp: serving ${services.database.location} as ${caller.actor} (${caller.role}), policy ${services.policy.version}`,
          );
          await closed;
        });
      }),
    );
}

/** The local user: a known user keeps its role; anyone else is trusted like the CLI (finance). */
export async function stdioCaller(services: ServiceContext, opts: GlobalOptions): Promise<ToolCaller> {
  const actor = cliActor(opts);
  try {
    const user = await getUserByName(services, actor);
    return { actor, role: user.role as Role, channel: 'mcp-stdio' };
  } catch (e) {
    if (!isAppError(e) || e.code !== 'NOT_FOUND') throw e;
    return { actor, role: 'finance', channel: 'mcp-stdio' };
  }
}

/**
 * The `mcpServers` entry for Claude Desktop. It starts node directly with absolute paths, and pins
 * the database and policy with absolute locations: Claude Desktop does not start servers from this
 * directory.
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
  const args = [BIN, ...(opts.as ? ['--as', opts.as] : []), 'mcp'];
  return { mcpServers: { encours: { command: process.execPath, args, env } } };
}
