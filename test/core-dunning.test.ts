import { describe, expect, it } from 'vitest';
import { addDays } from '../src/core/dates.ts';
import { computeDunningPlan, type DunningCode, planClientDunning } from '../src/core/dunning.ts';
import { computePenalties, lateInterest } from '../src/core/penalties.ts';
import { DEFAULT_POLICY, type Policy } from '../src/core/policy.ts';
import type { ClientFacts } from '../src/core/types.ts';
import type { Worded } from '../src/core/worded.ts';
import { dunningText } from '../src/wording/dunning.ts';
import type { Language } from '../src/wording/index.ts';
import {
  addDispute,
  addInvoice,
  addPromise,
  addReminder,
  clientFacts,
} from './support/receivables-fixtures.ts';

const notesText = (notes: Worded<DunningCode>[], lang: Language = 'en') =>
  notes.map((n) => dunningText(n, lang)).join(' ');

const AS_OF = '2026-06-30';
const policy = DEFAULT_POLICY;

/** `delays` paid invoices (days beyond due; negative = early), issued every 20 days from 2025-01-01. */
function withHistory(f: ClientFacts, delays: number[]): ClientFacts {
  delays.forEach((late, i) => {
    const issue = addDays('2025-01-01', 20 * i);
    const due = addDays(issue, 30);
    addInvoice(f, `${f.client.ref}-P${i + 1}`, issue, due, 10000, { paid: [[addDays(due, late), 10000]] });
  });
  return f;
}

const plan = (f: ClientFacts, p: Policy = policy) => {
  const out = planClientDunning(f, AS_OF, p);
  if (!out) throw new Error('expected a plan');
  return out;
};

/**
 * Standard payer S (11 paid, 3 late: share 0.27, 2.7 days late on average), as of 2026-06-30:
 *   O1 1 000.00 due 06-10 (20 days), O2 500.00 due 06-20 partly paid 200.00 (open 300.00, 10 days),
 *   O3 due 05-31 disputed, O4 due 06-15 under a promise for 07-05, O5 not yet due, O6 paid 06-25.
 *   Sent: friendly 06-11 [O1], clear 06-17 [O1, O2, O6].
 * Standard cadence D+1 friendly, D+7 clear, D+14 firm...: next is firm, due 06-24, so today (06-30).
 * Penalties at 2.15 + 10 = 12.15 %: O1 1 000.00 x 12.15% x 20/365 = 6.6575 -> 6.66;
 *   O2 300.00 x 12.15% x 10/365 = 0.9986 -> 1.00; indemnity 40.00 each; total 87.66.
 */
function standardClient() {
  const s = withHistory(clientFacts('S', { since: '2023-01-01' }), [0, 0, 5, 0, -2, 0, 5, 0, 0, 0]);
  addInvoice(s, 'O1', '2026-05-11', '2026-06-10', 100000);
  addInvoice(s, 'O2', '2026-05-21', '2026-06-20', 50000, { paid: [['2026-06-25', 20000]] });
  addInvoice(s, 'O3', '2026-05-01', '2026-05-31', 70000);
  addDispute(s, 'O3', '2026-06-05');
  addInvoice(s, 'O4', '2026-05-16', '2026-06-15', 40000);
  addPromise(s, '2026-07-05', 40000, { invoiceRef: 'O4', madeDate: '2026-06-20' });
  addInvoice(s, 'O5', '2026-06-15', '2026-07-15', 30000);
  addInvoice(s, 'O6', '2026-05-06', '2026-06-05', 25000, { paid: [['2026-06-25', 25000]] });
  addReminder(s, '2026-06-11', 'friendly', ['O1']);
  addReminder(s, '2026-06-17', 'clear', ['O1', 'O2', 'O6']);
  return s;
}

