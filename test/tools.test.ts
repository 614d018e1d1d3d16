import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/open.ts';
import { clients } from '../src/db/schema.ts';
import { callTool } from '../tools/call.ts';
import { findClientTool } from '../tools/find-client.ts';
import { tools } from '../tools/index.ts';
import { recordPromiseToPayTool } from '../tools/record-promise-to-pay.ts';
import type { ToolContext, ToolDefinition } from '../tools/types.ts';
import { asUser, testContext } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';

describe.each(DRIVERS)('tool registry on %s', (driver) => {
  let database: Database;
  let ctx: ToolContext;
  beforeAll(async () => {
    database = await freshDatabase(driver);
    await database.db.insert(clients).values([
      { ref: 'C001', name: 'Dupont-BTP SARL' },
      { ref: 'C002', name: 'Dupont Négoce' },
      { ref: 'C003', name: 'Électricité Martin' },
    ]);
    ctx = {
      services: testContext(database),
      caller: asUser('alice', 'finance'),
    };
  });
  afterAll(() => database.close());

  it('finds a client with accents and case ignored', async () => {
    const out = await callTool(findClientTool, { query: 'electricite martin' }, ctx);
    expect(out).toMatchObject({ ok: true, result: { status: 'found', match: { ref: 'C003' } } });
  });

  it('lists candidates when a name is ambiguous', async () => {
    const out = await callTool(findClientTool, { query: 'dupont' }, ctx);
    if (!out.ok) throw new Error(out.text);
    // The result has the tool's own output type: no casts.
    expect(out.result.status).toBe('ambiguous');
    expect(out.result.candidates.map((c) => c.ref).sort()).toEqual(['C001', 'C002']);
  });

  it('names the field and the expected form on invalid input', async () => {
    const missing = await callTool(findClientTool, {}, ctx);
    expect(missing).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'query' } });
    expect(missing.text).toMatch(/query: required/);
    const extra = await callTool(findClientTool, { query: 'x', nmae: 'y' }, ctx);
    expect(extra.ok).toBe(false);
    expect(extra.text).toMatch(/unknown field "nmae".*accepted fields: query/);
  });

  it('refuses side effects to a viewer, and lets a viewer read', async () => {
    const viewer: ToolContext = { ...ctx, caller: asUser('vic', 'viewer') };
    const write = await callTool(
      recordPromiseToPayTool,
      { client: 'C001', amount: 10, promisedDate: '2026-12-01' },
      viewer,
    );
    expect(write).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(write.text).toMatch(/vic has the viewer role, which may only read/);
    expect((await callTool(findClientTool, { query: 'C001' }, viewer)).ok).toBe(true);
  });

  it('turns an unexpected exception into an error outcome without a stack trace', async () => {
    const broken = {
      ...findClientTool,
      handler: async () => {
        throw new TypeError('boom');
      },
    };
    const out = await callTool(broken, { query: 'x' }, ctx);
    expect(out).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'unexpected error: boom' },
      text: 'INTERNAL: unexpected error: boom',
    });
  });

  it('reports a result that breaks its own output schema as INTERNAL, naming the tool', async () => {
    const wrong: ToolDefinition = {
      ...(findClientTool as ToolDefinition),
      handler: async () => ({ query: 1 }),
    };
    const out = await callTool(wrong, { query: 'x' }, ctx);
    expect(out.ok).toBe(false);
    expect(out.text).toMatch(
      /INTERNAL: find-client produced a result that does not match its declared output/,
    );
  });

  it('registers unique kebab-case verb-noun names', () => {
    for (const t of tools) expect(t.name).toMatch(/^[a-z]+(-[a-z]+)+$/);
    expect(new Set(tools.map((t) => t.name)).size).toBe(tools.length);
  });
});

describe('tool definitions', () => {
  it('declare all four annotation hints explicitly, and a title', () => {
    for (const t of tools) {
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        expect(Object.hasOwn(t.annotations, hint), `${t.name}.${hint}`).toBe(true);
        expect(typeof t.annotations[hint], `${t.name}.${hint}`).toBe('boolean');
      }
      expect(t.annotations.title.length, t.name).toBeGreaterThan(3);
      // Nothing here deletes or overwrites: side effects only add drafts, requests and records.
      expect(t.annotations.destructiveHint, t.name).toBe(false);
      expect(t.annotations.openWorldHint, t.name).toBe(false);
    }
  });

  it('describe inputs and outputs as objects with described fields', () => {
    for (const t of tools) {
      expect(t.input.type, t.name).toBe('object');
      expect(t.output.type, t.name).toBe('object');
      expect(Object.keys(t.output.shape), t.name).toEqual(expect.arrayContaining(['asOf', 'policyVersion']));
      for (const [field, schema] of Object.entries(t.input.shape))
        expect((schema as { description?: string }).description, `${t.name}.${field}`).toBeTruthy();
    }
  });
});
