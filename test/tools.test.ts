import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/open.ts';
import { clients } from '../src/db/schema.ts';
import { callTool } from '../tools/call.ts';
import { getTool, tools } from '../tools/index.ts';
import type { ToolContext } from '../tools/types.ts';
import { testContext } from './support/context.ts';
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
    ctx = { services: testContext(database), caller: { actor: 'alice', role: 'finance', channel: 'test' } };
  });
  afterAll(() => database.close());

  const run = (name: string, args: unknown) => callTool(getTool(name)!, args, ctx);

  it('finds a client with accents and case ignored', async () => {
    const out = await run('find-client', { query: 'electricite martin' });
    expect(out).toMatchObject({ ok: true, result: { status: 'found', match: { ref: 'C003' } } });
  });

  it('lists candidates when a name is ambiguous', async () => {
    const out = await run('find-client', { query: 'dupont' });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.result.status).toBe('ambiguous');
    expect((out.result.candidates as { ref: string }[]).map((c) => c.ref).sort()).toEqual(['C001', 'C002']);
  });

  it('names the field and the expected form on invalid input', async () => {
    const missing = await run('find-client', {});
    expect(missing).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'query' } });
    expect(missing.text).toMatch(/query: required/);
    const extra = await run('find-client', { query: 'x', nmae: 'y' });
    expect(extra.ok).toBe(false);
    expect(extra.text).toMatch(/unknown field "nmae".*accepted fields: query/);
  });

  it('registers unique kebab-case verb-noun names', () => {
    for (const t of tools) expect(t.name).toMatch(/^[a-z]+(-[a-z]+)+$/);
    expect(new Set(tools.map((t) => t.name)).size).toBe(tools.length);
  });
});
