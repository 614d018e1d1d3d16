import { addDays, daysBetween, type IsoDate, maxDate } from './dates.ts';
import { computeDunningPlan } from './dunning.ts';
import { factsAsOf, type InvoiceState, invoiceStates, openDisputeRefs } from './ledger.ts';
import type { Minor } from './money.ts';
import type { Policy } from './policy.ts';
import type { ClientFacts } from './types.ts';

/**
 * Receivables KPIs for a period ending on the as-of date. Each KPI carries its unit and its exact
 * definition, so the JSON and the README explain themselves; a KPI that cannot be computed (a
 * division by zero) is null with the reason.
 */
export type KpiUnit = 'days' | 'percent' | 'cents' | 'count';

export interface Kpi {
  label: string;
  value: number | null;
  unit: KpiUnit;
  definition: string;
  /** Why the value is null, or a caveat about it. */
  note?: string;
}

/** Days after a reminder within which a payment counts as a response to it. */
export const REMINDER_RESPONSE_DAYS = 14;
/** Invoicing within this many days of delivery counts as prompt (rule of thumb: 24-48 h). */
export const PROMPT_INVOICING_DAYS = 2;
/** The count-back walk stops after this many months of sales. */
export const COUNT_BACK_MAX_MONTHS = 24;

export const KPI_DEFINITIONS = {
  dsoCountBack: {
    label: 'DSO (count-back method)',
    unit: 'days',
    definition:
      'Days of most recent net credit sales that make up the closing receivables: walking back month by month from the as-of date (the current month counted up to the as-of date), each month whose net sales are fully absorbed adds its calendar days; the month where the receivables run out adds days x remaining / net sales of that month. Net credit sales = invoices issued minus credit notes dated in the month.',
  },
  dsoSimple: {
    label: 'DSO (simple formula)',
    unit: 'days',
    definition:
      'Closing receivables / net credit sales in the period x days in the period. Closing receivables = open balance of all invoices on the as-of date, disputed included.',
  },
  bestPossibleDso: {
    label: 'Best possible DSO',
    unit: 'days',
    definition:
      'Current (not yet due) receivables on the as-of date / net credit sales in the period x days in the period.',
  },
  averageDaysDelinquent: {
    label: 'Average days delinquent (ADD)',
    unit: 'days',
    definition:
      'DSO (simple formula) - best possible DSO, i.e. overdue receivables / net credit sales x days.',
  },
  cei: {
    label: 'Collection effectiveness index (CEI)',
    unit: 'percent',
    definition:
      '(opening receivables + net credit sales in the period - closing total receivables) / (opening receivables + net credit sales in the period - closing current receivables) x 100. Opening receivables are the open balance at the end of the day before the period starts; current means not yet due.',
  },
  overdueShareByCount: {
    label: 'Overdue invoices (by count)',
    unit: 'percent',
    definition:
      'Open invoices past their due date / all open invoices on the as-of date x 100 (disputed included).',
  },
  overdueShareByAmount: {
    label: 'Overdue receivables (by amount)',
    unit: 'percent',
    definition: 'Open amount past due / total open amount on the as-of date x 100 (disputed included).',
  },
  totalOverdue: {
    label: 'Total overdue',
    unit: 'cents',
    definition:
      'Open amount of invoices past their due date on the as-of date, disputed included (the aging report shows disputed invoices in their own column, so this equals the sum of its buckets plus the overdue part of its disputed column).',
  },
  openDisputes: {
    label: 'Open disputes',
    unit: 'count',
    definition: 'Disputes opened on or before the as-of date and not resolved or rejected by then.',
  },
  openDisputedAmount: {
    label: 'Open amount in dispute',
    unit: 'cents',
    definition:
      'Open balance of invoices with an open dispute on the as-of date (the aging disputed column).',
  },
  averageDisputeResolutionDays: {
    label: 'Average dispute resolution time',
    unit: 'days',
    definition:
      'Mean of (resolution date - opening date) over disputes resolved or rejected during the period.',
  },
  deliveryToInvoiceDays: {
    label: 'Delivery-to-invoice delay',
    unit: 'days',
    definition:
      'Mean of (issue date - delivery date) over invoices issued in the period that have a delivery date; an invoice issued before delivery counts as 0.',
  },
  invoicedWithin2DaysShare: {
    label: 'Invoiced within 2 days of delivery',
    unit: 'percent',
    definition:
      'Share of invoices issued in the period with a delivery date whose delivery-to-invoice delay is 2 days or less x 100.',
  },
  overdueWithNextActionShare: {
    label: 'Overdue invoices with a dated next action',
    unit: 'percent',
    definition:
      'Overdue open invoices not in dispute that the dunning plan covers with a dated next action, or that a pending promise to pay covers (follow-up the day after the promised date) / all overdue open invoices not in dispute x 100. Disputed invoices follow the dispute workflow and are left out.',
  },
  paymentRateAfterReminders: {
    label: 'Payment rate after reminders',
    unit: 'percent',
    definition:
      'For each invoice named in each reminder sent between the period start and 14 days before the as-of date (so every response window is complete), and still open on the reminder date: share fully settled within 14 days after the reminder x 100.',
  },
  onTimePaymentRate: {
    label: 'On-time payment rate',
    unit: 'percent',
    definition:
      'Invoices falling due in the period (due date from the period start to the as-of date) that were fully settled on or before their due date / all invoices falling due in the period x 100. Given per client segment in bySegment, also weighted by amount.',
  },
} as const satisfies Record<string, { label: string; unit: KpiUnit; definition: string }>;

