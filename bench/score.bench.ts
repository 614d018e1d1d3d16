import { asc, sql } from 'drizzle-orm';
import { scoreClient } from '../src/core/score.ts';
import { decideTerms } from '../src/core/terms.ts';
import type { Database } from '../src/db/open.ts';
import { clients } from '../src/db/schema.ts';
import { loadFacts } from '../src/services/facts.ts';
import { scorePortfolio } from '../src/services/scoring.ts';
import { evaluateTermsRequest } from '../src/services/terms.ts';
import { postgresAnswers } from '../test/support/databases.ts';
import { BENCH_CALLER, benchContext, preparePortfolio, seconds } from './support.ts';

/**
 * Scoring the 2,000-client / ~100,000-invoice demo portfolio: loading the facts and computing every
 * score, against ONE raw SQL aggregate pass over the same invoices (per client: count, amounts,
 * amount paid, average days late) in the same run and database. Target: within 5x. Then the median
 * time of one terms decision through the service (find client, load its facts, decide, store the
 * decision and its audit entry). Target: under 20 ms.
 */
const RUNS = 3;
const DECISIONS = 60;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const out = await fn();
  return [performance.now() - t0, out];
}

/** The yardstick: what a hand-written SQL report over the same invoices costs. */
async function rawAggregate(database: Database): Promise<number> {
  const result = await database.db.execute(sql`
    select i.client_id,
           count(*) as invoices,
           sum(i.base_amount) as invoiced,
           sum(coalesce(p.paid, 0)) as paid,
           avg(case when p.paid >= i.base_amount then p.last_date - i.due_date end) as avg_days_late
      from invoices i
      left join (select a.invoice_id, sum(a.base_amount) as paid, max(pm.date) as last_date
                   from payment_allocations a join payments pm on pm.id = a.payment_id
                  group by a.invoice_id) p on p.invoice_id = i.id
     group by i.client_id`);
  const rows = (result as unknown as { rows?: unknown[] }).rows ?? (result as unknown as unknown[]);
  return rows.length;
}

async function benchDriver(driver: 'pglite' | 'postgres'): Promise<void> {
  const portfolio = await preparePortfolio({ driver });
  const database = await portfolio.open();
  const ctx = benchContext(database);
  const asOf = portfolio.asOf;
  const policy = ctx.policy.policy;
  const label = `score[${driver}]`;
  try {
    process.stdout.write(
      `${label}: ${portfolio.clients} clients, ${portfolio.invoices} invoices, as of ${asOf}\n`,
    );
    const sqlTimes: number[] = [];
    const loadTimes: number[] = [];
    const computeTimes: number[] = [];
    let grades = '';
    for (let r = 0; r < RUNS; r++) {
      // Interleaved, so both see the same cache state.
      const [sqlMs, groups] = await time(() => rawAggregate(database));
      sqlTimes.push(sqlMs);
      const [loadMs, facts] = await time(() => loadFacts(database.db, undefined, { scope: 'scoring' }));
      loadTimes.push(loadMs);
      const [computeMs, scores] = await time(async () => facts.map((f) => scoreClient(f, asOf, policy)));
      computeTimes.push(computeMs);
      if (r === 0) {
        const count = new Map<string, number>();
        for (const s of scores) count.set(s.grade, (count.get(s.grade) ?? 0) + 1);
        grades = ['A', 'B', 'C', 'D', 'E'].map((g) => `${g} ${count.get(g) ?? 0}`).join(', ');
        process.stdout.write(
          `${label}: raw SQL aggregate returned ${groups} client rows; grades ${grades}\n`,
        );
      }
    }
    const sqlMs = median(sqlTimes);
    const scoreMs = median(loadTimes) + median(computeTimes);
    const ratio = scoreMs / sqlMs;
    process.stdout.write(
      `${label}: raw SQL aggregate pass ${ms(sqlMs)}; score portfolio ${ms(scoreMs)} (load facts ${ms(median(loadTimes))} + compute ${ms(median(computeTimes))}), medians of ${RUNS}\n`,
    );
    process.stdout.write(
      `${label}: ratio score/raw SQL = ${ratio.toFixed(2)}x (target <= 5x): ${ratio <= 5 ? 'OK' : 'MISSED'}\n`,
    );

    const [firstMs] = await time(() => scorePortfolio(ctx, { asOf, actor: BENCH_CALLER }));
    const [againMs] = await time(() => scorePortfolio(ctx, { asOf, actor: BENCH_CALLER }));
    process.stdout.write(
      `${label}: scorePortfolio with snapshots and audit: ${seconds(firstMs)} first run (2,000 snapshots stored), ${seconds(againMs)} re-run (nothing new stored)\n`,
    );

    const refs = (await database.db.select({ ref: clients.ref }).from(clients).orderBy(asc(clients.ref))).map(
      (r) => r.ref,
    );
    const allFacts = await loadFacts(database.db, undefined, { scope: 'scoring' });
    const decisions = async (offset: number) => {
      const serviceTimes: number[] = [];
      const coreTimes: number[] = [];
      for (let i = 0; i < DECISIONS + 5; i++) {
        const ref = refs[((i + offset) * 37) % refs.length]!;
        const request = { client: ref, days: [30, 45, 60][i % 3]!, amount: 500_000 + (i % 10) * 250_000 };
        const [serviceMs] = await time(() =>
          evaluateTermsRequest(ctx, { ...request, asOf, actor: BENCH_CALLER }),
        );
        const facts = allFacts.find((f) => f.client.ref === ref)!;
        const [coreMs] = await time(async () => decideTerms(facts, request, asOf, policy));
        if (i >= 5) {
          serviceTimes.push(serviceMs);
          coreTimes.push(coreMs);
        }
      }
      return { service: median(serviceTimes), core: median(coreTimes) };
    };
    const report = (when: string, d: { service: number; core: number }) =>
      process.stdout.write(
        `${label}: one terms decision ${when} (find client, load its facts, decide, store + audit): median ${ms(d.service)} over ${DECISIONS} (target < 20 ms): ${d.service < 20 ? 'OK' : 'MISSED'}; the core decision alone ${ms(d.core)}\n`,
      );
    report('as imported', await decisions(0));
    // The import leaves the planner without statistics on the new rows; ANALYZE gives it some.
    const [analyzeMs] = await time(() => database.db.execute(sql`analyze`));
    report(`after ANALYZE (${ms(analyzeMs)})`, await decisions(1000));
  } finally {
    await portfolio.cleanup();
  }
}

export default async function benchScore(): Promise<void> {
  await benchDriver('pglite');
  if (await postgresAnswers()) await benchDriver('postgres');
  else process.stdout.write('score[postgres]: skipped (no PostgreSQL server at the bench URL)\n');
}
