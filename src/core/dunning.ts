import { addDays, addMonths, daysBetween, type IsoDate, maxDate } from './dates.ts';
import { factsAsOf, type InvoiceState, invoiceStates, openDisputeRefs } from './ledger.ts';
import type { Minor } from './money.ts';
import { computePenalties, type PenaltySummary } from './penalties.ts';
import type { DunningStage, Policy } from './policy.ts';
import type { ClientFacts, PromiseFact } from './types.ts';
import { type Worded, worded } from './worded.ts';

/**
 * The dunning plan: for each client with overdue invoices, ONE consolidated next action (stage,
 * date, tone, invoices covered) following the cadence that fits the client's payment behaviour.
 * It never plans a reminder for a disputed invoice, a paid one, or one covered by a promise whose
 * date has not passed; those are listed as `excluded` with the reason.
 */
export const BEHAVIOUR_CLASSES = ['good', 'standard', 'late', 'new'] as const;
export type BehaviourClass = (typeof BEHAVIOUR_CLASSES)[number];

export type Tone = 'friendly' | 'neutral' | 'firm' | 'formal';
export type Channel = 'email' | 'phone' | 'registered_letter' | 'court';

export const STAGE_TONE: Record<DunningStage, Tone> = {
  friendly: 'friendly',
  clear: 'neutral',
  firm: 'firm',
  final_notice: 'firm',
  formal_notice: 'formal',
  phone_call: 'firm',
  legal: 'formal',
};

export const STAGE_CHANNEL: Record<DunningStage, Channel> = {
  friendly: 'email',
  clear: 'email',
  firm: 'email',
  final_notice: 'email',
  formal_notice: 'registered_letter',
  phone_call: 'phone',
  legal: 'court',
};

/** Stages whose message should state the late-payment penalties and the fixed indemnity. */
const QUOTES_PENALTIES: ReadonlySet<DunningStage> = new Set([
  'firm',
  'final_notice',
  'formal_notice',
  'legal',
]);

/** Stages a chronic late payer behind schedule may jump to: letters up to the penalty stage. */
const CATCH_UP_STAGES: ReadonlySet<DunningStage> = new Set(['friendly', 'clear', 'firm']);

/** Invoices reminded within this many days and settled since are listed as excluded (paid). */
export const RECENTLY_REMINDED_DAYS = 60;

/** Two reminders to one client are never planned closer than this (avoid over-reminding). */
export const MIN_DAYS_BETWEEN_REMINDERS = 3;

