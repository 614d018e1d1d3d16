import { type ClientDunningPlan, planClientDunning } from '../core/dunning.ts';
import { factsAsOf } from '../core/ledger.ts';
import { type CreditLimit, creditLimitFor } from '../core/limit.ts';
import { type ScoreResult, scoreClient } from '../core/score.ts';
import type { ClientFacts } from '../core/types.ts';
import { type AuditRow, listAudit } from './audit.ts';
import { type ClientRow, findClient } from './clients.ts';
import type { ServiceContext } from './context.ts';
import { loadFacts } from './facts.ts';
import { listPauses, type PauseView } from './pauses.ts';
import { type InvoiceLine, invoiceLines } from './portfolio.ts';
import { listReminders, type ReminderView } from './reminders.ts';
import { type DecisionRecord, listDecisions } from './terms.ts';

/** Everything the client page shows, from one load of the client's facts. */
export interface ClientFile {
  client: ClientRow;
  asOf: string;
  facts: ClientFacts;
  score: ScoreResult;
  limit: CreditLimit;
  plan: ClientDunningPlan | null;
  lines: InvoiceLine[];
  decisions: DecisionRecord[];
  reminders: ReminderView[];
  pauses: PauseView[];
  audit: AuditRow[];
}

export async function getClientFile(ctx: ServiceContext, query: string, asOf: string): Promise<ClientFile> {
  const client = await findClient(ctx.db, query);
  const [facts] = await loadFacts(ctx.db, [client.id]);
  const policy = ctx.policy.policy;
  const score = scoreClient(facts!, asOf, policy);
  const decisions = await listDecisions(ctx, { clientId: client.id, limit: 20 });
  const reminders = await listReminders(ctx, { client: client.ref, limit: 20, includeHistory: true });
  const subjects = [client.ref, ...decisions.map((d) => d.id), ...reminders.slice(0, 10).map((r) => r.id)];
  const audit = (await Promise.all(subjects.map((subject) => listAudit(ctx.db, { subject, limit: 20 }))))
    .flat()
    .sort((a, b) => b.seq - a.seq)
    .slice(0, 30);
  return {
    client,
    asOf,
    facts: factsAsOf(facts!, asOf),
    score,
    limit: creditLimitFor(facts!, asOf, policy, score),
    plan: planClientDunning(facts!, asOf, policy),
    lines: invoiceLines([facts!], asOf),
    decisions,
    reminders,
    pauses: await listPauses(ctx, { client: client.ref, active: true }),
    audit,
  };
}
