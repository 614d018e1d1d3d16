/**
 * Reminder letters written from facts only, in French or English, for each scenario. These are the
 * offline writer (deterministic, no model) and the reference the model's drafts are judged against:
 * short (4-6 body lines for an email), factual, with invoice refs, dates, amounts, the deadline, and
 * the legal mentions the policy enables (late-penalty rate and fixed recovery indemnity).
 */
import { addDays, daysBetween, type IsoDate } from './dates.ts';
import type { ClientDunningPlan, PlanInvoice } from './dunning.ts';
import { factsAsOf, invoiceStates } from './ledger.ts';
import { formatMoney, type Minor } from './money.ts';
import type { DunningStage, Policy } from './policy.ts';
import type { ClientFacts } from './types.ts';

export const SCENARIOS = [
  'friendly',
  'clear',
  'firm',
  'promise_confirmation',
  'dispute_acknowledgement',
  'final_notice',
  'formal_notice',
  'call_recap',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export type Language = 'fr' | 'en';

export interface ReminderInvoice {
  ref: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  /** Invoice amount and what is still owed, in minor units of `currency`. */
  amount: Minor;
  open: Minor;
  daysOverdue: number;
  description: string | null;
}

/** Why an invoice of the client is left out of the reminder. */
export interface ExcludedInvoice {
  ref: string;
  reason: 'disputed' | 'paid' | 'promise' | 'not_due' | string;
}

/** Everything a reminder may say. A writer (template or model) is given these facts and nothing else. */
export interface ReminderFacts {
  scenario: Scenario;
  /** The dunning-plan stage the draft answers (friendly, clear, ... or the scenario itself). */
  stage: DunningStage | string;
  tone: string;
  language: Language;
  asOf: IsoDate;
  currency: string;
  client: { ref: string; name: string; email: string | null };
  /** The invoices the reminder covers (one consolidated reminder per client). */
  invoices: ReminderInvoice[];
  totalOpen: Minor;
  /** The date the client is asked to pay (or we answer, for a dispute acknowledgement) by. */
  deadline: IsoDate;
  /** Days between asOf and the deadline. */
  deadlineDays: number;
  legal: {
    /** Annual late-penalty rate in percent, or null when the policy does not state penalties. */
    penaltyRatePercent: number | null;
    /** Fixed recovery indemnity per invoice (minor units), or null. */
    indemnity: Minor | null;
    reference: string;
  };
  excluded: ExcludedInvoice[];
  promise: { date: IsoDate; amount: Minor; invoiceRef: string | null } | null;
  dispute: { invoiceRef: string; openedDate: IsoDate; owner: string | null } | null;
  /** Date of the phone call a recap confirms. */
  callDate: IsoDate | null;
  /** Claims under the policy threshold may use the simplified small-claims procedure. */
  smallClaim: boolean;
}

export interface Letter {
  subject: string;
  body: string;
}

/** Which scenario answers a dunning stage. A phone-call stage produces the written recap of the call. */
export function scenarioForStage(stage: string): Scenario {
  switch (stage) {
    case 'friendly':
    case 'clear':
    case 'firm':
    case 'final_notice':
    case 'formal_notice':
      return stage;
    case 'phone_call':
      return 'call_recap';
    case 'legal':
      // Legal action itself is a human step; the last letter before it is the formal notice.
      return 'formal_notice';
    default:
      return (SCENARIOS as readonly string[]).includes(stage) ? (stage as Scenario) : 'clear';
  }
}

/** Days given to pay, by scenario; the formal notice uses the policy's own delay. */
export function deadlineDaysFor(scenario: Scenario, policy: Policy): number {
  switch (scenario) {
    case 'friendly':
    case 'clear':
      return 7;
    case 'firm':
    case 'call_recap':
      return 5;
    case 'final_notice':
      return 8;
    case 'formal_notice':
      return policy.dunning.formalNoticeDays;
    case 'dispute_acknowledgement':
      return 10;
    case 'promise_confirmation':
      return 0;
  }
}

/** Whether the scenario carries the legal mentions (penalty rate, indemnity). */
export const statesLegalMentions = (scenario: Scenario): boolean =>
  scenario === 'clear' || scenario === 'firm' || scenario === 'final_notice' || scenario === 'formal_notice';

/** The late-penalty rate the policy sets: reference rate + margin, two decimals. */
export const penaltyRate = (policy: Policy): number =>
  Math.round((policy.legal.latePenalty.referenceRatePercent + policy.legal.latePenalty.marginPoints) * 100) /
  100;

/** The deadline for a scenario counted from asOf (a promise keeps its own date). */
export function deadlineFor(
  scenario: Scenario,
  asOf: IsoDate,
  policy: Policy,
  promiseDate?: IsoDate | null,
): IsoDate {
  if (scenario === 'promise_confirmation' && promiseDate) return promiseDate;
  return addDays(asOf, deadlineDaysFor(scenario, policy));
}

// ---------------------------------------------------------------------------------------------
// Formatting

const FR_MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];
const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "23/11/2026" (fr) or "23 November 2026" (en). */
export function formatDate(date: IsoDate, language: Language): string {
  const [y, m, d] = date.split('-') as [string, string, string];
  return language === 'fr' ? `${d}/${m}/${y}` : `${Number(d)} ${EN_MONTHS[Number(m) - 1]} ${y}`;
}