export interface BehaviourSummary {
  class: BehaviourClass;
  paidInvoices: number;
  lateInvoices: number;
  /** Share of paid invoices settled after their due date (0-1), null with no paid invoice. */
  lateShare: number | null;
  /** Mean days beyond the due date over paid invoices, early payments counted as 0. */
  averageDaysLate: number | null;
  relationshipStart: IsoDate | null;
  /** Why this class, with the figures. */
  reason: Worded<DunningCode>;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** What the plan's figures say, one code per case (src/wording/dunning.ts words them). */
export const DUNNING_CODES = [
  'class.young',
  'class.fewPaid',
  'class.late',
  'class.good',
  'class.standard',
  'excluded.paused',
  'excluded.disputed',
  'excluded.promised',
  'excluded.paid',
  'note.catchUp',
  'note.spaced',
  'note.behind',
  'note.brokenPromises',
  'note.formalNotice',
  'note.call',
  'note.smallClaim',
  'note.orderForPayment',
] as const;
export type DunningCode = (typeof DUNNING_CODES)[number];

/** Paid invoices (fully settled as of the date) with their days beyond due date. */
const paidStates = (states: readonly InvoiceState[]) =>
  states.filter((s): s is InvoiceState & { daysLate: number } => !s.isOpen && s.daysLate !== null);

/**
 * Behaviour class from the client's paid-invoice history as of a date (facts already cut):
 * new (young relationship or too few paid invoices), late, good, else standard. Thresholds are in
 * `policy.dunning.classes`; the minimum history is `policy.scoring.minPaidInvoicesForBehaviour`.
 */
export function classifyBehaviour(
  facts: ClientFacts,
  states: readonly InvoiceState[],
  asOf: IsoDate,
  policy: Policy,
): BehaviourSummary {
  const c = policy.dunning.classes;
  const paid = paidStates(states);
  const late = paid.filter((s) => s.daysLate > 0).length;
  const lateShare = paid.length ? late / paid.length : null;
  const averageDaysLate = paid.length
    ? paid.reduce((a, s) => a + Math.max(0, s.daysLate), 0) / paid.length
    : null;
  const firstInvoice = facts.invoices.reduce<IsoDate | null>(
    (m, i) => (m === null || i.issueDate < m ? i.issueDate : m),
    null,
  );
  const start = facts.client.since ?? firstInvoice;
  const base = { paidInvoices: paid.length, lateInvoices: late, relationshipStart: start };
  const stats = {
    lateShare: lateShare === null ? null : Math.round(lateShare * 1000) / 1000,
    averageDaysLate: averageDaysLate === null ? null : round1(averageDaysLate),
  };
  const minPaid = policy.scoring.minPaidInvoicesForBehaviour;
  const youngSince = addMonths(asOf, -c.newMonths);
  if (start === null || start > youngSince || paid.length < minPaid)
    return {
      class: 'new',
      ...base,
      ...stats,
      reason:
        start === null || start > youngSince
          ? worded('class.young', { since: start, months: c.newMonths, asOf })
          : worded('class.fewPaid', { paid: paid.length, required: minPaid }),
    };
  const share = lateShare ?? 0;
  const avg = averageDaysLate ?? 0;
  const figures = { late, paid: paid.length, averageDaysLate: round1(avg) };
  if (share > c.lateShareAbove || avg > c.lateAverageDaysAbove)
    return { class: 'late', ...base, ...stats, reason: worded('class.late', figures) };
  if (share < c.goodShareBelow)
    return { class: 'good', ...base, ...stats, reason: worded('class.good', figures) };
  return { class: 'standard', ...base, ...stats, reason: worded('class.standard', figures) };
}

export interface CadenceChoice {
  name: string;
  source: 'behaviour' | 'segment';
  steps: { day: number; stage: DunningStage }[];
}

/** The behaviour class picks the cadence; a segment override replaces the standard cadence only. */
export function chooseCadence(cls: BehaviourClass, segment: string | null, policy: Policy): CadenceChoice {
  const override = segment !== null ? policy.dunning.bySegment[segment] : undefined;
  const useSegment = cls === 'standard' && override !== undefined;
  const name = useSegment ? override : policy.dunning.byBehaviour[cls];
  const steps = [...(policy.dunning.cadences[name] ?? [])].sort((a, b) => a.day - b.day);
  return { name, source: useSegment ? 'segment' : 'behaviour', steps };
}

export interface PlanInvoice {
  ref: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  amountCents: Minor;
  openCents: Minor;
  daysOverdue: number;
}

export type ExclusionReason = 'disputed' | 'promised' | 'paid' | 'paused';

export interface ExcludedInvoice extends PlanInvoice {
  reason: ExclusionReason;
  /** The exclusion with its figures (promise amount and date, settlement date...). */
  detail: Worded<DunningCode>;
  /** When to check again (the day after a promised date), if anything is dated. */
  followUpDate: IsoDate | null;
}

export interface NextAction {
  stage: DunningStage;
  date: IsoDate;
  /** True when the date is the as-of date (act now) rather than a later cadence date. */
  dueNow: boolean;
  tone: Tone;
  channel: Channel;
  /** The cadence day of this step, counted from the oldest covered due date. */
  cadenceDay: number;
  /** Days past the oldest covered due date on the action date. */
  daysAfterOldestDue: number;
  invoiceRefs: string[];
  totalOpenCents: Minor;
  /** Whether the message should state penalties and the indemnity. */
  quotePenalties: boolean;
  /** For a formal notice: the date by which the client must pay. */
  payBy: IsoDate | null;
  notes: Worded<DunningCode>[];
}

export interface BrokenPromise {
  promisedDate: IsoDate;
  amountCents: Minor;
  invoiceRef: string | null;
}

export interface ClientDunningPlan {
  clientRef: string;
  name: string;
  segment: string | null;
  email: string | null;
  language: 'fr' | 'en';
  behaviour: BehaviourSummary;
  cadence: CadenceChoice;
  /** action: a next action is planned; on_hold: every overdue invoice is excluded; exhausted: the cadence is done. */
  status: 'action' | 'on_hold' | 'exhausted';
  /** Furthest cadence stage already sent for the covered invoices (else the latest stage sent), or null. */
  stageReached: string | null;
  lastReminderDate: IsoDate | null;
  oldestDueDate: IsoDate | null;
  nextAction: NextAction | null;
  covered: PlanInvoice[];
  coveredCents: Minor;
  excluded: ExcludedInvoice[];
  brokenPromises: BrokenPromise[];
  penalties: PenaltySummary | null;
}

export interface DunningPlanReport {
  asOf: IsoDate;
  currency: string;
  plans: ClientDunningPlan[];
  totals: {
    clients: number;
    action: number;
    onHold: number;
    exhausted: number;
    dueNow: number;
    coveredCents: Minor;
    excludedCents: Minor;
  };
  notes: string[];
}

export const DUNNING_NOTES = [
  'One consolidated plan per client with overdue invoices; cadence days count from the oldest covered due date.',
  'Reminders already sent that name a covered invoice (or none) move the plan forward: the next step follows the furthest step sent.',
  `The action date is the latest of the cadence date, the as-of date and ${MIN_DAYS_BETWEEN_REMINDERS} days after the previous reminder.`,
  'Disputed invoices, paid invoices and invoices under a pending promise (date not passed) are excluded; a broken promise resumes the cadence.',
  'Penalties: open amount x rate x days overdue / 365 rounded to the cent, plus the fixed indemnity per invoice, as of the as-of date.',
];

const byDue = (a: PlanInvoice, b: PlanInvoice) =>
  a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.ref < b.ref ? -1 : 1;

const planInvoice = (s: InvoiceState): PlanInvoice => ({
  ref: s.invoice.ref,
  issueDate: s.invoice.issueDate,
  dueDate: s.invoice.dueDate,
  amountCents: s.invoice.amount,
  openCents: s.open,
  daysOverdue: s.daysOverdue,
});

/** Pending promises (date not passed) exclude invoices: by ref, or oldest first up to the amount. */
function promisedInvoices(
  overdue: readonly PlanInvoice[],
  promises: readonly PromiseFact[],
  asOf: IsoDate,
): Map<string, PromiseFact> {
  const out = new Map<string, PromiseFact>();
  const pending = promises.filter((p) => p.status === 'pending' && p.promisedDate >= asOf);
  for (const p of pending) if (p.invoiceRef !== null) out.set(p.invoiceRef, p);
  const clientLevel = pending
    .filter((p) => p.invoiceRef === null)
    .sort((a, b) => (a.promisedDate < b.promisedDate ? -1 : 1));
  let budget = clientLevel.reduce((a, p) => a + p.amount, 0);
  const latest = clientLevel[clientLevel.length - 1];
  if (latest)
    for (const inv of overdue) {
      if (out.has(inv.ref)) continue;
      if (inv.openCents > budget) break;
      budget -= inv.openCents;
      out.set(inv.ref, latest);
    }
  return out;
}

/** Promises whose date has passed while what they covered is still overdue. */
function brokenPromisesOf(
  promises: readonly PromiseFact[],
  overdue: readonly PlanInvoice[],
  asOf: IsoDate,
): BrokenPromise[] {
  const open = new Map(overdue.map((i) => [i.ref, i]));
  return promises
    .filter((p) => p.status !== 'cancelled' && p.status !== 'kept' && p.promisedDate < asOf)
    .filter((p) =>
      p.invoiceRef !== null ? open.has(p.invoiceRef) : overdue.some((i) => i.issueDate <= p.promisedDate),
    )
    .map((p) => ({ promisedDate: p.promisedDate, amountCents: p.amount, invoiceRef: p.invoiceRef }));
}

/** The plan for one client, or null when it has no overdue invoice as of the date. */
export function planClientDunning(
  allFacts: ClientFacts,
  asOf: IsoDate,
  policy: Policy,
): ClientDunningPlan | null {
  const facts = factsAsOf(allFacts, asOf);
  const states = invoiceStates(facts, asOf);
  const overdue = states
    .filter((s) => s.isOverdue)
    .map(planInvoice)
    .sort(byDue);
  if (!overdue.length) return null;

  const disputed = openDisputeRefs(facts);
  const promised = promisedInvoices(
    overdue.filter((i) => !disputed.has(i.ref)),
    facts.promises,
    asOf,
  );
  const covered: PlanInvoice[] = [];
  const excluded: ExcludedInvoice[] = [];
  const pauses = (facts.pauses ?? []).filter((p) => p.until === null || p.until > asOf);
  for (const inv of overdue) {
    const promise = promised.get(inv.ref);
    const pause = pauses.find((p) => p.invoiceRef === null || p.invoiceRef === inv.ref);
    if (pause)
      excluded.push({
        ...inv,
        reason: 'paused',
        detail: worded('excluded.paused', { clientLevel: pause.invoiceRef === null, reason: pause.reason }),
        followUpDate: pause.until,
      });
    else if (disputed.has(inv.ref))
      excluded.push({
        ...inv,
        reason: 'disputed',
        detail: worded('excluded.disputed'),
        followUpDate: null,
      });
    else if (promise)
      excluded.push({
        ...inv,
        reason: 'promised',
        detail: worded('excluded.promised', {
          amount: promise.amount,
          currency: policy.baseCurrency,
          promisedDate: promise.promisedDate,
          clientLevel: promise.invoiceRef === null,
        }),
        followUpDate: addDays(promise.promisedDate, 1),
      });
    else covered.push(inv);
  }

  const behaviour = classifyBehaviour(facts, states, asOf, policy);
  const cadence = chooseCadence(behaviour.class, facts.client.segment, policy);
  const sortedReminders = [...facts.reminders].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : 0,
  );

