import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.ts';
import { listAudit } from '../src/services/audit.ts';
import { addUser } from '../src/services/users.ts';
import { tools } from '../tools/index.ts';
import { exerciseAllTools, seedPortfolio } from './mcp-fixtures.ts';
import { runCli } from './support/cli.ts';
import { TEST_ADMIN, testContext } from './support/context.ts';
import { DRIVERS, freshPostgresUrl } from './support/databases.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'encours.js');

describe.each(DRIVERS)('encours mcp over spawned stdio on %s', (driver) => {
  let target: string;
  let cleanup: () => Promise<void>;
  let client: Client;
  let transport: StdioClientTransport;
  let stderr = '';
  const transportErrors: Error[] = [];
  let doraToken = '';

  beforeAll(async () => {
    if (driver === 'pglite') {
      const dir = mkdtempSync(join(tmpdir(), 'encours-mcp-'));
      target = join(dir, 'data');
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const pg = await freshPostgresUrl();
      target = pg.url;
      cleanup = pg.drop;
    }
    const database = await openDatabase(target);
    await seedPortfolio(database.db);
    const { token } = await addUser(testContext(database), { name: 'dora', role: 'finance' }, TEST_ADMIN);
    doraToken = token;
    await database.close();

    // As Claude Desktop starts it: the entry's ENCOURS_TOKEN says who the server acts as.
    transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--db', target],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        ENCOURS_AS_OF: '2026-11-23',
        ENCOURS_TOKEN: token,
      },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d) => {
      stderr += d;
    });
    client = new Client({ name: 'stdio-test', version: '1' });
    client.onerror = (e) => transportErrors.push(e);
    await client.connect(transport);
  });
  afterAll(async () => {
    await client?.close();
    await cleanup?.();
  });

  it('lists tools, resources and prompts', async () => {
    const { tools: listed } = await client.listTools();
    expect(listed.map((t) => t.name).sort()).toEqual(tools.map((t) => t.name).sort());
    expect((await client.listResources()).resources.length).toBeGreaterThanOrEqual(2);
    expect((await client.listPrompts()).prompts.length).toBe(3);
  });

  it('calls every tool with valid input and validates structuredContent', async () => {
    expect(await exerciseAllTools(client)).toEqual({});
  });

  it('reports bad input as isError naming the field, and keeps serving', async () => {
    const bad = (await client.callTool({
      name: 'get-dispute-file',
      arguments: { invoiceRef: '' },
    })) as CallToolResult;
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toMatch(/invoiceRef: expected an invoice ref/);
    const missing = (await client.callTool({
      name: 'get-dispute-file',
      arguments: { invoiceRef: 'NOPE-1' },
    })) as CallToolResult;
    expect(JSON.stringify(missing.content)).toMatch(/no invoice with ref \\"NOPE-1\\"/);
    expect(JSON.stringify(missing.content)).not.toMatch(/at .*\.ts:\d+/);
    await client.ping();
  });

  it('writes only protocol to stdout and diagnostics to stderr, with the token identity', async () => {
    expect(transportErrors).toEqual([]);
    expect(stderr).toMatch(/encours mcp: serving .* as dora \(finance\)/);
  });

  it('records side effects under the stdio identity', async () => {
    await client.close();
    const database = await openDatabase(target);
    try {
      const audit = (await listAudit(database.db, { limit: 20 })).filter((a) => a.action !== 'user.created');
      expect(audit.length).toBeGreaterThan(0);
      expect(new Set(audit.map((a) => `${a.actor} ${a.channel}`))).toEqual(new Set(['dora mcp-stdio']));
    } finally {
      await database.close();
    }
  });
  it('prints a Claude Desktop entry with absolute paths and the token of the user it acts as', async () => {
    // A relative --db becomes absolute in the entry: Claude Desktop starts servers elsewhere.
    const pglite = driver === 'pglite';
    const args = ['--db', pglite ? basename(target) : target, 'mcp', '--print-config'];
    const cwd = pglite ? dirname(target) : tmpdir();
    const out = await runCli(args, { cwd, env: { ENCOURS_TOKEN: doraToken } });
    expect(out.code, out.stderr).toBe(0);
    const entry = JSON.parse(out.stdout).mcpServers.encours;
    expect(entry.command).toBe(process.execPath);
    expect(entry.args).toEqual([BIN, 'mcp']);
    expect(entry.env).toEqual({
      ...(pglite ? { ENCOURS_DATA_DIR: target } : { DATABASE_URL: target }),
      ENCOURS_TOKEN: doraToken,
    });
    const anonymous = await runCli(args, { cwd });
    expect(JSON.parse(anonymous.stdout).mcpServers.encours.env.ENCOURS_TOKEN).toBeUndefined();
    expect(anonymous.stderr).toMatch(/no ENCOURS_TOKEN .* read-only/);
    // A token of nobody is refused here, not discovered later in Claude Desktop.
    const nobody = await runCli(args, { cwd, env: { ENCOURS_TOKEN: `enc_${'x'.repeat(32)}` } });
    expect(nobody.code).not.toBe(0);
    expect(nobody.stdout).toBe('');
  });
});