/** "23 novembre 2026" / "23 November 2026": the long form used in formal letters. */
export function formatLongDate(date: IsoDate, language: Language): string {
  const [y, m, d] = date.split('-') as [string, string, string];
  const months = language === 'fr' ? FR_MONTHS : EN_MONTHS;
  const day = language === 'fr' && d === '01' ? '1er' : String(Number(d));
  return `${day} ${months[Number(m) - 1]} ${y}`;
}

/** "12,15 %" (fr) or "12.15%" (en). */
export function formatPercent(value: number, language: Language): string {
  const text = Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0$/, '');
  return language === 'fr' ? `${text.replace('.', ',')}\u00a0%` : `${text}%`;
}

// ---------------------------------------------------------------------------------------------
// Templates (our own wording)

interface Words {
  money: (m: Minor) => string;
  date: (d: IsoDate) => string;
}

function words(f: ReminderFacts): Words {
  return {
    money: (m) => formatMoney(m, f.currency, f.language),
    date: (d) => formatDate(d, f.language),
  };
}

/** "F1 du 01/09/2026 (échue le 01/10/2026, 1 200,00 EUR)" for each invoice. */
function invoiceList(f: ReminderFacts, w: Words): string {
  const one = (i: ReminderInvoice) => {
    const partial = i.open !== i.amount;
    if (f.language === 'fr')
      return `${i.ref} du ${w.date(i.issueDate)} (échue le ${w.date(i.dueDate)}, ${w.money(i.open)}${partial ? ' restant dû' : ''})`;
    return `${i.ref} of ${w.date(i.issueDate)} (due ${w.date(i.dueDate)}, ${w.money(i.open)}${partial ? ' outstanding' : ''})`;
  };
  return f.invoices.map(one).join(f.language === 'fr' ? ' ; ' : '; ');
}

function subjectRefs(f: ReminderFacts): string {
  return f.invoices.map((i) => i.ref).join(', ');
}

