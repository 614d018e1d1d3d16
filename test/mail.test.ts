import { eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/open.ts';
import * as t from '../src/db/schema.ts';
import { createApp } from '../src/http/app.ts';
import { originPolicy } from '../src/http/origin.ts';
import { type Mailer, smtpMailer } from '../src/mail/mailer.ts';
import { listAudit } from '../src/services/audit.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { approveReminder } from '../src/services/reminder-review.ts';
import { sendDueReminders } from '../src/services/reminder-sender.ts';
import { draftReminder, getReminder } from '../src/services/reminders.ts';
import { addUser } from '../src/services/users.ts';
import { seedPortfolio } from './mcp-fixtures.ts';
import { asUser, TEST_ADMIN, testContext, testRuntime } from './support/context.ts';
import { DRIVERS, freshDatabase, freshPostgresUrl } from './support/databases.ts';
import { LocalSmtp } from './support/smtp.ts';

const FROM = 'Acme Compta <compta@acme.example>';

describe.each(DRIVERS)('sending approved reminders over SMTP on %s', (driver) => {
  let database: Database;
  let services: ServiceContext;
  let clock: Date;
  let smtp: LocalSmtp;
  let mailer: Mailer;
  let app: ReturnType<typeof createApp>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    database = await freshDatabase(driver);
    await seedPortfolio(database.db);
    smtp = new LocalSmtp();
    await smtp.up();
    clock = new Date('2026-11-23T09:00:00Z'); // a Monday, 10:00 in Paris: inside the sending window
    services = {
      ...testContext(database, {
        env: { SMTP_URL: smtp.url, ENCOURS_MAIL_FROM: FROM, ENCOURS_MAIL_REPLY_TO: 'relances@acme.example' },
      }),
      now: () => clock,
    };
    for (const [name, role] of [
      ['fiona', 'finance'],
      ['fred', 'finance'],
    ] as const)
      tokens[name] = (await addUser(services, { name, role }, TEST_ADMIN)).token;
    mailer = smtpMailer(smtp.url, { timeoutMs: 10_000 });
    app = createApp({ runtime: await testRuntime(services, mailer), origins: originPolicy(undefined) });
    await database.db
      .update(t.clients)
      .set({ email: 'ap@dupont-negoce.example', ccEmails: ['dg@dupont-negoce.example'] });
  });
  afterAll(async () => {
    mailer.close();
    await smtp.down().catch(() => {});
    await database.close();
  });

  const approve = (id: string, as: string) =>
    app.request(`/api/reminders/${id}/approve`, {
      method: 'POST',
      headers: {
        host: 'localhost',
        authorization: `Bearer ${tokens[as]}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
  const fresh = async (client: string) =>
    (await draftReminder(services, { client, actor: asUser('sam') })).id;
  let debtors = 0;
  /** A new client with one overdue invoice and an e-mail address: one remindable letter. */
  const debtor = async () => {
    const n = ++debtors;
    const [c] = await database.db
      .insert(t.clients)
      .values({ ref: `D${n}`, name: `Debtor ${n}`, email: `ap@debtor${n}.example` })
      .returning();
    await database.db.insert(t.invoices).values({
      ref: `D${n}-1`,
      clientId: c!.id,
      issueDate: '2026-09-01',
      dueDate: '2026-10-01',
      amount: 150_000 + n,
      currency: 'EUR',
      baseAmount: 150_000 + n,
    });
    return fresh(`D${n}`);
  };

  it('approve sends exactly one message with the approved text, sender and Message-ID; the plan shows the stage sent', async () => {
    const id = await fresh('C002');
    const approved = await getReminder(services, id);
    smtp.received = [];
    const res = await approve(id, 'fiona');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      sending: { messageId: string; contentHash: string };
    };
    expect(body.status).toBe('sent');
    expect(smtp.received).toHaveLength(1);
    const [msg] = smtp.received;
    expect(msg!.envelope).toEqual({
      from: 'compta@acme.example',
      to: ['ap@dupont-negoce.example', 'dg@dupont-negoce.example'],
    });
    const parsed = await simpleParser(msg!.raw);
    expect(parsed.messageId).toBe(`<${id}@acme.example>`);
    expect(parsed.from?.value).toEqual([{ name: 'Acme Compta', address: 'compta@acme.example' }]);
    expect(parsed.replyTo?.text).toBe('relances@acme.example');
    expect(parsed.subject).toBe(approved.subject);
    expect(parsed.text?.trim()).toBe(approved.body.trim());
    expect(parsed.headers.get('content-language')).toBe('fr');

    const [sent] = await listAudit(database.db, { action: 'reminder.sent', limit: 1 });
    expect(sent).toMatchObject({
      subject: id,
      data: {
        messageId: `<${id}@acme.example>`,
        to: ['ap@dupont-negoce.example'],
        cc: ['dg@dupont-negoce.example'],
        contentHash: body.sending.contentHash,
        transport: 'smtp',
        approvedBy: 'fiona',
      },
    });
    const plan = await app.request('/api/clients/C002/dunning-plan', {
      headers: { host: 'localhost', authorization: `Bearer ${tokens.fiona}` },
    });
    const p = ((await plan.json()) as { plans: { stageReached: string; lastReminderDate: string }[] })
      .plans[0]!;
    expect(p).toMatchObject({ stageReached: approved.stage, lastReminderDate: '2026-11-23' });
    // Sending again finds nothing to do.
    expect(await sendDueReminders(services, { mailer })).toEqual([]);
    expect(smtp.received).toHaveLength(1);
  });

  it('two concurrent approvals send one e-mail; the second gets 409', async () => {
    const id = await debtor();
    smtp.received = [];
    const [a, b] = await Promise.all([approve(id, 'fiona'), approve(id, 'fred')]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const refused = (await (a.status === 409 ? a : b).json()) as { error: { code: string } };
    expect(refused.error.code).toBe('CONFLICT');
    expect(smtp.received).toHaveLength(1);
    expect((await getReminder(services, id)).status).toBe('sent');
  });

  it('SMTP down then up: retried with back-off and sent once after recovery', async () => {
    const id = await debtor();
    smtp.received = [];
    await smtp.down();
    const res = await approve(id, 'fiona');
    expect(res.status).toBe(200);
    const queued = await getReminder(services, id);
    expect(queued.status).toBe('approved');
    expect(queued.sending.lastError).toMatch(/SMTP unavailable/);
    expect(queued.sending.attempts).toBe(1);
    // Before the back-off ends nothing is tried; after it, still down: another retry, later.
    expect(await sendDueReminders(services, { mailer })).toEqual([]);
    clock = new Date(clock.getTime() + 61_000);
    expect((await sendDueReminders(services, { mailer })).map((o) => o.status)).toEqual(['retry']);
    await smtp.up();
    clock = new Date(clock.getTime() + 10 * 60_000);
    const outcomes = await sendDueReminders(services, { mailer });
    expect(outcomes.map((o) => o.status)).toEqual(['sent']);
    expect(smtp.received).toHaveLength(1);
    expect(await sendDueReminders(services, { mailer })).toEqual([]);
    const done = await getReminder(services, id);
    expect(done).toMatchObject({ status: 'sent', sending: { attempts: 3, lastError: null } });
    expect((await listAudit(database.db, { action: 'reminder.send_retry', subject: id })).length).toBe(2);
  });

  it('a refused mailbox fails the reminder with the reason; a retry once fixed sends it', async () => {
    const id = await debtor();
    smtp.refuse = `ap@debtor${debtors}.example`;
    await approve(id, 'fiona');
    const failed = await getReminder(services, id);
    smtp.refuse = null;
    expect(failed.status).toBe('failed');
    expect(failed.sending.lastError).toMatch(/550|refused/);
    const retry = await app.request(`/api/reminders/${id}/retry`, {
      method: 'POST',
      headers: {
        host: 'localhost',
        authorization: `Bearer ${tokens.fred}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(((await retry.json()) as { status: string }).status).toBe('sent');
  });

  it('checks the facts again at send time: an invoice disputed since the approval goes back to review', async () => {
    const id = await debtor();
    await smtp.down();
    await approve(id, 'fiona');
    const [inv] = await database.db
      .select()
      .from(t.invoices)
      .where(eq(t.invoices.ref, `D${debtors}-1`));
    await database.db
      .insert(t.disputes)
      .values({ invoiceId: inv!.id, openedDate: '2026-11-23', reason: 'price' });
    await smtp.up();
    smtp.received = [];
    clock = new Date(clock.getTime() + 10 * 60_000);
    const [outcome] = await sendDueReminders(services, { mailer });
    expect(outcome).toMatchObject({ id, status: 'returned' });
    expect(smtp.received).toEqual([]);
    const back = await getReminder(services, id);
    expect(back.status).toBe('blocked');
    expect(back.findings.at(-1)).toMatchObject({ check: 'recheck', kind: 'disputed', text: `D${debtors}-1` });
  });

  it.runIf(driver === 'postgres')(
    'two processes on one PostgreSQL database never send the same reminder twice',
    async () => {
      const { url, drop } = await freshPostgresUrl();
      const one = await openDatabase(url);
      const two = await openDatabase(url);
      try {
        await seedPortfolio(one.db);
        const at = new Date('2026-11-23T09:00:00Z');
        const env = { SMTP_URL: smtp.url, ENCOURS_MAIL_FROM: FROM };
        const ctxOne = { ...testContext(one, { env }), now: () => at };
        const ctxTwo = { ...testContext(two, { env }), config: loadConfig(env), now: () => at };
        await addUser(ctxOne, { name: 'fiona', role: 'finance' }, TEST_ADMIN);
        // Many clients, one approved reminder each, nothing sent yet.
        const ids: string[] = [];
        for (let i = 0; i < 12; i++) {
          const [c] = await one.db
            .insert(t.clients)
            .values({ ref: `K${i}`, name: `Client ${i}`, email: `ap${i}@k.example` })
            .returning();
          await one.db.insert(t.invoices).values({
            ref: `K${i}-1`,
            clientId: c!.id,
            issueDate: '2026-09-01',
            dueDate: '2026-10-01',
            amount: 100_000 + i,
            currency: 'EUR',
            baseAmount: 100_000 + i,
          });
          const d = await draftReminder(ctxOne, { client: `K${i}`, actor: asUser('sam') });
          await approveReminder(ctxOne, d.id, asUser('fiona', 'finance'));
          ids.push(d.id);
        }
        smtp.received = [];
        const mailerTwo = smtpMailer(smtp.url);
        const [a, b] = await Promise.all([
          sendDueReminders(ctxOne, { mailer }, { limit: 3 }).then(async (first) => [
            ...first,
            ...(await sendDueReminders(ctxOne, { mailer })),
          ]),
          sendDueReminders(ctxTwo, { mailer: mailerTwo }, { limit: 3 }).then(async (first) => [
            ...first,
            ...(await sendDueReminders(ctxTwo, { mailer: mailerTwo })),
          ]),
        ]);
        mailerTwo.close();
        const sentIds = [...a, ...b].filter((o) => o.status === 'sent').map((o) => o.id);
        expect(sentIds.sort()).toEqual([...ids].sort());
        const messageIds = await Promise.all(
          smtp.received.map(async (m) => (await simpleParser(m.raw)).messageId),
        );
        expect(messageIds.length).toBe(ids.length);
        expect(new Set(messageIds).size).toBe(ids.length);
      } finally {
        await one.close();
        await two.close();
        await drop();
      }
    },
  );
});