  // Invoices reminded recently and settled since: listed so nobody reminds them again.
  const stateOf = new Map(states.map((s) => [s.invoice.ref, s]));
  const recentFrom = addDays(asOf, -RECENTLY_REMINDED_DAYS);
  const paidSince = new Map<string, { state: InvoiceState; reminder: IsoDate }>();
  for (const r of sortedReminders) {
    if (r.date < recentFrom) continue;
    for (const ref of r.invoiceRefs) {
      const s = stateOf.get(ref);
      if (s && !s.isOpen && s.settledDate !== null && s.settledDate >= r.date)
        paidSince.set(ref, { state: s, reminder: r.date });
    }
  }
  for (const { state, reminder } of paidSince.values())
    excluded.push({
      ...planInvoice(state),
      reason: 'paid',
      detail: worded('excluded.paid', { settledDate: state.settledDate, reminderDate: reminder }),
      followUpDate: null,
    });

  const oldestDue = covered[0]?.dueDate ?? null;
  const coveredRefs = new Set(covered.map((i) => i.ref));
  const relevant =
    oldestDue === null
      ? []
      : sortedReminders.filter(
          (r) =>
            r.date >= oldestDue &&
            (r.invoiceRefs.length === 0 || r.invoiceRefs.some((ref) => coveredRefs.has(ref))),
        );
  const lastRelevant = relevant[relevant.length - 1] ?? null;
  let furthest = -1;
  for (const r of relevant) {
    const idx = cadence.steps.findIndex((s) => s.stage === r.stage);
    furthest = Math.max(furthest, idx);
  }

