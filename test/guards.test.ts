import { describe, expect, it } from 'vitest';
import { checkGroundedness, extractValues, indexFacts, parseAmountText } from '../src/core/grounding.ts';
import { lintReminder } from '../src/core/legal-lint.ts';
import {
  formatDate,
  formatLongDate,
  type ReminderFacts,
  SCENARIOS,
  type Scenario,
  scenarioForStage,
  writeLetter,
} from '../src/core/letters.ts';
import { DEFAULT_POLICY, type Policy } from '../src/core/policy.ts';

/** Two overdue invoices of one client, one disputed invoice and one paid invoice left out. */
function reminderFacts(over: Partial<ReminderFacts> = {}): ReminderFacts {
  return {
    scenario: 'clear',
    stage: 'clear',
    tone: 'clear',
    language: 'fr',
    asOf: '2026-11-23',
    currency: 'EUR',
    client: { ref: 'C0001', name: 'Dupont BTP', email: 'compta@dupont-btp.example' },
    invoices: [
      {
        ref: 'F2026-0101',
        issueDate: '2026-09-01',
        dueDate: '2026-10-01',
        amount: 1_234_56,
        open: 1_234_56,
        daysOverdue: 53,
        description: null,
        currency: 'EUR',
        amountInCurrency: 1_234_56,
        openInCurrency: 1_234_56,
        paymentLink: null,
      },
      {
        ref: 'F2026-0117',
        issueDate: '2026-09-15',
        dueDate: '2026-10-15',
        amount: 2_000_00,
        open: 500_00,
        daysOverdue: 39,
        description: null,
        currency: 'EUR',
        amountInCurrency: 2_000_00,
        openInCurrency: 500_00,
        paymentLink: null,
      },
    ],
    totalOpen: 1_734_56,
    totals: [{ currency: 'EUR', amount: 1_734_56 }],
    company: null,
    deadline: '2026-11-30',
    deadlineDays: 7,
    legal: {
      penaltyRatePercent: 12.15,
      indemnity: 40_00,
      reference: 'Code de commerce, article L441-10',
      article: 'L441-10',
      policyRatePercent: 12.15,
      policyIndemnity: 40_00,
    },
    claim: null,
    previousReminders: [],
    brokenPromise: null,
    excluded: [
      { ref: 'F2026-0099', reason: 'disputed' },
      { ref: 'F2026-0050', reason: 'paid' },
    ],
    promise: null,
    dispute: null,
    call: null,
    smallClaim: true,
    ...over,
  };
}

describe('amount parsing', () => {
  it.each([
    ['1 234,56', 123456],
    ['1\u202f234,56', 123456],
    ['1\u00a0234,56', 123456],
    ['1,234.56', 123456],
    ['1.234,56', 123456],
    ['40', 4000],
    ['40,5', 4050],
    ['12 345 678', 1234567800],
  ])('%s -> %i cents', (text, cents) => {
    expect(parseAmountText(text)).toBe(cents);
  });
});

describe('checkGroundedness', () => {
  const facts = {
    invoice: { ref: 'F2026-0101', dueDate: '2026-10-01', open: { minor: 123456, text: '1 234,56 EUR' } },
    penaltyRatePercent: 12.15,
    indemnity: { minor: 4000, text: '40,00 EUR' },
    lateShare: 0.3312,
    deadline: '2026-11-30',
  };

  it('accepts French formats taken from the facts', () => {
    const text =
      'La facture F2026-0101 échue le 01/10/2026 (1 234,56 EUR, soit 1\u202f234,56 €) est à régler avant le 30 novembre 2026 ; ' +
      'pénalités au taux de 12,15 % et indemnité de 40 €. Le 2026-10-01 était l’échéance ; 33 % des factures sont payées en retard.';
    const result = checkGroundedness(text, facts);
    expect(result.findings).toEqual([]);
    expect(result.checked).toEqual({ amount: 3, date: 3, percent: 2, ref: 1 });
  });

  it('accepts English formats taken from the facts', () => {
    const text =
      'Invoice F2026-0101 was due on October 1, 2026: EUR 1,234.56 (€1,234.56) by 30 November 2026, ' +
      'late-payment rate 12.15%, fixed fee €40.00, 33.12% of invoices paid late, 1st October 2026.';
    const result = checkGroundedness(text, facts);
    expect(result.findings).toEqual([]);
    expect(result.checked.date).toBe(3);
  });

  it('reports each amount, date, percentage and ref missing from the facts, as written', () => {
    const text =
      'Facture F2026-0102 : 1 243,56 EUR à payer le 01/12/2026, taux 12,5 %, et EUR 1,234.50 le November 23, 2026.';
    const result = checkGroundedness(text, facts);
    expect(result.ok).toBe(false);
    expect(result.findings.map((f) => [f.kind, f.text, f.value])).toEqual([
      ['ref', 'F2026-0102', 'F2026-0102'],
      ['amount', '1 243,56 EUR', 124356],
      ['date', '01/12/2026', '2026-12-01'],
      ['percent', '12,5 %', 12.5],
      ['amount', 'EUR 1,234.50', 123450],
      ['date', 'November 23, 2026', '2026-11-23'],
    ]);
  });

  it('reads a bare money figure with two decimals as an amount', () => {
    expect(checkGroundedness('Solde : 1 234,56', facts).ok).toBe(true);
    expect(checkGroundedness('Solde : 1 234,57', facts).findings[0]).toMatchObject({
      kind: 'amount',
      value: 123457,
    });
  });

  it('does not glue the end of a range to an amount ("1-30 305 835,93 EUR")', () => {
    const values = extractValues('1-30 305\u202f835,93 EUR ; 31-60 1 734,56 EUR');
    expect(values.map((v) => v.value)).toEqual([30583593, 173456]);
  });

  it('does not read days, years or a date day as amounts', () => {
    const values = extractValues('60 jours en 2026, le 23 novembre 2026, grade D, score 38/100');
    expect(values.map((v) => v.kind)).toEqual(['date']);
  });

  it('derives ref shapes from ref fields only when they mix letters and digits', () => {
    const index = indexFacts({
      client: { ref: 'C0042' },
      invoiceRefs: ['INV-7', 'FA/2026/12'],
      orderRef: '123456',
    });
    expect(index.refShapes.map((r) => r.source)).toHaveLength(3);
    const found = extractValues('C0042 C0043 INV-9 FA/2026/13 123457', index.refShapes).map((v) => v.value);
    expect(found).toEqual(['C0042', 'C0043', 'INV-9', 'FA/2026/13']);
    expect(
      checkGroundedness('C0042 owes; see INV-7 and FA/2026/13', index).findings.map((f) => f.value),
    ).toEqual(['FA/2026/13']);
  });

  it('dates: French long form with 1er, and US month/day when day/month is impossible', () => {
    const values = extractValues('le 1er décembre 2026 et 12/31/2026');
    expect(values.map((v) => v.value)).toEqual(['2026-12-01', '2026-12-31']);
  });
});