function legalLine(f: ReminderFacts, w: Words): string | null {
  const { penaltyRatePercent: rate, indemnity, reference } = f.legal;
  if (rate === null && indemnity === null) return null;
  if (f.language === 'fr') {
    const parts: string[] = [];
    if (rate !== null) parts.push(`des pénalités de retard au taux annuel de ${formatPercent(rate, 'fr')}`);
    if (indemnity !== null)
      parts.push(`une indemnité forfaitaire pour frais de recouvrement de ${w.money(indemnity)} par facture`);
    const article = /^Code de commerce, article (\S+)$/.exec(reference);
    const basis = article ? `à l'article ${article[1]} du Code de commerce` : `à ${reference}`;
    return `Conformément ${basis}, tout retard de paiement entraîne ${parts.join(' et ')}.`;
  }
  const parts: string[] = [];
  if (rate !== null) parts.push(`late-payment penalties at an annual rate of ${formatPercent(rate, 'en')}`);
  if (indemnity !== null) parts.push(`a fixed recovery indemnity of ${w.money(indemnity)} per invoice`);
  const article = /^Code de commerce, article (\S+)$/.exec(reference);
  const basis = article ? `article ${article[1]} of the French Commercial Code` : reference;
  return `Under ${basis}, late payment gives rise to ${parts.join(' and ')}.`;
}

const SIGN_FR = 'Cordialement, le service comptabilité clients';
const SIGN_EN = 'Kind regards, Accounts receivable';

const alreadyPaidLine = (lang: Language) =>
  lang === 'fr'
    ? 'Si le règlement est déjà parti, merci de nous indiquer sa date, son montant et son mode de paiement.'
    : 'If you have already paid, please tell us the date, amount and method of payment.';

/** French invoice phrases: "de la facture X (...)" or "des factures suivantes : X (...) ; Y (...)". */
function frPhrases(f: ReminderFacts, w: Words) {
  const list = invoiceList(f, w);
  const one = f.invoices.length === 1;
  return {
    one,
    /** "de la facture X" / "des factures suivantes : X ; Y" */
    of: one ? `de la facture ${list}` : `des factures suivantes : ${list}`,
    /** "la facture X" / "les factures suivantes : X ; Y" (sentence end) */
    the: one ? `la facture ${list}` : `les factures suivantes : ${list}`,
    list,
  };
}

function enPhrases(f: ReminderFacts, w: Words) {
  const list = invoiceList(f, w);
  const one = f.invoices.length === 1;
  return { one, the: one ? `invoice ${list}` : `the following invoices: ${list}`, list };
}

/** What every scenario's wording may use: the facts and their formatted pieces. */
interface Draft<P> {
  f: ReminderFacts;
  w: Words;
  /** The language's invoice phrases (frPhrases / enPhrases). */
  inv: P;
  legal: string | null;
  total: string;
  by: string;
  refs: string;
}

/** One language's letters: subject and body lines per scenario (null lines are dropped), and the signature. */
interface Wording<P> {
  phrases: (f: ReminderFacts, w: Words) => P;
  sign: string;
  scenarios: Record<Scenario, (d: Draft<P>) => { subject: string; lines: (string | null)[] }>;
}

/** The invoice a dispute acknowledgement is about. */
const disputedRef = (f: ReminderFacts): string => f.dispute?.invoiceRef ?? f.invoices[0]?.ref ?? '';

