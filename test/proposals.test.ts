import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planClientDunning } from '../src/core/dunning.ts';
import type { Database } from '../src/db/open.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { decideProposedDispute } from '../src/services/disputes.ts';
import { loadFacts } from '../src/services/facts.ts';
import { decidePromise, listPromises } from '../src/services/promises.ts';
import { callTool } from '../tools/call.ts';
import { logDisputeEventTool } from '../tools/log-dispute-event.ts';
import { recordPromiseToPayTool } from '../tools/record-promise-to-pay.ts';
import { asUser, testContext } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';
import { latePayer } from './support/letter-fixtures.ts';
import { seedFacts } from './support/seed-facts.ts';

const AS_OF = '2026-11-23';
const finance = asUser('fiona', 'finance');

describe.each(DRIVERS)('promises and disputes from MCP or the agent are proposals (%s)', (driver) => {
  let database: Database;
  let ctx: ServiceContext;
  const mcp = () => ({
    services: ctx,
    caller: asUser('claude-desktop', 'sales', 'mcp-stdio'),
  });
  const plan = async () => {
    const [facts] = await loadFacts(ctx.db);
    return planClientDunning(facts!, AS_OF, ctx.policy.policy)!;
  };
  const errorOf = (out: Awaited<ReturnType<typeof callTool>>) => {
    if (out.ok) throw new Error('expected a refusal');
    return out.error;
  };

  beforeEach(async () => {
    database = await freshDatabase(driver);
    await seedFacts(database.db, [latePayer()]);
    ctx = testContext(database, { env: { ENCOURS_AS_OF: AS_OF } });
  });
  afterEach(() => database.close());

  it('refuses a promise beyond the open balance or far in the future, naming the field', async () => {
    const huge = errorOf(
      await callTool(
        recordPromiseToPayTool,
        { client: 'L', amount: 99_999_999, promisedDate: '2026-12-31' },
        mcp(),
      ),
    );
    expect(huge).toMatchObject({ code: 'INVALID_INPUT', field: 'amount' });
    expect(huge.message).toMatch(/more than the open balance of Dupont BTP \(L\) \(EUR 2,634\.56/);
    const far = errorOf(
      await callTool(recordPromiseToPayTool, { client: 'L', amount: 100, promisedDate: '2099-12-31' }, mcp()),
    );
    expect(far).toMatchObject({ code: 'INVALID_INPUT', field: 'promisedDate' });
    const future = errorOf(
      await callTool(
        recordPromiseToPayTool,
        { client: 'L', amount: 100, promisedDate: '2026-12-31', madeDate: '2026-12-01' },
        mcp(),
      ),
    );
    expect(future).toMatchObject({ code: 'INVALID_INPUT', field: 'madeDate' });
    const oneInvoice = errorOf(
      await callTool(
        recordPromiseToPayTool,
        { client: 'L', invoiceRef: 'F2026-0117', amount: 600, promisedDate: '2026-12-04' },
        mcp(),
      ),
    );
    expect(oneInvoice.message).toMatch(/open balance of invoice F2026-0117 \(EUR 500\.00/);
  });

  it('a promise from MCP changes no plan until finance confirms it', async () => {
    const before = await plan();
    const out = await callTool(
      recordPromiseToPayTool,
      { client: 'L', invoiceRef: 'F2026-0101', amount: 1234.56, promisedDate: '2026-12-04' },
      mcp(),
    );
    if (!out.ok) throw new Error(out.text);
    expect(out.result).toMatchObject({ status: 'proposed' });
    expect(recordPromiseToPayTool.render(out.result as never, 'en')).toMatch(/encours promises confirm/);
    const still = await plan();
    expect(still.covered.map((i) => i.ref)).toEqual(before.covered.map((i) => i.ref));
    expect(still.covered.map((i) => i.ref)).toContain('F2026-0101');

    const key = (out.result as { key: string }).key;
    const forbidden = await decidePromise(ctx, key, asUser('sam', 'sales'), 'confirm').catch((e) => e);
    expect(forbidden.code).toBe('FORBIDDEN');
    await decidePromise(ctx, key, finance, 'confirm');
    const after = await plan();
    expect(after.excluded.map((e) => [e.ref, e.reason])).toContainEqual(['F2026-0101', 'promised']);
    const again = await decidePromise(ctx, key, finance, 'confirm').catch((e) => e);
    expect(again.code).toBe('CONFLICT');
    expect((await listPromises(ctx, { status: 'pending' })).map((p) => p.key)).toEqual([key]);
  });

  it('a rejected proposal never takes effect', async () => {
    const out = await callTool(
      recordPromiseToPayTool,
      { client: 'L', amount: 500, promisedDate: '2026-12-04' },
      mcp(),
    );
    if (!out.ok) throw new Error(out.text);
    await decidePromise(
      ctx,
      (out.result as { key: string }).key,
      finance,
      'reject',
      'the client said nothing of the sort',
    );
    expect((await plan()).excluded.filter((e) => e.reason === 'promised')).toEqual([]);
  });

  it('a dispute opened over MCP pauses nothing until confirmed; events in the future are refused', async () => {
    const out = await callTool(
      logDisputeEventTool,
      { invoiceRef: 'F2026-0101', kind: 'opened', author: 'client', note: 'prix contesté' },
      mcp(),
    );
    if (!out.ok) throw new Error(out.text);
    expect(out.result).toMatchObject({ openedDispute: true, disputeStatus: 'proposed' });
    expect(logDisputeEventTool.render(out.result as never, 'en')).toMatch(
      /reminders continue until finance confirms/,
    );
    expect((await plan()).covered.map((i) => i.ref)).toContain('F2026-0101');

    const later = errorOf(
      await callTool(
        logDisputeEventTool,
        { invoiceRef: 'F2026-0101', kind: 'call', note: 'rappel prévu', date: '2030-01-15' },
        mcp(),
      ),
    );
    expect(later).toMatchObject({ code: 'INVALID_INPUT', field: 'date' });

    await decideProposedDispute(ctx, 'F2026-0101', finance, 'confirm');
    const after = await plan();
    expect(after.excluded.map((e) => [e.ref, e.reason])).toContainEqual(['F2026-0101', 'disputed']);
  });
});