  const coveredCents = covered.reduce((a, i) => a + i.openCents, 0);
  const base = {
    clientRef: facts.client.ref,
    name: facts.client.name,
    segment: facts.client.segment,
    email: facts.client.email,
    language: facts.client.language,
    behaviour,
    cadence,
    stageReached: furthest >= 0 ? cadence.steps[furthest]!.stage : (lastRelevant?.stage ?? null),
    lastReminderDate: lastRelevant?.date ?? null,
    oldestDueDate: oldestDue,
    covered,
    coveredCents,
    excluded,
    brokenPromises: brokenPromisesOf(facts.promises, overdue, asOf),
    penalties: computePenalties(covered, policy),
  };
  if (oldestDue === null) return { ...base, status: 'on_hold', nextAction: null };
  const daysNow = daysBetween(oldestDue, asOf);
  const calendarIdx = cadence.steps.reduce((m, s, i) => (s.day <= daysNow ? i : m), -1);
  const notes: Worded<DunningCode>[] = [];
  let stepIdx = furthest + 1;
  // A chronic late payer behind schedule is not sent a soft letter: it catches up to the latest
  // letter stage the calendar has reached, up to the penalty stage (never a call or a formal step).
  if (behaviour.class === 'late' && calendarIdx > stepIdx) {
    const catchUp = cadence.steps.reduce(
      (m, s, i) => (i <= calendarIdx && CATCH_UP_STAGES.has(s.stage) ? i : m),
      stepIdx,
    );
    if (catchUp > stepIdx) {
      notes.push(
        worded('note.catchUp', {
          days: daysNow,
          stage: cadence.steps[catchUp]!.stage,
          cadenceDay: cadence.steps[catchUp]!.day,
        }),
      );
      stepIdx = catchUp;
    }
  }
  const step = cadence.steps[stepIdx];
  if (!step) return { ...base, status: 'exhausted', nextAction: null };