const FRENCH: Wording<ReturnType<typeof frPhrases>> = {
  phrases: frPhrases,
  sign: SIGN_FR,
  scenarios: {
    friendly: ({ inv, total, by, refs }) => ({
      subject: `Rappel : ${inv.one ? 'facture' : 'factures'} ${refs}`,
      lines: [
        'Bonjour,',
        `Sauf erreur de notre part, nous n'avons pas encore reçu le règlement ${inv.of}.`,
        `Pourriez-vous procéder au paiement de ${total} d'ici le ${by}, ou nous indiquer la date prévue ?`,
        alreadyPaidLine('fr'),
      ],
    }),
    clear: ({ inv, legal, total, by, refs }) => ({
      subject: `Relance : ${inv.one ? 'facture échue' : 'factures échues'} ${refs}`,
      lines: [
        'Bonjour,',
        inv.one
          ? `À ce jour, la facture ${inv.list} reste impayée.`
          : `À ce jour, les factures suivantes restent impayées : ${inv.list}.`,
        `Merci de régler ${total} au plus tard le ${by}.`,
        legal,
        alreadyPaidLine('fr'),
      ],
    }),
    firm: ({ inv, legal, total, by, refs }) => ({
      subject: `Impayé : ${inv.one ? 'facture' : 'factures'} ${refs}`,
      lines: [
        'Bonjour,',
        inv.one
          ? `Malgré son échéance dépassée, la facture ${inv.list} n'est toujours pas réglée.`
          : `Malgré leur échéance dépassée, les factures suivantes ne sont toujours pas réglées : ${inv.list}.`,
        `Nous vous demandons de régler ${total} au plus tard le ${by}.`,
        legal,
        "Sans règlement à cette date, le dossier passera à l'étape suivante de notre procédure de recouvrement.",
      ],
    }),
    final_notice: ({ inv, legal, total, by, refs }) => ({
      subject: `Dernier rappel avant mise en demeure : ${refs}`,
      lines: [
        'Bonjour,',
        `Nos précédents rappels au sujet ${inv.of} sont restés sans effet.`,
        `Ceci est notre dernier rappel amiable : merci de régler ${total} au plus tard le ${by}.`,
        legal,
        'Sans règlement à cette date, nous vous adresserons une mise en demeure.',
      ],
    }),
    formal_notice: ({ f, inv, legal, total, by, refs }) => ({
      subject: `Mise en demeure de payer : ${refs}`,
      lines: [
        'Madame, Monsieur,',
        `Par la présente, nous vous mettons en demeure de régler la somme de ${total} au titre ${inv.of}.`,
        `Ce règlement doit nous parvenir dans un délai de ${f.deadlineDays} jours, soit au plus tard le ${by}.`,
        legal,
        f.smallClaim
          ? "À défaut, nous pourrons engager la procédure simplifiée de recouvrement des petites créances ou une procédure d'injonction de payer."
          : 'À défaut, nous pourrons engager une procédure judiciaire de recouvrement (injonction de payer).',
      ],
    }),
    promise_confirmation: ({ f: { promise: p }, w, inv, total, by, refs }) => ({
      subject: `Confirmation de votre engagement de paiement : ${refs}`,
      lines: [
        'Bonjour,',
        p
          ? `Nous vous remercions de votre engagement de régler ${w.money(p.amount)} le ${w.date(p.date)} au titre ${inv.of}.`
          : `Nous vous remercions de votre engagement de régler ${total} d'ici le ${by} au titre ${inv.of}.`,
        "Nous en prenons bonne note et suspendons nos relances jusqu'à cette date.",
        alreadyPaidLine('fr'),
      ],
    }),
    dispute_acknowledgement: ({ f, w, by }) => {
      const d = f.dispute;
      const ref = disputedRef(f);
      return {
        subject: `Votre contestation de la facture ${ref}`,
        lines: [
          'Bonjour,',
          d
            ? `Nous avons bien reçu votre contestation du ${w.date(d.openedDate)} concernant la facture ${ref}.`
            : `Nous avons bien reçu votre contestation concernant la facture ${ref}.`,
          `Nous l'examinons et reviendrons vers vous au plus tard le ${by}.`,
          "Dans l'attente, cette facture ne fera l'objet d'aucune relance.",
        ],
      };
    },
    call_recap: ({ f, w, inv, total, by, refs }) => {
      const p = f.promise;
      return {
        subject: `Suite à notre échange téléphonique : ${refs}`,
        lines: [
          'Bonjour,',
          `Suite à notre entretien téléphonique du ${w.date(f.callDate ?? f.asOf)}, voici ce qui a été convenu au sujet ${inv.of}.`,
          p
            ? `Vous réglerez ${w.money(p.amount)} le ${w.date(p.date)}.`
            : `Vous réglerez ${total} au plus tard le ${by}.`,
          'Merci de nous signaler sans délai tout changement.',
        ],
      };
    },
  },
};