describe('dunning plan: a standard payer, worked example', () => {
  const p = plan(standardClient());

  it('classifies the client and picks the standard cadence', () => {
    expect(p.behaviour).toMatchObject({
      class: 'standard',
      paidInvoices: 11,
      lateInvoices: 3,
      lateShare: 0.273,
      averageDaysLate: 2.7,
    });
    expect(p.cadence).toMatchObject({ name: 'standard', source: 'behaviour' });
  });

  it('consolidates the remindable invoices and excludes disputed, promised and paid ones', () => {
    expect(p.covered.map((i) => [i.ref, i.openCents, i.daysOverdue])).toEqual([
      ['O1', 100000, 20],
      ['O2', 30000, 10],
    ]);
    expect(p.coveredCents).toBe(130000);
    expect(p.excluded.map((e) => [e.ref, e.reason, e.followUpDate])).toEqual([
      ['O3', 'disputed', null],
      ['O4', 'promised', '2026-07-06'],
      ['O6', 'paid', null],
    ]);
    expect(p.excluded[1]!.detail.params).toMatchObject({ promisedDate: '2026-07-05' });
    expect(dunningText(p.excluded[1]!.detail, 'fr')).toContain('5 juillet 2026');
    expect(dunningText(p.excluded[2]!.detail, 'en')).toContain('25 June 2026');
  });

  it('moves forward from the reminders already sent', () => {
    expect(p.status).toBe('action');
    expect(p.stageReached).toBe('clear');
    expect(p.lastReminderDate).toBe('2026-06-17');
    expect(p.oldestDueDate).toBe('2026-06-10');
    expect(p.nextAction).toMatchObject({
      stage: 'firm',
      date: AS_OF,
      dueNow: true,
      tone: 'firm',
      channel: 'email',
      cadenceDay: 14,
      daysAfterOldestDue: 20,
      invoiceRefs: ['O1', 'O2'],
      totalOpenCents: 130000,
      quotePenalties: true,
      payBy: null,
      notes: [],
    });
  });

  it('computes late penalties and the fixed indemnity to the cent', () => {
    expect(p.penalties).toMatchObject({
      ratePercent: 12.15,
      interestCents: 766,
      indemnityCents: 8000,
      totalCents: 8766,
    });
    expect(p.penalties!.invoices.map((i) => [i.invoiceRef, i.interestCents, i.indemnityCents])).toEqual([
      ['O1', 666, 4000],
      ['O2', 100, 4000],
    ]);
    expect(p.penalties!.formula).toMatch(/x 12\.15% .* x days overdue \/ 365/);
    expect(p.penalties!.formula).toContain('EUR 40.00');
  });

  it('omits penalties when the policy disables them', () => {
    const off = {
      ...policy,
      legal: { ...policy.legal, latePenalty: { ...policy.legal.latePenalty, enabled: false } },
    };
    const q = plan(standardClient(), off);
    expect(q.penalties).toBeNull();
    expect(q.nextAction!.quotePenalties).toBe(false);
  });
});

describe('late interest arithmetic', () => {
  it('rounds half away from zero exactly', () => {
    // 3 650.00 x 12.15% x 1 / 365 = 1.215 -> 1.22 ; exact half: 3 650.00 x 12.15% / 365 * ... see below
    expect(lateInterest(365000, 12.15, 1)).toBe(122); // 121.5 cents exactly
    expect(lateInterest(365000, 12.15, 2)).toBe(243);
    expect(lateInterest(1825, 10, 1)).toBe(1); // 0.5 cent
    expect(lateInterest(1824, 10, 1)).toBe(0); // 0.4997 cent
    expect(lateInterest(0, 12.15, 30)).toBe(0);
    expect(lateInterest(100000, 12.15, 0)).toBe(0);
  });
  it('stays exact on very large amounts', () => {
    // 100 000 000.00 EUR for 365 days at 12.15 % = 12 150 000.00 EUR
    expect(lateInterest(10_000_000_000, 12.15, 365)).toBe(1_215_000_000);
  });
  it('charges the indemnity per overdue invoice only', () => {
    const s = computePenalties(
      [
        { ref: 'A', openCents: 10000, daysOverdue: 3 },
        { ref: 'B', openCents: 10000, daysOverdue: 0 },
      ],
      policy,
    )!;
    expect(s.invoices.map((i) => i.indemnityCents)).toEqual([4000, 0]);
  });
});