export type KpiKey = keyof typeof KPI_DEFINITIONS;

export interface SegmentPaymentRate {
  segment: string;
  invoicesDue: number;
  paidOnTime: number;
  /** Count-based on-time payment rate, percent. */
  rate: number | null;
  amountDueCents: Minor;
  amountPaidOnTimeCents: Minor;
  /** Amount-weighted on-time payment rate, percent. */
  amountRate: number | null;
}

export interface KpiReport {
  asOf: IsoDate;
  periodDays: number;
  periodStart: IsoDate;
  currency: string;
  clients: number;
  kpis: Record<KpiKey, Kpi>;
  bySegment: SegmentPaymentRate[];
  /** The figures the ratios are built from, for checking by hand. */
  inputs: {
    openingDate: IsoDate;
    openingReceivablesCents: Minor;
    closingReceivablesCents: Minor;
    closingCurrentCents: Minor;
    closingOverdueCents: Minor;
    invoicedInPeriodCents: Minor;
    creditNotesInPeriodCents: Minor;
    netCreditSalesCents: Minor;
    openInvoices: number;
    overdueInvoices: number;
    reminderPairs: number;
    reminderPairsPaid: number;
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
/** Ratio as a percent with one decimal, or null when the denominator is not positive. */
const pct = (num: number, den: number) => (den > 0 ? round1((num / den) * 100) : null);

function kpi(key: KpiKey, value: number | null, noteIfNull?: string, note?: string): Kpi {
  const d = KPI_DEFINITIONS[key];
  const out: Kpi = { label: d.label, value, unit: d.unit, definition: d.definition };
  const n = value === null ? noteIfNull : note;
  if (n) out.note = n;
  return out;
}

interface Cut {
  facts: ClientFacts;
  states: InvoiceState[];
}

const openTotal = (states: readonly InvoiceState[]) => states.reduce((a, s) => a + s.open, 0);

/** Net credit sales (invoices issued minus credit notes) dated in [from, to]. */
function netSales(cuts: readonly Cut[], from: IsoDate, to: IsoDate): { invoiced: Minor; credited: Minor } {
  let invoiced = 0;
  let credited = 0;
  for (const { facts } of cuts) {
    for (const i of facts.invoices) if (i.issueDate >= from && i.issueDate <= to) invoiced += i.amount;
    for (const p of facts.payments)
      if (p.kind === 'credit_note' && p.date >= from && p.date <= to) credited += p.amount;
  }
  return { invoiced, credited };
}

/** Count-back DSO over calendar months, walking back from asOf; see KPI_DEFINITIONS.dsoCountBack. */
export function countBackDso(
  cuts: readonly Cut[],
  asOf: IsoDate,
  receivables: Minor,
): { value: number; exhausted: boolean } {
  if (receivables <= 0) return { value: 0, exhausted: false };
  let remaining = receivables;
  let days = 0;
  let end = asOf;
  for (let m = 0; m < COUNT_BACK_MAX_MONTHS; m++) {
    const start = `${end.slice(0, 7)}-01`;
    const span = daysBetween(start, end) + 1;
    const { invoiced, credited } = netSales(cuts, start, end);
    const sales = invoiced - credited;
    if (sales > 0 && remaining <= sales)
      return { value: round1(days + (span * remaining) / sales), exhausted: false };
    if (sales > 0) remaining -= sales;
    days += span;
    end = addDays(start, -1);
  }
  return { value: days, exhausted: true };
}

/**
 * KPIs over the given clients (one client or the whole portfolio) for the `periodDays` days ending
 * on `asOf` (inclusive). Every input is cut to what was known on `asOf`.
 */
export function computeKpis(
  all: readonly ClientFacts[],
  asOf: IsoDate,
  policy: Policy,
  periodDays = 90,
): KpiReport {
  const periodStart = addDays(asOf, -(periodDays - 1));
  const openingDate = addDays(asOf, -periodDays);
  const cuts: Cut[] = all.map((f) => {
    const facts = factsAsOf(f, asOf);
    return { facts, states: invoiceStates(facts, asOf) };
  });
  const opening = all.reduce(
    (a, f) => a + openTotal(invoiceStates(factsAsOf(f, openingDate), openingDate)),
    0,
  );

  let closing = 0;
  let current = 0;
  let openCount = 0;
  let overdueCount = 0;
  let openDisputes = 0;
  let disputedOpenCents = 0;
  const resolutions: number[] = [];
  const deliveryDelays: number[] = [];
  let pairs = 0;
  let pairsPaid = 0;
  const segments = new Map<string, SegmentPaymentRate>();
  const lastReminderDay = addDays(asOf, -REMINDER_RESPONSE_DAYS);

  for (const { facts, states } of cuts) {
    const disputed = openDisputeRefs(facts);
    const stateOf = new Map(states.map((s) => [s.invoice.ref, s]));
    for (const s of states) {
      if (!s.isOpen) continue;
      closing += s.open;
      openCount += 1;
      if (s.isOverdue) overdueCount += 1;
      else current += s.open;
      if (disputed.has(s.invoice.ref)) disputedOpenCents += s.open;
    }
    for (const d of facts.disputes) {
      if (d.status === 'open') openDisputes += 1;
      else if (d.resolvedDate !== null && d.resolvedDate >= periodStart && d.resolvedDate <= asOf)
        resolutions.push(daysBetween(d.openedDate, d.resolvedDate));
    }
    for (const i of facts.invoices)
      if (i.issueDate >= periodStart && i.deliveredDate !== null)
        deliveryDelays.push(Math.max(0, daysBetween(i.deliveredDate, i.issueDate)));
    for (const r of facts.reminders) {
      if (r.date < periodStart || r.date > lastReminderDay) continue;
      for (const ref of r.invoiceRefs) {
        const s = stateOf.get(ref);
        if (!s || s.invoice.issueDate > r.date) continue;
        if (s.settledDate !== null && s.settledDate < r.date) continue; // already paid: not a response
        pairs += 1;
        if (s.settledDate !== null && s.settledDate <= addDays(r.date, REMINDER_RESPONSE_DAYS))
          pairsPaid += 1;
      }
    }
    const segment = facts.client.segment ?? '(none)';
    for (const s of states) {
      const due = s.invoice.dueDate;
      if (due < periodStart || due > asOf) continue;
      const row =
        segments.get(segment) ??
        segments
          .set(segment, {
            segment,
            invoicesDue: 0,
            paidOnTime: 0,
            rate: null,
            amountDueCents: 0,
            amountPaidOnTimeCents: 0,
            amountRate: null,
          })
          .get(segment)!;
      row.invoicesDue += 1;
      row.amountDueCents += s.invoice.amount;
      if (s.settledDate !== null && s.settledDate <= due) {
        row.paidOnTime += 1;
        row.amountPaidOnTimeCents += s.invoice.amount;
      }
    }
  }

  const { invoiced, credited } = netSales(cuts, periodStart, asOf);
  const sales = invoiced - credited;
  const overdueCents = closing - current;
  const noSales = 'no net credit sales in the period (division by zero)';
  const perSales = (amount: Minor) => (sales > 0 ? round1((amount / sales) * periodDays) : null);
  const ceiDen = opening + sales - current;

  const plan = computeDunningPlan(all, asOf, policy);
  let actionable = 0;
  let withAction = 0;
  for (const p of plan.plans) {
    actionable += p.covered.length + p.excluded.filter((e) => e.reason === 'promised').length;
    if (p.nextAction) withAction += p.covered.length;
    withAction += p.excluded.filter((e) => e.reason === 'promised' && e.followUpDate !== null).length;
  }

  const bySegment = [...segments.values()]
    .map((r) => ({
      ...r,
      rate: pct(r.paidOnTime, r.invoicesDue),
      amountRate: pct(r.amountPaidOnTimeCents, r.amountDueCents),
    }))
    .sort((a, b) => (a.segment < b.segment ? -1 : 1));
  const dueTotal = bySegment.reduce((a, r) => a + r.invoicesDue, 0);
  const onTimeTotal = bySegment.reduce((a, r) => a + r.paidOnTime, 0);
  const mean = (xs: number[]) => (xs.length ? round1(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
  const countBack = countBackDso(cuts, asOf, closing);

  return {
    asOf,
    periodDays,
    periodStart,
    currency: policy.baseCurrency,
    clients: all.length,
    kpis: {
      dsoCountBack: kpi(
        'dsoCountBack',
        countBack.value,
        undefined,
        countBack.exhausted
          ? `receivables exceed ${COUNT_BACK_MAX_MONTHS} months of net sales: the value is a floor`
          : undefined,
      ),
      dsoSimple: kpi('dsoSimple', perSales(closing), noSales),
      bestPossibleDso: kpi('bestPossibleDso', perSales(current), noSales),
      averageDaysDelinquent: kpi('averageDaysDelinquent', perSales(overdueCents), noSales),
      cei: kpi(
        'cei',
        ceiDen > 0 ? round1(((opening + sales - closing) / ceiDen) * 100) : null,
        'opening receivables + net sales - current receivables is not positive (division by zero)',
      ),
      overdueShareByCount: kpi('overdueShareByCount', pct(overdueCount, openCount), 'no open invoice'),
      overdueShareByAmount: kpi('overdueShareByAmount', pct(overdueCents, closing), 'no open balance'),
      totalOverdue: kpi('totalOverdue', overdueCents),
      openDisputes: kpi('openDisputes', openDisputes),
      openDisputedAmount: kpi('openDisputedAmount', disputedOpenCents),
      averageDisputeResolutionDays: kpi(
        'averageDisputeResolutionDays',
        mean(resolutions),
        'no dispute resolved in the period',
      ),
      deliveryToInvoiceDays: kpi(
        'deliveryToInvoiceDays',
        mean(deliveryDelays),
        'no invoice issued in the period has a delivery date',
      ),
      invoicedWithin2DaysShare: kpi(
        'invoicedWithin2DaysShare',
        pct(deliveryDelays.filter((d) => d <= PROMPT_INVOICING_DAYS).length, deliveryDelays.length),
        'no invoice issued in the period has a delivery date',
      ),
      overdueWithNextActionShare: kpi(
        'overdueWithNextActionShare',
        pct(withAction, actionable),
        'no overdue invoice outside disputes',
      ),
      paymentRateAfterReminders: kpi(
        'paymentRateAfterReminders',
        pct(pairsPaid, pairs),
        `no reminder sent between ${periodStart} and ${maxDate(periodStart, lastReminderDay)} on an invoice still open`,
      ),
      onTimePaymentRate: kpi(
        'onTimePaymentRate',
        pct(onTimeTotal, dueTotal),
        'no invoice fell due in the period',
      ),
    },
    bySegment,
    inputs: {
      openingDate,
      openingReceivablesCents: opening,
      closingReceivablesCents: closing,
      closingCurrentCents: current,
      closingOverdueCents: overdueCents,
      invoicedInPeriodCents: invoiced,
      creditNotesInPeriodCents: credited,
      netCreditSalesCents: sales,
      openInvoices: openCount,
      overdueInvoices: overdueCount,
      reminderPairs: pairs,
      reminderPairsPaid: pairsPaid,
    },
  };
}

/** Parses a period flag such as "90d" into days (1 to 3 660). */
export function parsePeriodDays(text: string): number | null {
  const m = /^(\d{1,4})d$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 1 && n <= 3660 ? n : null;
}
