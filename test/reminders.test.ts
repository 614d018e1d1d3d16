import Anthropic from '@anthropic-ai/sdk';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAgent } from '../src/agent/loop.ts';
import { createClaudeWriter, parseLetter } from '../src/agent/reminder-writer.ts';
import type { Database } from '../src/db/open.ts';
import * as t from '../src/db/schema.ts';
import { isAppError } from '../src/errors.ts';
import { listAudit } from '../src/services/audit.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { reviewReminder } from '../src/services/reminder-review.ts';
import { draftReminder, draftReminders, listReminders } from '../src/services/reminders.ts';
import { addUser } from '../src/services/users.ts';
import { AS_OF, seedAgentPortfolio } from './support/agent-fixtures.ts';
import { asUser, TEST_ADMIN, testContext } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';
import { type FakeAnthropic, reply, startFakeAnthropic } from './support/fake-anthropic.ts';

// Hand-computed from the fixture (see agent-fixtures.ts), as of 2026-11-23:
// Dupont BTP is a new client (1 paid invoice < 3), so the tight cadence applies; nothing was sent yet,
// so the next step is its first one, friendly, due now. It covers F2026-0001 (EUR 1,234.56 open) and
// F2026-0002 (EUR 2,000.00 - 1,500.00 paid = EUR 500.00 open): EUR 1,734.56. F2026-0003 is disputed.
const NNBSP = '\u202f';

async function errorOf(p: Promise<unknown>) {
  return p.then(
    () => null,
    (e) => e,
  );
}

