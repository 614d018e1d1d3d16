import { and, eq, lt } from 'drizzle-orm';
import { decisions, slackEvents, slackMessages } from '../db/schema.ts';
import type { ServiceContext } from './context.ts';

/**
 * What the Slack app keeps in the database: the messages showing a terms request (so any decision
 * updates them, whichever process or surface took it) and the event ids already handled (so a
 * re-delivered event is handled once, across restarts and processes).
 */
export type SlackMessageRow = typeof slackMessages.$inferSelect;
export type NewSlackMessage = Omit<typeof slackMessages.$inferInsert, 'id' | 'createdAt'>;

export async function recordSlackMessage(ctx: ServiceContext, m: NewSlackMessage): Promise<SlackMessageRow> {
  const [row] = await ctx.db.insert(slackMessages).values(m).returning();
  return row!;
}

export async function messagesFor(ctx: ServiceContext, decisionId: string): Promise<SlackMessageRow[]> {
  return ctx.db.select().from(slackMessages).where(eq(slackMessages.decisionId, decisionId));
}

/** Messages that show a request in a state other than its current one (decided since they were posted). */
export async function staleMessages(ctx: ServiceContext, limit = 50): Promise<SlackMessageRow[]> {
  const rows = await ctx.db
    .select({ m: slackMessages })
    .from(slackMessages)
    .innerJoin(decisions, eq(decisions.id, slackMessages.decisionId))
    .where(and(eq(decisions.status, 'decided'), eq(slackMessages.shownState, 'pending')))
    .limit(limit);
  return rows.map((r) => r.m);
}

export async function markShown(ctx: ServiceContext, id: number, state: string): Promise<void> {
  await ctx.db.update(slackMessages).set({ shownState: state }).where(eq(slackMessages.id, id));
}

/**
 * Claims an event id: true the first time, false for a re-delivery. Ids older than a day are
 * forgotten (Slack stops retrying after minutes).
 */
export async function claimSlackEvent(ctx: ServiceContext, eventId: string): Promise<boolean> {
  const now = ctx.now();
  const inserted = await ctx.db
    .insert(slackEvents)
    .values({ eventId, receivedAt: now })
    .onConflictDoNothing()
    .returning({ id: slackEvents.eventId });
  if (inserted.length)
    await ctx.db.delete(slackEvents).where(lt(slackEvents.receivedAt, new Date(now.getTime() - 86_400_000)));
  return inserted.length > 0;
}