const ENGLISH: Wording<ReturnType<typeof enPhrases>> = {
  phrases: enPhrases,
  sign: SIGN_EN,
  scenarios: {
    friendly: ({ inv, total, by, refs }) => ({
      subject: `Reminder: ${inv.one ? 'invoice' : 'invoices'} ${refs}`,
      lines: [
        'Hello,',
        `Unless we are mistaken, we have not yet received payment of ${inv.the}.`,
        `Could you pay ${total} by ${by}, or let us know when payment is planned?`,
        alreadyPaidLine('en'),
      ],
    }),
    clear: ({ inv, legal, total, by, refs }) => ({
      subject: `Overdue ${inv.one ? 'invoice' : 'invoices'} ${refs}`,
      lines: [
        'Hello,',
        inv.one
          ? `As of today, invoice ${inv.list} remains unpaid.`
          : `As of today, the following invoices remain unpaid: ${inv.list}.`,
        `Please pay ${total} by ${by} at the latest.`,
        legal,
        alreadyPaidLine('en'),
      ],
    }),
    firm: ({ inv, legal, total, by, refs }) => ({
      subject: `Unpaid ${inv.one ? 'invoice' : 'invoices'} ${refs}`,
      lines: [
        'Hello,',
        inv.one
          ? `Although it is past its due date, invoice ${inv.list} is still unpaid.`
          : `Although they are past their due dates, the following invoices are still unpaid: ${inv.list}.`,
        `We ask you to pay ${total} by ${by} at the latest.`,
        legal,
        'Without payment by that date, the file will move to the next step of our collection procedure.',
      ],
    }),
    final_notice: ({ inv, legal, total, by, refs }) => ({
      subject: `Final reminder before formal notice: ${refs}`,
      lines: [
        'Hello,',
        `Our previous reminders about ${inv.the} have had no effect.`,
        `This is our last amicable reminder: please pay ${total} by ${by} at the latest.`,
        legal,
        'Without payment by that date, we will send you a formal notice to pay.',
      ],
    }),
    formal_notice: ({ f, inv, legal, total, by, refs }) => ({
      subject: `Formal notice to pay: ${refs}`,
      lines: [
        'Dear Sir or Madam,',
        `We hereby formally demand payment of ${total} for ${inv.the}.`,
        `Payment must reach us within ${f.deadlineDays} days, that is by ${by} at the latest.`,
        legal,
        f.smallClaim
          ? 'Failing payment, we may start the simplified small-claims recovery procedure or apply for an order for payment.'
          : 'Failing payment, we may start court proceedings to recover the debt (order for payment).',
      ],
    }),
    promise_confirmation: ({ f: { promise: p }, w, inv, total, by, refs }) => ({
      subject: `Confirming your payment commitment: ${refs}`,
      lines: [
        'Hello,',
        p
          ? `Thank you for your commitment to pay ${w.money(p.amount)} on ${w.date(p.date)} for ${inv.the}.`
          : `Thank you for your commitment to pay ${total} by ${by} for ${inv.the}.`,
        'We have noted it and will send no further reminder until that date.',
        alreadyPaidLine('en'),
      ],
    }),
    dispute_acknowledgement: ({ f, w, by }) => {
      const d = f.dispute;
      const ref = disputedRef(f);
      return {
        subject: `Your dispute about invoice ${ref}`,
        lines: [
          'Hello,',
          d
            ? `We have received your dispute of ${w.date(d.openedDate)} about invoice ${ref}.`
            : `We have received your dispute about invoice ${ref}.`,
          `We are looking into it and will come back to you by ${by} at the latest.`,
          'Meanwhile, we will send no reminder about this invoice.',
        ],
      };
    },
    call_recap: ({ f, w, inv, total, by, refs }) => {
      const p = f.promise;
      return {
        subject: `Following our phone call: ${refs}`,
        lines: [
          'Hello,',
          `Following our phone call of ${w.date(f.callDate ?? f.asOf)}, this is what we agreed about ${inv.the}.`,
          p
            ? `You will pay ${w.money(p.amount)} on ${w.date(p.date)}.`
            : `You will pay ${total} by ${by} at the latest.`,
          'Please let us know at once if anything changes.',
        ],
      };
    },
  },
};

