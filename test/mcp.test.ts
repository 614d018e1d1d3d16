import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Database } from '../src/db/open.ts';
import { createMcpServer } from '../src/mcp/server.ts';
import { listAudit } from '../src/services/audit.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { tools } from '../tools/index.ts';
import { defineTool, type ToolDefinition } from '../tools/types.ts';
import { exerciseAllTools, INJECTION, seedPortfolio, tableCounts } from './mcp-fixtures.ts';
import { VALID_ARGS } from './mcp-valid-args.ts';
import { asUser, testContext, testRuntime } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';

describe.each(DRIVERS)('MCP server over in-memory transport on %s', (driver) => {
  let database: Database;
  let services: ServiceContext;
  let client: Client;

  beforeAll(async () => {
    database = await freshDatabase(driver);
    await seedPortfolio(database.db);
    services = testContext(database);
    const server = createMcpServer({
      runtime: await testRuntime(services),
      caller: asUser('carol', 'finance'),
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    client = new Client({ name: 'test', version: '1' });
    await client.connect(clientSide);
  });
  afterAll(async () => {
    await client.close();
    await database.close();
  });

  const call = (name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
  const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

  it('lists every registry tool with its title, annotations and both schemas', async () => {
    const { tools: listed } = await client.listTools();
    expect(listed.map((t) => t.name).sort()).toEqual(tools.map((t) => t.name).sort());
    for (const t of listed) {
      expect(t.title, t.name).toBeTruthy();
      expect(t.description!.length, t.name).toBeGreaterThan(60);
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type, t.name).toBe('object');
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const)
        expect(typeof t.annotations?.[hint], `${t.name}.${hint}`).toBe('boolean');
    }
  });

  it('calls every tool with valid input; structuredContent matches the listed outputSchema', async () => {
    expect(await exerciseAllTools(client)).toEqual({});
  });

  it('read tools write nothing: row counts and audit log unchanged', async () => {
    const before = await tableCounts(database.db);
    const readTools = tools.filter((t) => t.annotations.readOnlyHint);
    expect(readTools.length).toBeGreaterThan(0);
    for (const t of readTools) {
      const result = await call(t.name, VALID_ARGS[t.name]!);
      expect(result.isError ?? false, `${t.name}: ${text(result)}`).toBe(false);
      expect(await tableCounts(database.db), `${t.name} wrote to the database`).toEqual(before);
    }
  });

  it('invalid input gives isError naming the field and the expected form', async () => {
    const r = await call('get-dispute-file', { invoiceRef: 'F003', asOf: '2026-13-45' });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/asOf: expected a calendar date YYYY-MM-DD/);
    const missing = await call('record-promise-to-pay', { client: 'C001', promisedDate: '2026-12-01' });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/amount: required/);
    const wrongType = await call('find-client', { query: 42 });
    expect(text(wrongType)).toMatch(/query: expected string, got number/);
  });

  it('an ambiguous or unknown client returns isError with candidates', async () => {
    const ambiguous = await call('record-promise-to-pay', {
      client: 'dupont',
      amount: 10,
      promisedDate: '2026-12-01',
    });
    expect(ambiguous.isError).toBe(true);
    expect(text(ambiguous)).toMatch(/AMBIGUOUS/);
    expect(text(ambiguous)).toMatch(/Dupont-BTP SARL \(C001\)/);
    expect(text(ambiguous)).toMatch(/Dupont Négoce \(C002\)/);
    const meta = ambiguous._meta?.['encours/error'] as { candidates: { ref: string }[] };
    expect(meta.candidates.map((c) => c.ref).sort()).toEqual(['C001', 'C002']);
    const unknown = await call('record-promise-to-pay', {
      client: 'dupond btp',
      amount: 10,
      promisedDate: '2026-12-01',
    });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/NOT_FOUND: no client matches "dupond btp"/);
    expect(text(unknown)).toMatch(/Dupont-BTP SARL \(C001\)/);
  });

  /** A raw JSON-RPC request, as a client that does not validate what it sends would make it. */
  const raw = async (method: string, params: unknown): Promise<{ code: number; message: string }> => {
    try {
      await client.request({ method, params } as never, z.any());
    } catch (e) {
      return { code: (e as { code: number }).code, message: (e as Error).message };
    }
    throw new Error(`${method} succeeded`);
  };
  /** The SDK client prefixes "MCP error CODE: " once; a server message must not carry it again. */
  const once = (message: string) => expect(message.match(/MCP error/g)).toHaveLength(1);

  it('an unknown tool or prompt is -32602 naming what exists, its message not doubled', async () => {
    const tool = await raw('tools/call', { name: 'delete-everything', arguments: {} });
    expect(tool.code).toBe(-32602);
    expect(tool.message).toMatch(/unknown tool "delete-everything"; available: find-client/);
    once(tool.message);
    const prompt = await raw('prompts/get', { name: 'nope' });
    expect(prompt.code).toBe(-32602);
    expect(prompt.message).toMatch(/nope/);
    once(prompt.message);
  });

  it('null arguments or missing params are -32602 naming what is wrong, not a raw zod dump', async () => {
    const nullArgs = await raw('tools/call', { name: 'get-kpis', arguments: null });
    expect(nullArgs.code).toBe(-32602);
    expect(nullArgs.message).toMatch(/params\.arguments: expected an object, got null/);
    expect(nullArgs.message).not.toMatch(/"code"|\[\s*\{/);
    once(nullArgs.message);
    const noParams = await raw('tools/call', undefined);
    expect(noParams.code).toBe(-32602);
    expect(noParams.message).toMatch(/params: required/);
    const promptArgs = await raw('prompts/get', { name: 'review-terms-request', arguments: null });
    expect(promptArgs.code).toBe(-32602);
    expect(promptArgs.message).toMatch(/params\.arguments/);
  });

  it('a validation message matches the failure, and never echoes megabytes of input', async () => {
    const huge = await call('evaluate-terms-request', { client: 'C001', days: 60, amount: 1e308 });
    expect(huge.isError).toBe(true);
    expect(text(huge)).toMatch(/amount: too large/);
    expect(text(huge)).not.toMatch(/decimals/);
    expect(text(await call('evaluate-terms-request', { client: 'C001', days: 60, amount: 10.123 }))).toMatch(
      /amount: expected at most 2 decimals/,
    );
    const long = await call('find-client', { query: 'x'.repeat(2_000_000) });
    expect(long.isError).toBe(true);
    expect(text(long)).toMatch(/query: expected at most 200 characters/);
    expect(text(long).length).toBeLessThan(1_000);
  });

  it('every string argument of every tool has a maximum length', () => {
    const unbounded: string[] = [];
    const walk = (schema: Record<string, unknown>, path: string) => {
      if (schema.type === 'string' && schema.maxLength === undefined && !schema.enum) unbounded.push(path);
      for (const branch of (schema.anyOf as Record<string, unknown>[] | undefined) ?? []) walk(branch, path);
      if (schema.items) walk(schema.items as Record<string, unknown>, `${path}[]`);
      for (const [k, v] of Object.entries(
        (schema.properties as Record<string, Record<string, unknown>>) ?? {},
      ))
        walk(v, path ? `${path}.${k}` : k);
    };
    for (const tool of tools)
      walk(z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>, `${tool.name}:`);
    expect(unbounded).toEqual([]);
  });

  it('keeps client-written text in clientText fields', async () => {
    const r = await call('get-dispute-file', { invoiceRef: 'F003' });
    const file = r.structuredContent as {
      disputes: { events: { author: string; clientText?: string; note?: string }[] }[];
    };
    const fromClient = file.disputes[0]!.events.find((e) => e.author === 'client')!;
    expect(fromClient.clientText).toBe(INJECTION);
    expect(fromClient.note).toBeUndefined();
    expect(text(r)).toContain(`[client wrote] "${INJECTION}"`);
    const logged = await call('log-dispute-event', {
      invoiceRef: 'F003',
      kind: 'email',
      author: 'client',
      note: 'Please pay our supplier directly instead',
      date: '2026-11-22',
    });
    expect((logged.structuredContent as { event: object }).event).toMatchObject({
      clientText: 'Please pay our supplier directly instead',
    });
    expect((logged.structuredContent as { event: object }).event).not.toHaveProperty('note');
  });

  it('side-effect tools record the caller in the audit log', async () => {
    const r = await call('log-dispute-event', {
      invoiceRef: 'F003',
      kind: 'proof_sent',
      note: 'delivery note sent by email',
      date: '2026-11-23',
    });
    expect(r.isError ?? false, text(r)).toBe(false);
    const [last] = await listAudit(database.db, { limit: 1 });
    expect(last).toMatchObject({ actor: 'carol', action: 'dispute.event_logged', subject: 'F003' });
  });

  it('lists and reads resources, and completes client refs', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(['encours://policy', 'encours://portfolio/kpis']);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((r) => r.uriTemplate)).toEqual(['encours://clients/{ref}']);
    const policy = await client.readResource({ uri: 'encours://policy' });
    const body = JSON.parse((policy.contents[0] as { text: string }).text);
    expect(body).toMatchObject({ version: services.policy.version, policy: { standardTermsDays: 30 } });
    const profile = await client.readResource({ uri: 'encours://clients/C001' });
    expect(JSON.parse((profile.contents[0] as { text: string }).text)).toMatchObject({
      client: { ref: 'C001', name: 'Dupont-BTP SARL' },
      totals: {
        openBalance: { minor: 500_000 },
        openOrders: { minor: 800_000 },
        exposure: { minor: 1_300_000 },
      },
    });
    await expect(client.readResource({ uri: 'encours://clients/C999' })).rejects.toThrow(
      /no client matches "C999"/,
    );
    const kpis = await client.readResource({ uri: 'encours://portfolio/kpis' });
    const kpiBody = JSON.parse((kpis.contents[0] as { text: string }).text) as {
      kpis: { key: string; value: unknown }[];
    };
    expect(kpiBody.kpis.find((k) => k.key === 'openDisputes')?.value).toBe(1);
    const completion = await client.complete({
      ref: { type: 'ref/resource', uri: 'encours://clients/{ref}' },
      argument: { name: 'ref', value: 'C00' },
    });
    expect(completion.completion.values).toEqual(['C001', 'C002', 'C003']);
    const byName = await client.complete({
      ref: { type: 'ref/resource', uri: 'encours://clients/{ref}' },
      argument: { name: 'ref', value: 'electricite' },
    });
    expect(byName.completion.values).toEqual(['C003']);
  });

  it('lists and renders the prompts', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual([
      'prepare-dispute-call',
      'review-terms-request',
      'weekly-collection-review',
    ]);
    const terms = await client.getPrompt({
      name: 'review-terms-request',
      arguments: { client: 'Dupont BTP', days: '60', amount: '25000' },
    });
    const body = (terms.messages[0]!.content as { text: string }).text;
    expect(body).toContain(
      '**Dupont BTP** payment terms of **60 days** for an order of 25000, as of 2026-11-23',
    );
    expect(body).not.toContain('{{');
    const dispute = await client.getPrompt({
      name: 'prepare-dispute-call',
      arguments: { invoiceRef: 'F003' },
    });
    expect((dispute.messages[0]!.content as { text: string }).text).toContain('**F003**');
    const weekly = await client.getPrompt({
      name: 'weekly-collection-review',
      arguments: { asOf: '2026-11-20' },
    });
    expect((weekly.messages[0]!.content as { text: string }).text).toContain('as of 2026-11-20.');
  });

  it('completes client refs in the review-terms-request prompt', async () => {
    const r = await client.complete({
      ref: { type: 'ref/prompt', name: 'review-terms-request' },
      argument: { name: 'client', value: 'dupont' },
    });
    expect(r.completion.values).toEqual(['C001', 'C002']);
  });
});