describe.each(DRIVERS)('reminders on %s', (driver) => {
  let database: Database;
  let ctx: ServiceContext;
  let fake: FakeAnthropic;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    database = await freshDatabase(driver);
    await seedAgentPortfolio(database);
    ctx = testContext(database, { env: { ENCOURS_AS_OF: AS_OF } });
    await addUser(ctx, { name: 'fiona', role: 'finance' }, TEST_ADMIN);
    await addUser(ctx, { name: 'sam', role: 'sales' }, TEST_ADMIN);
    fake.requests.length = 0;
  });
  afterEach(async () => {
    expect(fake.pending()).toBe(0);
    await database.close();
  });

  const audit = async (action: string) => listAudit(database.db, { action, limit: 20 });

  it('drafts the plan’s next step from templates: one consolidated letter, disputed invoice left out', async () => {
    const d = await draftReminder(ctx, { client: 'Dupont BTP', actor: asUser('bob') });
    expect(d).toMatchObject({
      status: 'draft',
      created: true,
      stage: 'friendly',
      scenario: 'friendly',
      language: 'fr',
      clientRef: 'C001',
      invoiceRefs: ['F2026-0001', 'F2026-0002'],
      findings: [],
      writer: 'templates',
      createdBy: 'bob',
    });
    expect(d.facts!.totalOpen).toBe(1_734_56);
    expect(d.facts!.deadline).toBe('2026-11-30');
    expect(d.facts!.excluded).toEqual([{ ref: 'F2026-0003', reason: 'disputed' }]);
    expect(d.body).toContain(`F2026-0001 du 01/08/2026 (Travaux, échue le 30/09/2026) : 1${NNBSP}234,56 EUR`);
    expect(d.body).toContain(
      `F2026-0002 du 15/09/2026 (Travaux, échue le 15/10/2026) : 500,00 EUR restant dû`,
    );
    expect(d.body).toContain(`1${NNBSP}734,56 EUR d'ici le 30/11/2026`);
    expect(d.body).not.toContain('F2026-0003');
    expect(d.body.split('\n').length).toBeLessThanOrEqual(8);
    const [entry] = await audit('reminder.drafted');
    expect(entry).toMatchObject({
      actor: 'bob',
      channel: 'cli',
      subject: d.id,
      data: { client: 'C001', scenario: 'friendly', writer: 'templates', attempts: 1, findings: [] },
    });
  });

  it('is idempotent: drafting again returns the pending draft without a new row or audit entry', async () => {
    const a = await draftReminder(ctx, { client: 'C001', actor: asUser('bob') });
    const b = await draftReminder(ctx, { client: 'dupont btp', actor: asUser('bob') });
    expect(b).toMatchObject({ id: a.id, created: false });
    expect(await listReminders(ctx)).toHaveLength(1);
    expect(await audit('reminder.drafted')).toHaveLength(1);
  });

  it('writes a formal notice with the policy’s legal mentions and 8 days to pay', async () => {
    const d = await draftReminder(ctx, { client: 'C001', scenario: 'formal_notice', actor: asUser('bob') });
    expect(d.status).toBe('draft');
    expect(d.facts!.deadline).toBe('2026-12-01');
    expect(d.subject).toBe('Mise en demeure de payer : F2026-0001, F2026-0002');
    expect(d.body).toContain('dans un délai de 8 jours, soit au plus tard le 01/12/2026');
    expect(d.body).toContain('au taux annuel de 12,15\u00a0%');
    expect(d.body).toContain('40,00 EUR par facture');
    // EUR 1,734.56 is under the EUR 5,000 small-claims threshold.
    expect(d.body).toContain('procédure simplifiée');
  });

  it('acknowledges a dispute on the disputed invoice only, in the client’s language', async () => {
    const d = await draftReminder(ctx, {
      client: 'C001',
      scenario: 'dispute-acknowledgement',
      invoiceRef: 'F2026-0003',
      actor: asUser('bob'),
    });
    expect(d).toMatchObject({ status: 'draft', invoiceRefs: ['F2026-0003'] });
    expect(d.body).toContain(
      'Nous avons bien reçu le 25/10/2026 votre contestation de la facture F2026-0003',
    );
    expect(d.body).toContain('au plus tard le 03/12/2026');
  });

  it('refuses a scenario without its facts, naming why', async () => {
    const e = await errorOf(
      draftReminder(ctx, { client: 'C002', scenario: 'promise_confirmation', actor: asUser('bob') }),
    );
    expect(isAppError(e) && e.code).toBe('CONFLICT');
    expect(e.message).toMatch(/Acme Industrie \(C002\) has no pending promise to pay as of 2026-11-23/);
    const bad = await errorOf(
      draftReminder(ctx, { client: 'C002', scenario: 'angry', actor: asUser('bob') }),
    );
    expect(bad.message).toMatch(/scenario: expected one of friendly, clear/);
  });

  it('blocks supplied text with a wrong amount or a threat, and never offers it for approval', async () => {
    const d = await draftReminder(ctx, {
      client: 'C001',
      actor: asUser('agent:bob'),
      subject: 'Relance',
      body: 'Bonjour,\nVous nous devez 1 934,56 EUR pour F2026-0001 et F2026-0003.\nPayez ou vous allez le regretter.\nLe service comptabilité',
    });
    expect(d.status).toBe('blocked');
    const found = d.findings.map((f) => [f.check, f.kind, f.text]);
    expect(found.slice(0, 3)).toEqual([
      ['grounding', 'amount', '1 934,56 EUR'],
      ['legal', 'threat', 'vous allez le regretter'],
      ['legal', 'disputed_invoice', 'F2026-0003'],
    ]);
    // And what a reminder must carry is missing: F2026-0002, the dates, the amounts, the deadline.
    expect(found).toContainEqual(['content', 'invoice_ref', 'F2026-0002']);
    expect(found).toContainEqual(['content', 'deadline', '30/11/2026']);
    expect((await audit('reminder.blocked'))[0]).toMatchObject({ actor: 'agent:bob', subject: d.id });
    const e = await errorOf(reviewReminder(ctx, d.id, asUser('fiona', 'finance'), { action: 'approve' }));
    expect(isAppError(e) && e.code).toBe('CONFLICT');
    expect(e.message).toMatch(/blocked by the guards .* cannot be approved/);
    expect(await listReminders(ctx, { status: 'blocked' })).toHaveLength(1);
    expect(await listReminders(ctx, { status: 'draft' })).toHaveLength(0);
  });

  it('Claude writer: a wrong amount gets one retry with the findings, then the draft is blocked', async () => {
    const bad =
      'Subject: Rappel F2026-0001\n\nBonjour,\nMerci de régler 1 734,65 EUR avant le 30/11/2026.\nCordialement';
    fake.push(reply(bad), reply(bad.replace('30/11/2026', '01/12/2026')));
    const agent = createAgent({
      services: ctx,
      caller: asUser('bob', 'sales'),
      anthropic: new Anthropic({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 }),
    });
    const d = await draftReminder(ctx, {
      client: 'C001',
      actor: asUser('bob'),
      writer: createClaudeWriter(agent),
    });
    expect(fake.requests).toHaveLength(2);
    const retry = fake.requests[1]!.body.messages;
    expect(retry.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(retry[2]!.content).toMatch(/amount "1 734,65 EUR" does not appear in the facts/);
    expect(fake.requests[0]!.body.messages[0]!.content).toMatch(/"totals": \[\s*"1.734,56 EUR"\s*\]/);
    expect(d).toMatchObject({ status: 'blocked', attempts: 2, writer: ctx.config.ENCOURS_MODEL });
    expect(d.findings.filter((f) => f.check === 'grounding').map((f) => f.text)).toEqual([
      '1 734,65 EUR',
      '01/12/2026',
    ]);
    expect(d.promptVersion).toBe(agent.promptVersion);
    const [entry] = await audit('reminder.blocked');
    expect(entry!.data).toMatchObject({
      attempts: 2,
      firstAttemptFindings: expect.arrayContaining([
        expect.objectContaining({ kind: 'amount', text: '1 734,65 EUR' }),
      ]),
      usage: { inputTokens: 200, outputTokens: 40 },
    });
  });

  it('Claude writer: a retry that fixes the figures is stored as a draft', async () => {
    fake.push(
      reply('Subject: Rappel\n\nBonjour,\nMerci de régler 1 734,65 EUR.\nCordialement'),
      // The model's second try keeps every mention of the reference letter it was given.
      (req) => {
        const prompt = String(req.body.messages[0]!.content);
        const reference = /Reference letter:\nSubject: (.*)\n\n([\s\S]*?)\n\nFacts:/.exec(prompt)!;
        return reply(`Subject: Rappel ${reference[1]!.split(': ')[1]}\n\n${reference[2]}`);
      },
    );
    const agent = createAgent({
      services: ctx,
      caller: asUser('bob', 'sales'),
      anthropic: new Anthropic({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 }),
    });
    const d = await draftReminder(ctx, {
      client: 'C001',
      actor: asUser('bob'),
      writer: createClaudeWriter(agent),
    });
    expect(d).toMatchObject({
      status: 'draft',
      attempts: 2,
      findings: [],
      subject: 'Rappel factures F2026-0001, F2026-0002',
    });
  });

  it('drafts one reminder per client due in the plan, each in its language', async () => {
    const r = await draftReminders(ctx, { actor: asUser('bob') });
    expect(r.drafts.map((d) => [d.clientRef, d.scenario, d.language, d.status])).toEqual([
      ['C001', 'friendly', 'fr', 'draft'],
      // Acme: EUR 10,000.00 due 2026-10-01, no paid history (new): tight cadence, friendly first.
      ['C002', 'friendly', 'en', 'draft'],
    ]);
    const acme = r.drafts[1]!;
    expect(acme.body).toContain(
      'invoice F2026-0101 of 1 September 2026 (Travaux, due 1 October 2026): EUR 10,000.00',
    );
    expect(r.skipped).toEqual([]);
    // Running it again drafts nothing new.
    const again = await draftReminders(ctx, { actor: asUser('bob') });
    expect(again.drafts.every((d) => !d.created)).toBe(true);
  });

  it('lists drafts without the imported history of sent reminders unless asked', async () => {
    const d = await draftReminder(ctx, { client: 'C001', actor: asUser('bob') });
    const [acme] = await database.db.select().from(t.clients).where(eq(t.clients.ref, 'C002'));
    await database.db.insert(t.reminders).values({
      id: 'imp_1',
      clientId: acme!.id,
      asOf: '2026-10-10',
      stage: 'friendly',
      scenario: 'friendly',
      tone: 'friendly',
      language: 'en',
      status: 'sent',
      sentDate: '2026-10-10',
      invoiceRefs: ['F2026-0101'],
      createdBy: 'import',
    });
    expect((await listReminders(ctx)).map((r) => r.id)).toEqual([d.id]);
    expect((await listReminders(ctx, { status: 'sent' })).map((r) => r.id)).toEqual(['imp_1']);
    expect((await listReminders(ctx, { includeHistory: true })).map((r) => r.id).sort()).toEqual(
      [d.id, 'imp_1'].sort(),
    );
    expect(
      (await listReminders(ctx, { client: 'Acme Industrie', includeHistory: true })).map((r) => r.id),
    ).toEqual(['imp_1']);
  });

  it('reviews: finance approves or rejects, sales may not, edits are re-checked', async () => {
    const d = await draftReminder(ctx, { client: 'C001', actor: asUser('bob') });
    const forbidden = await errorOf(reviewReminder(ctx, d.id, asUser('sam', 'sales'), { action: 'approve' }));
    expect(isAppError(forbidden) && forbidden.code).toBe('FORBIDDEN');
    const unknown = await errorOf(
      reviewReminder(
        ctx,
        d.id,
        { user: 'cli:nobody', role: 'viewer', channel: 'cli', verified: false },
        { action: 'approve' },
      ),
    );
    expect(isAppError(unknown) && unknown.code).toBe('UNAUTHORIZED');

    const edited = await reviewReminder(ctx, d.id, asUser('fiona', 'finance'), {
      action: 'edit',
      body: d.body.replace('1\u202f734,56 EUR', '1 800,00 EUR'),
    });
    expect(edited.status).toBe('blocked');
    expect(edited.findings.map((f) => f.text)).toEqual(['1 800,00 EUR']);
    const fixed = await reviewReminder(ctx, d.id, asUser('fiona', 'finance'), {
      action: 'edit',
      body: d.body,
      note: 'back to the facts',
    });
    expect(fixed.status).toBe('draft');

    const approved = await reviewReminder(ctx, d.id, asUser('fiona', 'finance'), {
      action: 'approve',
      note: 'ok to send',
    });
    expect(approved).toMatchObject({ status: 'approved', reviewedBy: 'fiona', reviewNote: 'ok to send' });
    // Approving again changes nothing; an approved reminder can no longer be edited.
    await reviewReminder(ctx, d.id, asUser('fiona', 'finance'), { action: 'approve' });
    const late = await errorOf(
      reviewReminder(ctx, d.id, asUser('fiona', 'finance'), { action: 'edit', body: 'x' }),
    );
    expect(late.message).toMatch(/already approved/);

    expect((await audit('reminder.edited')).map((e) => (e.data as { status: string }).status)).toEqual([
      'draft',
      'blocked',
    ]);
    expect(await audit('reminder.approved')).toHaveLength(1);
    expect((await audit('reminder.approved'))[0]).toMatchObject({ actor: 'fiona', subject: d.id });

    const other = await draftReminder(ctx, { client: 'C002', actor: asUser('bob') });
    expect(
      (
        await reviewReminder(ctx, other.id, asUser('fiona', 'finance'), {
          action: 'reject',
          note: 'called instead',
        })
      ).status,
    ).toBe('rejected');
    expect((await listReminders(ctx, { status: 'rejected' })).map((r) => r.id)).toEqual([other.id]);
  });
});

describe('parseLetter', () => {
  it('splits the subject line from the body, in English or French', () => {
    const facts = { language: 'fr' } as never;
    expect(parseLetter('Subject: Hello\n\nLine 1\nLine 2', facts)).toEqual({
      subject: 'Hello',
      body: 'Line 1\nLine 2',
    });
    expect(parseLetter('Objet : Relance\nBonjour', facts)).toEqual({ subject: 'Relance', body: 'Bonjour' });
  });
});