describe('dunning plan: cadence by behaviour class', () => {
  it('good payers get the courteous cadence, later', () => {
    const g = withHistory(clientFacts('G', { since: '2020-01-01' }), [0, -3, 0, 0, 0, 0, 0, 0, 0, 0]);
    addInvoice(g, 'G1', '2026-05-21', '2026-06-20', 50000);
    const p = plan(g);
    expect(p.behaviour.class).toBe('good');
    expect(p.cadence.name).toBe('courteous');
    // D+7 friendly = 06-27, already passed: today
    expect(p.nextAction).toMatchObject({
      stage: 'friendly',
      date: AS_OF,
      tone: 'friendly',
      quotePenalties: false,
    });
  });

  it('chronic late payers get the firm cadence, earlier', () => {
    const l = withHistory(clientFacts('L', { since: '2020-01-01' }), [10, 12, 0, 9]);
    addInvoice(l, 'L1', '2026-05-29', '2026-06-28', 50000);
    const p = plan(l);
    expect(p.behaviour).toMatchObject({ class: 'late', lateShare: 0.75 });
    expect(p.cadence.name).toBe('firm');
    // D+3 clear = 07-01: scheduled, not yet due
    expect(p.nextAction).toMatchObject({
      stage: 'clear',
      date: '2026-07-01',
      dueNow: false,
      daysAfterOldestDue: 3,
    });
  });

  it('a long average delay alone makes a late payer', () => {
    const l = withHistory(clientFacts('L2', { since: '2020-01-01' }), [0, 0, 0, 80]);
    addInvoice(l, 'L2-1', '2026-05-29', '2026-06-28', 50000);
    expect(plan(l).behaviour).toMatchObject({ class: 'late', lateShare: 0.25, averageDaysLate: 20 });
  });

  it('new clients (young relationship or thin history) get the tight cadence; overdue and unreminded starts at the first step', () => {
    const n = withHistory(clientFacts('N', { since: '2026-03-01' }), [0, 0, 0, 0, 0]);
    addInvoice(n, 'N1', '2026-04-01', '2026-05-01', 50000);
    const p = plan(n);
    expect(p.behaviour.class).toBe('new');
    expect(dunningText(p.behaviour.reason, 'en')).toMatch(/less than 6 months/);
    expect(p.cadence.name).toBe('tight');
    expect(p.nextAction!.stage).toBe('friendly');
    expect(p.nextAction!.date).toBe(AS_OF);
    expect(notesText(p.nextAction!.notes)).toMatch(
      /behind schedule: at 60 days overdue the cadence has reached formal notice/,
    );

    const thin = withHistory(clientFacts('N2', { since: '2020-01-01' }), [0, 0]);
    addInvoice(thin, 'N2-1', '2026-04-01', '2026-05-01', 50000);
    expect(plan(thin).behaviour).toMatchObject({
      class: 'new',
      reason: { code: 'class.fewPaid', params: { paid: 2, required: 3 } },
    });
  });

  it('a segment override replaces the standard cadence only', () => {
    const withSegment: Policy = {
      ...policy,
      dunning: { ...policy.dunning, bySegment: { public: 'courteous' } },
    };
    const s = withHistory(clientFacts('SP', { since: '2020-01-01', segment: 'public' }), [0, 5, 0, 0, 0]);
    addInvoice(s, 'SP1', '2026-05-21', '2026-06-20', 50000);
    expect(plan(s, withSegment).cadence).toMatchObject({ name: 'courteous', source: 'segment' });
    expect(plan(s).cadence).toMatchObject({ name: 'standard', source: 'behaviour' });
    const l = withHistory(clientFacts('LP', { since: '2020-01-01', segment: 'public' }), [10, 12, 0, 9]);
    addInvoice(l, 'LP1', '2026-05-21', '2026-06-20', 50000);
    expect(plan(l, withSegment).cadence).toMatchObject({ name: 'firm', source: 'behaviour' });
  });
});

