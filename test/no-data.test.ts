import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.ts';

/**
 * A command or MCP server pointed at a directory with no data says so, naming the directory, instead
 * of reporting DSO 0 and EUR 0 as facts.
 */
const root = mkdtempSync(join(tmpdir(), 'encours-empty-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('an empty data directory', () => {
  const dir = join(root, 'data');
  const env = { ENCOURS_DATA_DIR: dir, ENCOURS_AS_OF: '2026-11-23' };

  it('read commands say no data was imported there and how to fix it, with a non-zero exit', async () => {
    for (const args of [['kpis'], ['aging', '--json'], ['score'], ['terms', 'Dupont', '--days', '60']]) {
      const r = await runCli(args, { env });
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`no data imported in ${dir}`);
      expect(r.stderr).toMatch(/encours import FOLDER.*encours demo/);
    }
  });

  it('mcp --print-config refuses a directory that holds no data, printing no entry', async () => {
    const r = await runCli(['mcp', '--print-config'], { env });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`no data imported in ${dir}`);
  });

  it('the stdio MCP server answers isError naming the directory, for portfolio and client tools', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(REPO_ROOT, 'bin', 'encours.js'), 'mcp'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'no-data-test', version: '1' });
    await client.connect(transport);
    try {
      for (const [name, args] of [
        ['get-kpis', {}],
        ['get-aging', {}],
        ['get-client-score', { client: 'Dupont BTP' }],
        ['find-client', { query: 'Dupont' }],
      ] as const) {
        const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
        expect(r.isError, name).toBe(true);
        const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
        expect(text, name).toContain(`NO_DATA: no data imported in ${dir}`);
      }
    } finally {
      await client.close();
    }
  });
});