describe('lintReminder', () => {
  const policy = DEFAULT_POLICY;
  const facts = reminderFacts();
  const clean = writeLetter(facts);

  it('passes the template letter', () => {
    expect(lintReminder(`${clean.subject}\n${clean.body}`, facts, policy)).toEqual([]);
  });

  it.each([
    ['threat', 'Payez, sinon vous allez le regretter.'],
    ['threat', 'Pay now or else.'],
    ['insult', 'Vous êtes des escrocs.'],
    ['insult', 'You are a deadbeat.'],
    ['blackmail', 'Nous publierons votre nom sur les réseaux sociaux.'],
    ['blackmail', 'We will name and shame you.'],
    ['third_party', 'Nous informerons votre banque et vos clients.'],
    ['third_party', 'We will contact your employer.'],
  ])('flags %s: %s', (kind, sentence) => {
    const findings = lintReminder(`${clean.body}\n${sentence}`, facts, policy);
    expect(findings.map((f) => f.kind)).toContain(kind);
  });

  it('flags a disputed invoice, and a paid one, named in a reminder', () => {
    const findings = lintReminder(
      `${clean.body}\nFactures F2026-0099 et F2026-0050 également.`,
      facts,
      policy,
    );
    expect(findings.map((f) => [f.kind, f.text])).toEqual([
      ['disputed_invoice', 'F2026-0099'],
      ['paid_invoice', 'F2026-0050'],
    ]);
  });

  it('allows the disputed invoice in a dispute acknowledgement', () => {
    const ack = reminderFacts({
      scenario: 'dispute_acknowledgement',
      invoices: [{ ...reminderFacts().invoices[0]!, ref: 'F2026-0099' }],
      dispute: {
        invoiceRef: 'F2026-0099',
        openedDate: '2026-11-02',
        owner: 'alice',
        reason: 'livraison incomplète',
        currency: 'EUR',
        disputedAmount: 1_234_56,
        undisputedAmount: 0,
      },
    });
    const letter = writeLetter(ack);
    expect(letter.body).toContain('F2026-0099');
    expect(lintReminder(letter.body, ack, policy)).toEqual([]);
  });

  it('flags a wrong penalty rate and a wrong indemnity (FR and EN)', () => {
    const fr = lintReminder(
      'Pénalités de retard au taux de 10 % ; indemnité forfaitaire de 50 EUR par facture.',
      facts,
      policy,
    );
    expect(fr.map((f) => [f.kind, f.text])).toEqual([
      ['penalty_rate', '10 %'],
      ['indemnity', '50 EUR'],
    ]);
    const en = lintReminder(
      'Late-payment interest at 12.5%; a fixed recovery fee of EUR 45.00.',
      facts,
      policy,
    );
    expect(en.map((f) => f.kind)).toEqual(['penalty_rate', 'indemnity']);
  });

  it('accepts the indemnity per invoice times the invoices covered, and the policy rate 12.15', () => {
    const ok = lintReminder(
      'Late-payment penalties at 12.15% per year. Fixed recovery indemnity: EUR 80.00 for the two invoices.',
      facts,
      policy,
    );
    expect(ok).toEqual([]);
    const tooMany = lintReminder('Indemnité forfaitaire : 120,00 EUR.', facts, policy);
    expect(tooMany.map((f) => f.kind)).toEqual(['indemnity']);
  });

  it('flags a penalty rate when the policy does not apply penalties', () => {
    const noPenalty: Policy = {
      ...policy,
      legal: { ...policy.legal, latePenalty: { ...policy.legal.latePenalty, enabled: false } },
    };
    expect(lintReminder('Pénalités au taux de 12,15 %.', facts, noPenalty).map((f) => f.kind)).toEqual([
      'penalty_disabled',
    ]);
  });
});

describe('letter helpers', () => {
  it('maps plan stages to scenarios', () => {
    const stages: [string, Scenario][] = [
      ['friendly', 'friendly'],
      ['phone_call', 'call_recap'],
      ['legal', 'formal_notice'],
      ['formal_notice', 'formal_notice'],
    ];
    for (const [stage, scenario] of stages) expect(scenarioForStage(stage)).toBe(scenario);
    expect(SCENARIOS).toContain('broken_promise');
  });

  it('formats dates in both languages', () => {
    expect(formatDate('2026-11-03', 'fr')).toBe('03/11/2026');
    expect(formatDate('2026-11-03', 'en')).toBe('3 November 2026');
    expect(formatLongDate('2026-12-01', 'fr')).toBe('1er décembre 2026');
  });
});