describe('dunning plan: escalation stages', () => {
  /** A standard payer with one invoice due 05-01 (60 days overdue) and the given stages sent. */
  function escalated(stages: [string, string][], amount = 120000) {
    const f = withHistory(clientFacts('E', { since: '2020-01-01' }), [0, 5, 0, 0, 0]);
    addInvoice(f, 'E1', '2026-04-01', '2026-05-01', amount);
    for (const [date, stage] of stages) addReminder(f, date, stage, ['E1']);
    return f;
  }
  const upToFinal: [string, string][] = [
    ['2026-05-02', 'friendly'],
    ['2026-05-08', 'clear'],
    ['2026-05-15', 'firm'],
    ['2026-05-22', 'phone_call'],
    ['2026-05-31', 'final_notice'],
  ];

  it('a formal notice gives the policy delay to pay', () => {
    const p = plan(escalated(upToFinal));
    expect(p.nextAction).toMatchObject({
      stage: 'formal_notice',
      date: AS_OF,
      tone: 'formal',
      channel: 'registered_letter',
      payBy: '2026-07-08',
    });
    expect(notesText(p.nextAction!.notes)).toContain(
      'formal notice: the client has 8 days to pay, until 8 July 2026',
    );
    expect(notesText(p.nextAction!.notes, 'fr')).toContain(
      'mise en demeure : le client a 8 jours pour payer, jusqu’au 8 juillet 2026',
    );
  });

  it('legal action notes the simplified procedure under the small-claims threshold', () => {
    const small = plan(escalated([...upToFinal, ['2026-06-15', 'formal_notice']]));
    expect(small.nextAction).toMatchObject({
      stage: 'legal',
      date: '2026-07-15',
      dueNow: false,
      channel: 'court',
    });
    expect(notesText(small.nextAction!.notes)).toMatch(/simplified small-claims procedure/);
    const large = plan(escalated([...upToFinal, ['2026-06-15', 'formal_notice']], 600000));
    expect(notesText(large.nextAction!.notes)).toMatch(/order for payment/);
  });

  it('a cadence fully sent is exhausted, with no next action', () => {
    const p = plan(escalated([...upToFinal, ['2026-06-15', 'formal_notice'], ['2026-06-29', 'legal']]));
    expect(p.status).toBe('exhausted');
    expect(p.nextAction).toBeNull();
    expect(p.stageReached).toBe('legal');
  });

  it('a phone call asks for a written recap', () => {
    const p = plan(escalated(upToFinal.slice(0, 3)));
    expect(p.nextAction).toMatchObject({ stage: 'phone_call', tone: 'firm', channel: 'phone' });
    expect(notesText(p.nextAction!.notes)).toMatch(/written recap/);
  });

  it('never plans two reminders closer than 3 days', () => {
    const p = plan(escalated([['2026-06-29', 'friendly']]));
    expect(p.nextAction).toMatchObject({ stage: 'clear', date: '2026-07-02' });
    expect(dunningText(p.nextAction!.notes[0]!, 'en')).toBe(
      'spaced 3 days after the previous reminder of 29 June 2026',
    );
  });

  it('consolidates per-invoice histories: the furthest stage sent for any covered invoice wins', () => {
    const f = escalated(upToFinal.slice(0, 3)); // E1 reached firm
    addInvoice(f, 'E2', '2026-05-16', '2026-06-15', 30000);
    addReminder(f, '2026-06-16', 'friendly', ['E2']);
    addReminder(f, '2026-06-22', 'clear', ['E2']); // the latest reminder, but a lower stage
    const p = plan(f);
    expect(p.stageReached).toBe('firm');
    expect(p.lastReminderDate).toBe('2026-06-22');
    expect(p.nextAction).toMatchObject({
      stage: 'phone_call',
      invoiceRefs: ['E1', 'E2'],
      totalOpenCents: 150000,
    });
  });

  it('reminders about other, settled invoices do not advance a new episode', () => {
    const f = escalated([]);
    addReminder(f, '2025-03-20', 'firm', ['E-P2']);
    const p = plan(f);
    expect(p.nextAction!.stage).toBe('friendly');
    expect(p.stageReached).toBeNull();
  });
});

