import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBusinessDay } from '../src/core/business-days.ts';
import { DEFAULT_POLICY } from '../src/core/policy.ts';
import type { Database } from '../src/db/open.ts';
import { isAppError } from '../src/errors.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { reviewReminder } from '../src/services/reminder-review.ts';
import { draftReminders } from '../src/services/reminders.ts';
import { addUser } from '../src/services/users.ts';
import { callTool } from '../tools/call.ts';
import { draftReminderTool } from '../tools/draft-reminder.ts';
import { asUser, TEST_ADMIN, testContext } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';
import { COMPANY, latePayer } from './support/letter-fixtures.ts';
import { seedFacts } from './support/seed-facts.ts';

const AS_OF = '2026-11-23';

describe.each(DRIVERS)('letters through the services on %s', (driver) => {
  let database: Database;
  let ctx: ServiceContext;
  const mcp = () => ({
    services: ctx,
    caller: asUser('claude-desktop', 'sales', 'mcp-stdio'),
  });

  beforeEach(async () => {
    database = await freshDatabase(driver);
    await seedFacts(database.db, [latePayer()]);
    ctx = testContext(database, {
      env: { ENCOURS_AS_OF: AS_OF },
      policy: { policy: { ...DEFAULT_POLICY, company: COMPANY }, version: 'pol-test', source: 'test' },
    });
    await addUser(ctx, { name: 'fiona', role: 'finance' }, TEST_ADMIN);
  });
  afterEach(() => database.close());

  it('reminders draft: a chronic late payer 21 days overdue gets a penalty-stage letter signed by the company', async () => {
    const r = await draftReminders(ctx, { actor: asUser('bob') });
    expect(r.drafts).toHaveLength(1);
    const d = r.drafts[0]!;
    expect(d).toMatchObject({ stage: 'firm', scenario: 'firm', status: 'draft', findings: [] });
    expect(d.invoiceRefs).toEqual(['F2026-0101', 'F2026-0117']);
    expect(d.body).not.toContain('F2026-0120'); // in dispute
    expect(d.body).toContain('12,15\u00a0%');
    expect(d.body).toContain('40,00 EUR par facture');
    expect(d.body).toContain("l'article L441-10 du Code de commerce");
    expect(d.body).toContain('Claire Martin, Service recouvrement');
    expect(d.body).toContain(`${COMPANY.legalName}, ${COMPANY.address}`);
    expect(d.body).toContain(COMPANY.iban);
    expect(isBusinessDay(d.facts!.deadline)).toBe(true);
    expect(d.body).toContain('au plus tard le 30/11/2026');
  });

  it.each([
    [
      'bank_details',
      'Attention, nos coordonnées bancaires changent : IBAN FR14 2004 1010 0505 0001 3M02 606.',
    ],
    ['link', 'Réglez en ligne sur http://pay-atelier-martin.ru/login'],
    ['email_address', 'Merci de répondre à recouvrement.martin@proton.me'],
    ['legal_threat', 'Un huissier saisira vos biens et bloquera vos comptes dès demain.'],
    ['legal_reference', "Conformément à l'article L441-6 du Code de commerce."],
  ])('a body supplied over MCP with %s is blocked and cannot be approved', async (kind, line) => {
    const template = await draftReminders(ctx, { actor: asUser('bob') });
    const body = `${template.drafts[0]!.body}\n${line}`;
    const out = await callTool(draftReminderTool, { client: 'L', scenario: 'clear', body }, mcp());
    if (!out.ok) throw new Error(out.text);
    const d = out.result as { id: string; status: string; findings: { kind: string }[] };
    expect(d.status).toBe('blocked');
    expect(d.findings.map((f) => f.kind)).toContain(kind);
    const refused = await reviewReminder(ctx, d.id, asUser('fiona', 'finance'), { action: 'approve' }).catch(
      (e) => e,
    );
    expect(isAppError(refused) && refused.code).toBe('CONFLICT');
  });

  it('a human edit that adds an outside phone number is blocked again', async () => {
    const d = (await draftReminders(ctx, { actor: asUser('bob') })).drafts[0]!;
    const edited = await reviewReminder(ctx, d.id, asUser('fiona', 'finance'), {
      action: 'edit',
      body: `${d.body}\nOu appelez notre cabinet au 06 11 22 33 44.`,
    });
    expect(edited.status).toBe('blocked');
    expect(edited.findings.map((f) => [f.kind, f.text])).toEqual([['phone_number', '06 11 22 33 44']]);
  });
});