  const cadenceDate = addDays(oldestDue, step.day);
  let date = maxDate(cadenceDate, asOf);
  if (lastRelevant) {
    const spaced = addDays(lastRelevant.date, MIN_DAYS_BETWEEN_REMINDERS);
    if (spaced > date) {
      date = spaced;
      notes.push(worded('note.spaced', { days: MIN_DAYS_BETWEEN_REMINDERS, previous: lastRelevant.date }));
    }
  }
  if (calendarIdx > stepIdx)
    notes.push(worded('note.behind', { days: daysNow, stage: cadence.steps[calendarIdx]!.stage }));
  if (base.brokenPromises.length)
    notes.push(
      worded('note.brokenPromises', {
        count: base.brokenPromises.length,
        dates: base.brokenPromises.map((p) => p.promisedDate).join(','),
      }),
    );
  const payBy = step.stage === 'formal_notice' ? addDays(date, policy.dunning.formalNoticeDays) : null;
  if (payBy) notes.push(worded('note.formalNotice', { days: policy.dunning.formalNoticeDays, payBy }));
  if (step.stage === 'phone_call') notes.push(worded('note.call'));
  if (step.stage === 'legal')
    notes.push(
      coveredCents < policy.dunning.smallClaimThreshold
        ? worded('note.smallClaim', {
            threshold: policy.dunning.smallClaimThreshold,
            currency: policy.baseCurrency,
          })
        : worded('note.orderForPayment'),
    );
  return {
    ...base,
    status: 'action',
    nextAction: {
      stage: step.stage,
      date,
      dueNow: date === asOf,
      tone: STAGE_TONE[step.stage],
      channel: STAGE_CHANNEL[step.stage],
      cadenceDay: step.day,
      daysAfterOldestDue: daysBetween(oldestDue, date),
      invoiceRefs: covered.map((i) => i.ref),
      totalOpenCents: coveredCents,
      quotePenalties: QUOTES_PENALTIES.has(step.stage) && policy.legal.latePenalty.enabled,
      payBy,
      notes,
    },
  };
}

/** Plans for the given clients, soonest action first (then largest amount). */
export function computeDunningPlan(
  all: readonly ClientFacts[],
  asOf: IsoDate,
  policy: Policy,
): DunningPlanReport {
  const plans = all
    .map((f) => planClientDunning(f, asOf, policy))
    .filter((p): p is ClientDunningPlan => p !== null);
  const rank = { action: 0, exhausted: 1, on_hold: 2 } as const;
  plans.sort(
    (a, b) =>
      rank[a.status] - rank[b.status] ||
      (a.nextAction && b.nextAction && a.nextAction.date !== b.nextAction.date
        ? a.nextAction.date < b.nextAction.date
          ? -1
          : 1
        : 0) ||
      b.coveredCents - a.coveredCents ||
      (a.clientRef < b.clientRef ? -1 : 1),
  );
  return {
    asOf,
    currency: policy.baseCurrency,
    plans,
    totals: {
      clients: plans.length,
      action: plans.filter((p) => p.status === 'action').length,
      onHold: plans.filter((p) => p.status === 'on_hold').length,
      exhausted: plans.filter((p) => p.status === 'exhausted').length,
      dueNow: plans.filter((p) => p.nextAction?.dueNow).length,
      coveredCents: plans.reduce((a, p) => a + p.coveredCents, 0),
      excludedCents: plans.reduce(
        (a, p) => a + p.excluded.filter((e) => e.reason !== 'paid').reduce((s, e) => s + e.openCents, 0),
        0,
      ),
    },
    notes: DUNNING_NOTES,
  };
}