describe('dunning plan: promises and disputes', () => {
  it('a broken promise resumes the cadence', () => {
    const f = withHistory(clientFacts('B', { since: '2020-01-01' }), [0, 5, 0, 0, 0]);
    addInvoice(f, 'B1', '2026-05-11', '2026-06-10', 80000);
    addPromise(f, '2026-06-20', 80000, { invoiceRef: 'B1', madeDate: '2026-06-12' });
    addReminder(f, '2026-06-11', 'friendly', ['B1']);
    const p = plan(f);
    expect(p.covered.map((i) => i.ref)).toEqual(['B1']);
    expect(p.brokenPromises).toEqual([{ promisedDate: '2026-06-20', amountCents: 80000, invoiceRef: 'B1' }]);
    expect(p.nextAction!.stage).toBe('clear');
    expect(notesText(p.nextAction!.notes)).toMatch(/broken promise.*20 June 2026.*resumes/);
  });

  it('a promise due today still holds', () => {
    const f = withHistory(clientFacts('P', { since: '2020-01-01' }), [0, 5, 0, 0, 0]);
    addInvoice(f, 'P1', '2026-05-11', '2026-06-10', 80000);
    addPromise(f, AS_OF, 80000, { invoiceRef: 'P1', madeDate: '2026-06-12' });
    const p = plan(f);
    expect(p.status).toBe('on_hold');
    expect(p.excluded[0]).toMatchObject({ ref: 'P1', reason: 'promised', followUpDate: '2026-07-01' });
  });

  it('a client-level promise covers the oldest invoices its amount pays in full', () => {
    const f = withHistory(clientFacts('CL', { since: '2020-01-01' }), [0, 5, 0, 0, 0]);
    addInvoice(f, 'X1', '2026-05-01', '2026-05-31', 100000);
    addInvoice(f, 'X2', '2026-05-11', '2026-06-10', 80000);
    addPromise(f, '2026-07-10', 150000, { madeDate: '2026-06-25' });
    const p = plan(f);
    expect(p.excluded.map((e) => [e.ref, e.reason])).toEqual([['X1', 'promised']]);
    expect(p.covered.map((i) => i.ref)).toEqual(['X2']);
    expect(p.oldestDueDate).toBe('2026-06-10');
  });

  it('a client whose only overdue invoice is disputed is on hold', () => {
    const f = withHistory(clientFacts('D', { since: '2020-01-01' }), [0, 5, 0, 0, 0]);
    addInvoice(f, 'D1', '2026-05-11', '2026-06-10', 80000);
    addDispute(f, 'D1', '2026-06-12');
    const p = plan(f);
    expect(p).toMatchObject({
      status: 'on_hold',
      nextAction: null,
      covered: [],
      penalties: { totalCents: 0 },
    });
    expect(p.excluded[0]).toMatchObject({ ref: 'D1', reason: 'disputed' });
  });

  it('a dispute resolved before the as-of date no longer blocks reminders', () => {
    const f = withHistory(clientFacts('R', { since: '2020-01-01' }), [0, 5, 0, 0, 0]);
    addInvoice(f, 'R1', '2026-05-11', '2026-06-10', 80000);
    addDispute(f, 'R1', '2026-06-12', { status: 'rejected', resolvedDate: '2026-06-20' });
    expect(plan(f).covered.map((i) => i.ref)).toEqual(['R1']);
    // ... but as of 06-15 it was still open
    expect(planClientDunning(f, '2026-06-15', policy)!.status).toBe('on_hold');
  });
});

describe('portfolio plan', () => {
  it('has one plan per client with overdue invoices, soonest action first, with totals', () => {
    const s = standardClient();
    const late = withHistory(clientFacts('L', { since: '2020-01-01' }), [10, 12, 0, 9]);
    addInvoice(late, 'L1', '2026-05-29', '2026-06-28', 50000);
    const clean = withHistory(clientFacts('Z', { since: '2020-01-01' }), [0, 0, 0]);
    const held = withHistory(clientFacts('H', { since: '2020-01-01' }), [0, 5, 0, 0, 0]);
    addInvoice(held, 'H1', '2026-05-11', '2026-06-10', 80000);
    addDispute(held, 'H1', '2026-06-12');
    const r = computeDunningPlan([late, clean, held, s], AS_OF, policy);
    expect(r.plans.map((p) => [p.clientRef, p.status, p.nextAction?.date ?? null])).toEqual([
      ['S', 'action', AS_OF],
      ['L', 'action', '2026-07-01'],
      ['H', 'on_hold', null],
    ]);
    expect(r.totals).toEqual({
      clients: 3,
      action: 2,
      onHold: 1,
      exhausted: 0,
      dueNow: 1,
      coveredCents: 130000 + 50000,
      // S: O3 700.00 disputed + O4 400.00 promised; H: H1 800.00 disputed
      excludedCents: 70000 + 40000 + 80000,
    });
  });
});
