import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_LOG, socketPathFor, stopEmbeddedServer } from '../src/db/embedded-client.ts';
import { isAlive, lockHolder } from '../src/db/lock.ts';
import { openDatabase } from '../src/db/open.ts';
import { REPO_ROOT, runCli, spawnServe } from './support/cli.ts';
import { BASE_FILES, writeFixture } from './support/import-fixtures.ts';

/**
 * Several encours processes on one embedded data directory at once, as the product is used: Claude
 * Desktop's `encours mcp`, `encours serve` and CLI commands. Each gets the same data, with real
 * transactions, through the directory's database server.
 */
const BIN = join(REPO_ROOT, 'bin', 'encours.js');
const AS_OF = '2026-06-30';
const root = mkdtempSync(join(tmpdir(), 'encours-shared-'));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  for (const dir of ['race', 'killed', 'handover', 'idle', 'product'])
    await stopEmbeddedServer(join(root, dir)).catch(() => {});
  rmSync(root, { recursive: true, force: true });
});

const until = async (what: string, check: () => boolean, ms = 60_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const serverStarts = (dir: string) =>
  (readFileSync(join(dir, SERVER_LOG), 'utf8').match(/\] serving /g) ?? []).length;

describe('one embedded data directory, several processes', () => {
  it('lets commands started at the same moment on a new directory all run, on one server', async () => {
    const dir = join(root, 'race');
    const runs = await Promise.all(
      // A read that needs no imported data (a client list on an empty directory says "no data").
      [1, 2, 3, 4].map(() => runCli(['audit', 'log', '--db', dir, '--json'])),
    );
    for (const r of runs) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([]);
    }
    expect(lockHolder(dir)).not.toBeNull();
    expect(serverStarts(dir)).toBe(1);
  });

  it('replaces a server killed with SIGKILL, taking over its stale socket and lock', async () => {
    const dir = join(root, 'killed');
    expect((await runCli(['import', writeFixture(BASE_FILES), '--db', dir])).code).toBe(0);
    const first = lockHolder(dir)!;
    process.kill(first, 'SIGKILL');
    await until('the server to die', () => !isAlive(first));
    expect(existsSync(socketPathFor(dir))).toBe(true); // left behind
    const r = await runCli(['invoices', 'list', '--db', dir, '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toHaveLength(4);
    const second = lockHolder(dir);
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
  });

  it('hands over: a connected client carries on after its server stops, on a server it starts', async () => {
    const dir = join(root, 'handover');
    const database = await openDatabase(dir);
    try {
      await database.db.execute(sql`create table kept (n int)`);
      await database.db.execute(sql`insert into kept values (1)`);
      const first = lockHolder(dir)!;
      await stopEmbeddedServer(dir); // SIGTERM: the server drains and closes
      await database.db.execute(sql`insert into kept values (2)`);
      const rows = (await database.db.execute(sql`select n from kept order by n`)) as unknown as {
        n: number;
      }[];
      expect(rows.map((r) => r.n)).toEqual([1, 2]);
      expect(lockHolder(dir)).not.toBe(first);
    } finally {
      await database.close();
    }
  });

  it('keeps its server up while a client is connected, which stops once idle', async () => {
    const dir = join(root, 'idle');
    const database = await openDatabase(dir, { idleSeconds: 1 });
    const pid = lockHolder(dir)!;
    await new Promise((r) => setTimeout(r, 2500));
    expect(isAlive(pid)).toBe(true);
    await database.close();
    await until('the idle server to stop', () => !isAlive(pid));
    expect(lockHolder(dir)).toBeNull();
    expect(existsSync(socketPathFor(dir))).toBe(false);
  });

  it('serves encours serve, the stdio MCP server and CLI commands at once; a concurrent import and approval keep every invariant', async () => {
    const dir = join(root, 'product');
    const env = { ENCOURS_DATA_DIR: dir, ENCOURS_AS_OF: AS_OF };
    const cli = async (...args: string[]) => {
      const r = await runCli(args, { env });
      if (r.code !== 0) throw new Error(`encours ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return r.stdout;
    };
    await cli('demo', '--clients', '40', '--as-of', AS_OF);
    // The first admin needs no token; its token then approves (admins may review reminders).
    const { token } = JSON.parse(await cli('users', 'add', '--name', 'ada', '--role', 'admin', '--json')) as {
      token: string;
    };
    const drafts = JSON.parse(await cli('reminders', 'draft', '--json')) as {
      drafts: { id: string; status: string }[];
    };
    const draft = drafts.drafts.find((d) => d.status === 'draft');
    expect(draft).toBeDefined();
    const invoicesBefore = (JSON.parse(await cli('invoices', 'list', '--json')) as unknown[]).length;

    // encours serve on the default data directory (ENCOURS_DATA_DIR), on a free port.
    const serve = await spawnServe([], env);
    const port = Number(new URL(serve.url).port);

    // Claude Desktop's way in: the stdio MCP server, through the SDK's own client.
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stderr: 'ignore',
    });
    const mcp = new Client({ name: 'shared-database-test', version: '1' });
    await mcp.connect(transport);
    try {
      const tool = async (name: string, args: Record<string, unknown>) => {
        const r = (await mcp.callTool({ name, arguments: args })) as CallToolResult;
        expect(r.isError, `${name}: ${JSON.stringify(r.content)}`).toBeFalsy();
        return r.structuredContent as Record<string, unknown>;
      };
      const fixtures = writeFixture(BASE_FILES);
      const [imported, approved, scores, aging, terms, health] = await Promise.all([
        cli('import', fixtures, '--json'),
        cli('reminders', 'approve', draft!.id, '--token', token, '--json'),
        cli('score', '--json'),
        tool('get-aging', {}),
        tool('evaluate-terms-request', { client: 'C0001', days: 45 }),
        fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status),
      ]);
      expect(JSON.parse(imported).totals.inserted).toBe(22);
      expect(JSON.parse(approved).status).toBe('approved');
      expect((JSON.parse(scores) as unknown[]).length).toBeGreaterThanOrEqual(40);
      expect(aging.totals).toBeDefined();
      expect(terms.decision).toMatch(/^(approve|approve_with_conditions|needs_approval|decline)$/);
      expect(health).toBe(200);

      // Every process sees the same, complete data: nothing lost, nothing half-written.
      const afterMcp = await tool('list-overdue-invoices', {});
      expect(afterMcp).toBeDefined();
      const invoicesAfter = JSON.parse(await cli('invoices', 'list', '--json')) as { ref: string }[];
      expect(invoicesAfter.length).toBe(invoicesBefore + 4);
      const log = JSON.parse(await cli('audit', 'log', '--limit', '500', '--json')) as { action: string }[];
      expect(log.filter((e) => e.action === 'import.run').length).toBe(2);
      expect(log.filter((e) => e.action === 'reminder.approved').length).toBe(1);
      const verify = await runCli(['audit', 'verify'], { env });
      expect(verify.stderr).toBe('');
      expect(verify.code).toBe(0);
    } finally {
      await mcp.close();
      await serve.stop();
    }
  });
});