/** Fills one language's wording with the facts: the shared pieces are formatted once, here. */
function writeIn<P>(wording: Wording<P>, f: ReminderFacts): Letter {
  const w = words(f);
  const { subject, lines } = wording.scenarios[f.scenario]({
    f,
    w,
    inv: wording.phrases(f, w),
    legal: legalLine(f, w),
    total: w.money(f.totalOpen),
    by: w.date(f.deadline),
    refs: subjectRefs(f),
  });
  return { subject, body: `${lines.filter((l): l is string => !!l).join('\n')}\n${wording.sign}` };
}

/** The deterministic letter for these facts. */
export function writeLetter(facts: ReminderFacts): Letter {
  return facts.language === 'en' ? writeIn(ENGLISH, facts) : writeIn(FRENCH, facts);
}

// ---------------------------------------------------------------------------------------------
// Facts for a reminder, from the dunning plan

export interface ReminderRequest {
  scenario?: Scenario;
  /** For a dispute acknowledgement or a promise confirmation: the invoice concerned. */
  invoiceRef?: string;
}

export type ReminderFactsResult = { ok: true; facts: ReminderFacts } | { ok: false; reason: string };

const toReminderInvoice = (i: PlanInvoice): ReminderInvoice => ({
  ref: i.ref,
  issueDate: i.issueDate,
  dueDate: i.dueDate,
  amount: i.amountCents,
  open: i.openCents,
  daysOverdue: i.daysOverdue,
  description: null,
});

/**
 * The facts a reminder may state, from the client's dunning plan and facts as of a date. The
 * scenario defaults to the plan's next stage; the invoices are the ones the plan covers (disputed,
 * promised and paid ones are listed as excluded); legal mentions follow the plan (or, for an
 * explicit scenario, the scenario) and the policy.
 */