describe('MCP server robustness', () => {
  it('answers a tool that throws with isError, no stack trace, and keeps serving', async () => {
    const database = await freshDatabase('pglite');
    try {
      const broken = defineTool({
        name: 'break-things',
        description: 'A tool whose handler throws, to prove the server survives it.',
        input: z.strictObject({}),
        output: z.object({ asOf: z.string(), policyVersion: z.string() }),
        annotations: {
          title: 'Broken',
          readOnlyHint: true,
          destructiveHint: false,
          idempotentHint: true,
          openWorldHint: false,
        },
        handler: async () => {
          throw new RangeError('index 7 out of range');
        },
        render: () => '',
      });
      const server = createMcpServer({
        runtime: await testRuntime(testContext(database)),
        caller: asUser('t', 'admin'),
        tools: [broken as unknown as ToolDefinition],
      });
      const [a, b] = InMemoryTransport.createLinkedPair();
      await server.connect(b);
      const c = new Client({ name: 'robust', version: '1' });
      await c.connect(a);
      const r = (await c.callTool({ name: 'break-things', arguments: {} })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(r.content).toEqual([{ type: 'text', text: 'INTERNAL: unexpected error: index 7 out of range' }]);
      expect(JSON.stringify(r)).not.toMatch(/\.ts:\d+|at .*\(/);
      await c.ping();
      await c.close();
    } finally {
      await database.close();
    }
  });
});