export function buildReminderFacts(
  allFacts: ClientFacts,
  plan: ClientDunningPlan | null,
  asOf: IsoDate,
  policy: Policy,
  request: ReminderRequest = {},
): ReminderFactsResult {
  const facts = factsAsOf(allFacts, asOf);
  const client = facts.client;
  const next = plan?.nextAction ?? null;
  if (!request.scenario && next?.stage === 'legal')
    return {
      ok: false,
      reason: `${client.name} (${client.ref}) is at the legal stage: filing is a human step, no letter is drafted`,
    };
  const scenario = request.scenario ?? (next ? scenarioForStage(next.stage) : null);
  if (!scenario)
    return {
      ok: false,
      reason: !plan
        ? `${client.name} (${client.ref}) has no overdue invoice as of ${asOf}`
        : plan.status === 'on_hold'
          ? `every overdue invoice of ${client.name} (${client.ref}) is disputed, promised or paid: nothing to remind`
          : `the cadence for ${client.name} (${client.ref}) is complete: no further reminder is planned`,
    };

  const states = invoiceStates(facts, asOf);
  const stateOf = new Map(states.map((s) => [s.invoice.ref, s]));
  const asPlanInvoice = (ref: string): PlanInvoice | null => {
    const s = stateOf.get(ref);
    return s
      ? {
          ref,
          issueDate: s.invoice.issueDate,
          dueDate: s.invoice.dueDate,
          amountCents: s.invoice.amount,
          openCents: s.open,
          daysOverdue: s.daysOverdue,
        }
      : null;
  };
  const excluded: ExcludedInvoice[] = (plan?.excluded ?? []).map((e) => ({
    ref: e.ref,
    reason: e.reason === 'promised' ? 'promise' : e.reason,
  }));
  // Disputed invoices not yet overdue are left out too.
  for (const d of facts.disputes)
    if (d.status === 'open' && !excluded.some((e) => e.ref === d.invoiceRef))
      excluded.push({ ref: d.invoiceRef, reason: 'disputed' });

  let invoices: PlanInvoice[] = plan?.covered ?? [];
  let dispute: ReminderFacts['dispute'] = null;
  let promise: ReminderFacts['promise'] = null;
  const pending = facts.promises
    .filter((p) => p.status === 'pending' && p.promisedDate >= asOf)
    .filter((p) => !request.invoiceRef || p.invoiceRef === request.invoiceRef || p.invoiceRef === null)
    .sort((a, b) => ((a.madeDate ?? '') < (b.madeDate ?? '') ? 1 : -1));

  if (scenario === 'dispute_acknowledgement') {
    const open = facts.disputes
      .filter((d) => d.status === 'open' && (!request.invoiceRef || d.invoiceRef === request.invoiceRef))
      .sort((a, b) => (a.openedDate < b.openedDate ? 1 : -1));
    const d = open[0];
    if (!d)
      return {
        ok: false,
        reason: request.invoiceRef
          ? `invoice ${request.invoiceRef} has no open dispute as of ${asOf}`
          : `${client.name} (${client.ref}) has no open dispute as of ${asOf}`,
      };
    dispute = { invoiceRef: d.invoiceRef, openedDate: d.openedDate, owner: d.owner };
    const inv = asPlanInvoice(d.invoiceRef);
    invoices = inv ? [inv] : [];
  } else if (scenario === 'promise_confirmation') {
    const p = pending[0];
    if (!p)
      return {
        ok: false,
        reason: `${client.name} (${client.ref}) has no pending promise to pay as of ${asOf}`,
      };
    promise = { date: p.promisedDate, amount: p.amount, invoiceRef: p.invoiceRef };
    const promisedRefs =
      p.invoiceRef !== null
        ? [p.invoiceRef]
        : (plan?.excluded ?? []).filter((e) => e.reason === 'promised').map((e) => e.ref);
    const list = promisedRefs.map(asPlanInvoice).filter((x): x is PlanInvoice => x !== null);
    invoices = list.length ? list : invoices;
    // The promised invoices are the subject here, not exclusions.
    for (const ref of promisedRefs) {
      const at = excluded.findIndex((e) => e.ref === ref && e.reason === 'promise');
      if (at >= 0) excluded.splice(at, 1);
    }
  } else if (scenario === 'call_recap') {
    const p = pending[0];
    if (p) promise = { date: p.promisedDate, amount: p.amount, invoiceRef: p.invoiceRef };
  }
  if (!invoices.length)
    return { ok: false, reason: `${client.name} (${client.ref}) has no invoice to remind as of ${asOf}` };

  const fromPlan = !request.scenario && next !== null;
  const quotesLegal = fromPlan ? next.quotePenalties : statesLegalMentions(scenario);
  const totalOpen = invoices.reduce((a, i) => a + i.openCents, 0);
  const deadline =
    scenario === 'formal_notice' && fromPlan && next.payBy
      ? next.payBy
      : deadlineFor(scenario, asOf, policy, promise?.date);
  return {
    ok: true,
    facts: {
      scenario,
      stage: fromPlan ? next.stage : scenario,
      tone: fromPlan ? next.tone : scenario,
      language: client.language,
      asOf,
      currency: policy.baseCurrency,
      client: { ref: client.ref, name: client.name, email: client.email },
      invoices: invoices.map(toReminderInvoice),
      totalOpen,
      deadline,
      deadlineDays: Math.max(0, daysBetween(asOf, deadline)),
      legal: {
        penaltyRatePercent: quotesLegal && policy.legal.latePenalty.enabled ? penaltyRate(policy) : null,
        indemnity: quotesLegal && policy.legal.fixedIndemnity > 0 ? policy.legal.fixedIndemnity : null,
        reference: policy.legal.reference,
      },
      excluded,
      promise,
      dispute,
      callDate: scenario === 'call_recap' ? (fromPlan ? next.date : asOf) : null,
      smallClaim: totalOpen < policy.dunning.smallClaimThreshold,
    },
  };
}
