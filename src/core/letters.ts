/**
 * Reminder letters written from facts only, in French or English, for each scenario. These are the
 * offline writer (deterministic, no model) and the reference the model's drafts are judged against:
 * factual, with each invoice (number, date, what it was for, amount in its own currency), the total,
 * a deadline on a business day, how to pay, the legal mentions from the penalty stage on, and the
 * company's signature. The wording is our own.
 */
import { onBusinessDay } from './business-days.ts';
import { addDays, daysBetween, type IsoDate } from './dates.ts';
import type { ClientDunningPlan, PlanInvoice } from './dunning.ts';
import { factsAsOf, invoiceStates } from './ledger.ts';
import { formatMoney, type Minor, roundHalfAway } from './money.ts';
import { lateInterest, penaltyRatePercent } from './penalties.ts';
import type { CompanySettings, DunningStage, Policy } from './policy.ts';
import type { ClientFacts, InvoiceFact } from './types.ts';

export const SCENARIOS = [
  'friendly',
  'clear',
  'firm',
  'promise_confirmation',
  'broken_promise',
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
  /** Invoice amount and what is still owed, in base-currency minor units (what the ledger holds). */
  amount: Minor;
  open: Minor;
  /** The invoice's own currency and its amounts in it: what the letter states. */
  currency: string;
  amountInCurrency: Minor;
  openInCurrency: Minor;
  daysOverdue: number;
  description: string | null;
  /** The company's payment page for this invoice, when the settings have a link template. */
  paymentLink: string | null;
}

/** Why an invoice of the client is left out of the reminder. */
export interface ExcludedInvoice {
  ref: string;
  reason: 'disputed' | 'paid' | 'promise' | 'not_due' | string;
}

/** A sum per currency (a client may owe in several). */
export interface CurrencyAmount {
  currency: string;
  amount: Minor;
}

/** What a formal notice claims: principal, late interest to the as-of date, fixed indemnities. */
export interface Claim {
  principal: CurrencyAmount[];
  interest: CurrencyAmount[];
  /** Fixed recovery indemnity per invoice times the invoices, in the base currency. */
  indemnities: CurrencyAmount;
  total: CurrencyAmount[];
}

/** Everything a reminder may say. A writer (template or model) is given these facts and nothing else. */
export interface ReminderFacts {
  scenario: Scenario;
  /** The dunning-plan stage the draft answers (friendly, clear, ... or the scenario itself). */
  stage: DunningStage | string;
  tone: string;
  language: Language;
  asOf: IsoDate;
  /** The company's base currency (ledger amounts). */
  currency: string;
  client: { ref: string; name: string; email: string | null };
  /** Who writes: the company settings, or null when the policy has none. */
  company: CompanySettings | null;
  /** The invoices the reminder covers (one consolidated reminder per client). */
  invoices: ReminderInvoice[];
  /** Total still owed in base currency, and per invoice currency (what the letter states). */
  totalOpen: Minor;
  totals: CurrencyAmount[];
  /** The date the client is asked to pay (or we answer, for a dispute acknowledgement) by: a business day. */
  deadline: IsoDate;
  /** Days between asOf and the deadline. */
  deadlineDays: number;
  legal: {
    /** Annual late-penalty rate in percent when the letter must state it, else null. */
    penaltyRatePercent: number | null;
    /** Fixed recovery indemnity per invoice (minor units) when the letter must state it, else null. */
    indemnity: Minor | null;
    reference: string;
    /** The article of the reference ("L441-10"), if it names one. */
    article: string | null;
    /** The policy's rate and indemnity, stated or not: quoting them correctly is never a mistake. */
    policyRatePercent: number | null;
    policyIndemnity: Minor;
  };
  /** For a formal notice: the sums claimed. */
  claim: Claim | null;
  /** Reminders already sent for these invoices, oldest first (a formal notice lists them). */
  previousReminders: { date: IsoDate; stage: string }[];
  excluded: ExcludedInvoice[];
  promise: { date: IsoDate; amount: Minor; invoiceRef: string | null } | null;
  /** A promise whose date passed while what it covered is still unpaid. */
  brokenPromise: { date: IsoDate; amount: Minor } | null;
  dispute: {
    invoiceRef: string;
    openedDate: IsoDate;
    owner: string | null;
    reason: string;
    /** In the invoice's currency: the part contested and the rest, still due. */
    currency: string;
    disputedAmount: Minor;
    undisputedAmount: Minor;
  } | null;
  /** The recorded phone call a recap confirms: its date and our notes of it. */
  call: { date: IsoDate; notes: string } | null;
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
    case 'broken_promise':
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

/** Whether the scenario, drafted on its own, carries the legal mentions (penalty rate, indemnity). */
export const statesLegalMentions = (scenario: Scenario): boolean =>
  scenario === 'firm' ||
  scenario === 'final_notice' ||
  scenario === 'formal_notice' ||
  scenario === 'broken_promise';

/** The late-penalty rate the policy sets: reference rate + margin, two decimals. */
export const penaltyRate = (policy: Policy): number => Math.round(penaltyRatePercent(policy) * 100) / 100;

/** The deadline for a scenario counted from asOf, on a business day (a promise keeps its own date). */
export function deadlineFor(
  scenario: Scenario,
  asOf: IsoDate,
  policy: Policy,
  promiseDate?: IsoDate | null,
): IsoDate {
  if (scenario === 'promise_confirmation' && promiseDate) return promiseDate;
  return onBusinessDay(addDays(asOf, deadlineDaysFor(scenario, policy)), policy.sending.holidays);
}

/** "L441-10" from "Code de commerce, article L441-10". */
export const articleOf = (reference: string): string | null =>
  /\b([LRD]\.?\s?\d{3}-\d+(?:-\d+)?)\b/.exec(reference)?.[1] ?? null;

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

/** The words for the registered-letter mention a formal notice carries. */
export const REGISTERED_LETTER: Record<Language, string> = {
  fr: 'Lettre recommandée avec accusé de réception',
  en: 'Registered letter with acknowledgement of receipt',
};

const STAGE_NAMES: Record<Language, Record<string, string>> = {
  fr: {
    friendly: 'rappel',
    clear: 'relance',
    firm: 'relance ferme',
    final_notice: 'dernier rappel',
    formal_notice: 'mise en demeure',
    phone_call: 'appel',
    broken_promise: 'relance',
    call_recap: 'compte rendu d’appel',
  },
  en: {
    friendly: 'reminder',
    clear: 'reminder',
    firm: 'firm reminder',
    final_notice: 'final reminder',
    formal_notice: 'formal notice',
    phone_call: 'call',
    broken_promise: 'reminder',
    call_recap: 'call recap',
  },
};

// ---------------------------------------------------------------------------------------------
// Templates (our own wording)

/** Formatted pieces every scenario may use. */
interface Pieces {
  f: ReminderFacts;
  fr: boolean;
  money: (m: Minor, currency: string) => string;
  date: (d: IsoDate) => string;
  /** "F1 du 01/09/2026 (pose de cloisons, échue le 01/10/2026) : 1 200,00 EUR" per invoice, joined. */
  list: string;
  one: boolean;
  refs: string;
  /** "1 734,56 EUR" or "1 200,00 EUR et GBP 300.00". */
  total: string;
  by: string;
  /** The legal mentions sentence, or null when not stated. */
  legal: string | null;
  /** How to pay, or null when the settings give no bank details nor link. */
  pay: string | null;
}

const joinAmounts = (parts: string[], fr: boolean) =>
  parts.length <= 1
    ? (parts[0] ?? '')
    : `${parts.slice(0, -1).join(', ')}${fr ? ' et ' : ' and '}${parts.at(-1)}`;

function invoiceLine(i: ReminderInvoice, p: Pick<Pieces, 'fr' | 'money' | 'date'>): string {
  const what = i.description?.trim() ? `${i.description.trim()}, ` : '';
  const partial = i.openInCurrency !== i.amountInCurrency;
  const open = p.money(i.openInCurrency, i.currency);
  if (p.fr)
    return `${i.ref} du ${p.date(i.issueDate)} (${what}échue le ${p.date(i.dueDate)}) : ${open}${partial ? ` restant dû sur ${p.money(i.amountInCurrency, i.currency)}` : ''}`;
  return `${i.ref} of ${p.date(i.issueDate)} (${what}due ${p.date(i.dueDate)}): ${open}${partial ? ` outstanding of ${p.money(i.amountInCurrency, i.currency)}` : ''}`;
}

function legalSentence(f: ReminderFacts, p: Pick<Pieces, 'fr' | 'money'>): string | null {
  const { penaltyRatePercent: rate, indemnity, reference, article } = f.legal;
  if (rate === null && indemnity === null) return null;
  const lang: Language = p.fr ? 'fr' : 'en';
  const parts: string[] = [];
  if (p.fr) {
    if (rate !== null) parts.push(`des pénalités de retard au taux annuel de ${formatPercent(rate, lang)}`);
    if (indemnity !== null)
      parts.push(
        `une indemnité forfaitaire pour frais de recouvrement de ${p.money(indemnity, f.currency)} par facture`,
      );
    const basis = article ? `à l'article ${article} du Code de commerce` : `à ${reference}`;
    return `Conformément ${basis}, tout retard de paiement entraîne ${parts.join(' et ')}.`;
  }
  if (rate !== null) parts.push(`late-payment penalties at an annual rate of ${formatPercent(rate, lang)}`);
  if (indemnity !== null)
    parts.push(`a fixed recovery indemnity of ${p.money(indemnity, f.currency)} per invoice`);
  const basis = article ? `article ${article} of the French Commercial Code` : reference;
  return `Under ${basis}, late payment gives rise to ${parts.join(' and ')}.`;
}

function paymentSentence(f: ReminderFacts, fr: boolean): string | null {
  const c = f.company;
  const links = f.invoices.filter((i) => i.paymentLink);
  const uniqueLinks = [...new Set(links.map((i) => i.paymentLink!))];
  const linkText =
    uniqueLinks.length === 1
      ? uniqueLinks[0]!
      : links.map((i) => `${i.ref} ${i.paymentLink}`).join(fr ? ' ; ' : '; ');
  const transfer = c?.iban
    ? fr
      ? `par virement sur l'IBAN ${c.iban}${c.bic ? ` (BIC ${c.bic})` : ''} en rappelant ${f.invoices.length > 1 ? 'les numéros de facture' : 'le numéro de facture'}`
      : `by bank transfer to IBAN ${c.iban}${c.bic ? ` (BIC ${c.bic})` : ''}, quoting the invoice number${f.invoices.length > 1 ? 's' : ''}`
    : null;
  const online = links.length ? (fr ? `en ligne : ${linkText}` : `online: ${linkText}`) : null;
  if (!transfer && !online) return null;
  const how = [transfer, online].filter(Boolean).join(fr ? ', ou ' : ', or ');
  return fr ? `Règlement ${how}.` : `Payment ${how}.`;
}

function signature(f: ReminderFacts): string[] {
  const fr = f.language === 'fr';
  const c = f.company;
  const close = fr ? 'Cordialement,' : 'Kind regards,';
  if (!c) return [close, fr ? 'Le service comptabilité clients' : 'Accounts receivable'];
  const team = c.signature ?? (fr ? 'Service comptabilité clients' : 'Accounts receivable');
  const who = c.contactName ? `${c.contactName}, ${team}` : team;
  const ids = [
    c.siren ? `SIREN ${c.siren}` : null,
    c.vatNumber ? `${fr ? 'TVA' : 'VAT'} ${c.vatNumber}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const reach = [c.phone, c.replyTo ?? c.email].filter(Boolean).join(' · ');
  return [close, who, `${c.legalName}, ${c.address}${ids ? ` (${ids})` : ''}`, reach];
}

const alreadyPaid = (fr: boolean) =>
  fr
    ? 'Si le règlement est déjà parti, merci de nous indiquer sa date, son montant et son mode de paiement.'
    : 'If you have already paid, please tell us the date, amount and method of payment.';

const invoicesPhrase = (p: Pieces) =>
  p.fr
    ? p.one
      ? `la facture ${p.list}`
      : `les factures suivantes : ${p.list}`
    : p.one
      ? `invoice ${p.list}`
      : `the following invoices: ${p.list}`;

/** Total line for several invoices; one invoice states its own amount already. */
const totalLine = (p: Pieces) =>
  p.one ? null : p.fr ? `Total restant dû : ${p.total}.` : `Total outstanding: ${p.total}.`;

type Written = { subject: string; lines: (string | null)[] };

const SCENARIO_TEXT: Record<Scenario, (p: Pieces) => Written> = {
  friendly: (p) => ({
    subject: p.fr
      ? `Rappel : facture${p.one ? '' : 's'} ${p.refs}`
      : `Reminder: invoice${p.one ? '' : 's'} ${p.refs}`,
    lines: [
      p.fr ? 'Bonjour,' : 'Hello,',
      p.fr
        ? `Sauf erreur de notre part, nous n'avons pas encore reçu le règlement ${p.one ? `de la facture ${p.list}` : `des factures suivantes : ${p.list}`}.`
        : `Unless we are mistaken, we have not yet received payment of ${invoicesPhrase(p)}.`,
      totalLine(p),
      p.fr
        ? `Pourriez-vous procéder au paiement de ${p.total} d'ici le ${p.by}, ou nous indiquer la date prévue ?`
        : `Could you pay ${p.total} by ${p.by}, or let us know when payment is planned?`,
      p.pay,
      alreadyPaid(p.fr),
    ],
  }),
  clear: (p) => ({
    subject: p.fr
      ? `Relance : facture${p.one ? '' : 's'} échue${p.one ? '' : 's'} ${p.refs}`
      : `Overdue invoice${p.one ? '' : 's'} ${p.refs}`,
    lines: [
      p.fr ? 'Bonjour,' : 'Hello,',
      p.fr
        ? p.one
          ? `À ce jour, la facture ${p.list} reste impayée.`
          : `À ce jour, les factures suivantes restent impayées : ${p.list}.`
        : p.one
          ? `As of today, invoice ${p.list} remains unpaid.`
          : `As of today, the following invoices remain unpaid: ${p.list}.`,
      totalLine(p),
      p.fr
        ? `Merci de régler ${p.total} au plus tard le ${p.by}.`
        : `Please pay ${p.total} by ${p.by} at the latest.`,
      p.legal,
      p.pay,
      alreadyPaid(p.fr),
    ],
  }),
  firm: (p) => ({
    subject: p.fr
      ? `Impayé : facture${p.one ? '' : 's'} ${p.refs}`
      : `Unpaid invoice${p.one ? '' : 's'} ${p.refs}`,
    lines: [
      p.fr ? 'Bonjour,' : 'Hello,',
      p.fr
        ? p.one
          ? `Malgré son échéance dépassée, la facture ${p.list} n'est toujours pas réglée.`
          : `Malgré leur échéance dépassée, les factures suivantes ne sont toujours pas réglées : ${p.list}.`
        : p.one
          ? `Although past due, invoice ${p.list} is still unpaid.`
          : `Although past due, the following invoices are still unpaid: ${p.list}.`,
      totalLine(p),
      p.fr
        ? `Nous vous demandons de régler ${p.total} au plus tard le ${p.by}.`
        : `We ask you to pay ${p.total} by ${p.by} at the latest.`,
      p.legal,
      p.pay,
      p.fr
        ? "Sans règlement à cette date, le dossier passera à l'étape suivante de notre procédure de recouvrement."
        : 'Without payment by that date, the file will move to the next step of our collection procedure.',
    ],
  }),
  final_notice: (p) => ({
    subject: p.fr
      ? `Dernier rappel avant mise en demeure : ${p.refs}`
      : `Final reminder before formal notice: ${p.refs}`,
    lines: [
      p.fr ? 'Bonjour,' : 'Hello,',
      p.fr
        ? `Nos précédents rappels sont restés sans effet ; ${p.one ? `la facture ${p.list} reste impayée` : `restent impayées les factures suivantes : ${p.list}`}.`
        : `Our previous reminders have had no effect; ${p.one ? `invoice ${p.list} remains unpaid` : `the following invoices remain unpaid: ${p.list}`}.`,
      totalLine(p),
      p.fr
        ? `Ceci est notre dernier rappel amiable : merci de régler ${p.total} au plus tard le ${p.by}.`
        : `This is our last amicable reminder: please pay ${p.total} by ${p.by} at the latest.`,
      p.legal,
      p.pay,
      p.fr
        ? 'Sans règlement à cette date, nous vous adresserons une mise en demeure.'
        : 'Without payment by that date, we will send you a formal notice to pay.',
    ],
  }),
  formal_notice: (p) => {
    const { f } = p;
    const lang: Language = p.fr ? 'fr' : 'en';
    const sent = f.previousReminders.map(
      (r) => `${p.fr ? 'du' : 'of'} ${p.date(r.date)} (${STAGE_NAMES[lang][r.stage] ?? r.stage})`,
    );
    const claim = f.claim;
    const sums = (list: CurrencyAmount[]) =>
      joinAmounts(
        list.map((a) => p.money(a.amount, a.currency)),
        p.fr,
      );
    const rate = f.legal.penaltyRatePercent;
    const detail = claim
      ? p.fr
        ? `principal ${sums(claim.principal)}, pénalités de retard${rate !== null ? ` au taux annuel de ${formatPercent(rate, lang)}` : ''} arrêtées au ${p.date(f.asOf)} : ${sums(claim.interest)}, indemnité forfaitaire pour frais de recouvrement de ${p.money(f.legal.policyIndemnity, f.currency)} par facture, soit ${p.money(claim.indemnities.amount, claim.indemnities.currency)}`
        : `principal ${sums(claim.principal)}, late-payment penalties${rate !== null ? ` at an annual rate of ${formatPercent(rate, lang)}` : ''} to ${p.date(f.asOf)}: ${sums(claim.interest)}, fixed recovery indemnity of ${p.money(f.legal.policyIndemnity, f.currency)} per invoice, that is ${p.money(claim.indemnities.amount, claim.indemnities.currency)}`
      : null;
    const article = f.legal.article;
    const basis = article
      ? p.fr
        ? ` (article ${article} du Code de commerce)`
        : ` (article ${article} of the French Commercial Code)`
      : '';
    const step = p.fr
      ? f.smallClaim
        ? 'À défaut de règlement dans ce délai, nous engagerons sans autre avis la procédure simplifiée de recouvrement des petites créances ou déposerons une requête en injonction de payer auprès du tribunal compétent.'
        : 'À défaut de règlement dans ce délai, nous déposerons sans autre avis une requête en injonction de payer auprès du tribunal compétent.'
      : f.smallClaim
        ? 'Failing payment within this time, we will without further notice start the simplified small-claims recovery procedure or apply to the competent court for an order for payment.'
        : 'Failing payment within this time, we will without further notice apply to the competent court for an order for payment.';
    return {
      subject: p.fr ? `Mise en demeure de payer : ${p.refs}` : `Formal notice to pay: ${p.refs}`,
      lines: [
        REGISTERED_LETTER[lang],
        p.fr ? 'Madame, Monsieur,' : 'Dear Sir or Madam,',
        p.fr
          ? `${sent.length ? `Malgré nos relances ${joinAmounts(sent, true)}, ` : ''}${p.one ? `la facture ${p.list} reste impayée` : `les factures suivantes restent impayées : ${p.list}`}.`
          : `${sent.length ? `Despite our reminders ${joinAmounts(sent, false)}, ` : ''}${p.one ? `invoice ${p.list} remains unpaid` : `the following invoices remain unpaid: ${p.list}`}.`,
        p.fr
          ? `Par la présente, nous vous mettons en demeure de nous régler dans un délai de ${f.deadlineDays} jours, soit au plus tard le ${p.by}, la somme de ${claim ? sums(claim.total) : p.total}${detail ? ` : ${detail}` : ''}${basis}.`
          : `We hereby formally demand that you pay us within ${f.deadlineDays} days, that is by ${p.by} at the latest, the sum of ${claim ? sums(claim.total) : p.total}${detail ? `: ${detail}` : ''}${basis}.`,
        p.pay,
        step,
      ],
    };
  },
  promise_confirmation: (p) => {
    const pr = p.f.promise;
    return {
      subject: p.fr
        ? `Confirmation de votre engagement de paiement : ${p.refs}`
        : `Confirming your payment commitment: ${p.refs}`,
      lines: [
        p.fr ? 'Bonjour,' : 'Hello,',
        pr
          ? p.fr
            ? `Nous vous remercions de votre engagement de régler ${p.money(pr.amount, p.f.currency)} le ${p.date(pr.date)} pour ${invoicesPhrase(p)}.`
            : `Thank you for your commitment to pay ${p.money(pr.amount, p.f.currency)} on ${p.date(pr.date)} for ${invoicesPhrase(p)}.`
          : null,
        p.fr
          ? "Nous en prenons bonne note et suspendons nos relances jusqu'à cette date."
          : 'We have noted it and will send no further reminder until that date.',
        p.pay,
        alreadyPaid(p.fr),
      ],
    };
  },
  broken_promise: (p) => {
    const b = p.f.brokenPromise;
    return {
      subject: p.fr
        ? `Engagement de paiement non tenu : ${p.refs}`
        : `Payment commitment not kept: ${p.refs}`,
      lines: [
        p.fr ? 'Bonjour,' : 'Hello,',
        b
          ? p.fr
            ? `Vous vous étiez engagés à régler ${p.money(b.amount, p.f.currency)} le ${p.date(b.date)} ; à ce jour, nous n'avons rien reçu.`
            : `You had committed to pay ${p.money(b.amount, p.f.currency)} on ${p.date(b.date)}; as of today, we have received nothing.`
          : null,
        p.fr ? `Restent dues : ${p.list}.` : `Still due: ${p.list}.`,
        totalLine(p),
        p.fr
          ? `Merci de régler ${p.total} au plus tard le ${p.by}, ou de nous appeler sans attendre si une difficulté vous en empêche.`
          : `Please pay ${p.total} by ${p.by} at the latest, or call us now if something prevents it.`,
        p.legal,
        p.pay,
      ],
    };
  },
  dispute_acknowledgement: (p) => {
    const d = p.f.dispute;
    if (!d) return { subject: '', lines: [] };
    const whole = d.undisputedAmount <= 0;
    const disputed = p.money(d.disputedAmount, d.currency);
    const rest = p.money(d.undisputedAmount, d.currency);
    return {
      subject: p.fr
        ? `Votre contestation de la facture ${d.invoiceRef}`
        : `Your dispute about invoice ${d.invoiceRef}`,
      lines: [
        p.fr ? 'Bonjour,' : 'Hello,',
        p.fr
          ? `Nous avons bien reçu le ${p.date(d.openedDate)} votre contestation de la facture ${p.list}, au motif suivant : « ${d.reason} ».`
          : `On ${p.date(d.openedDate)} we received your dispute of invoice ${p.list}, for this reason: "${d.reason}".`,
        whole
          ? p.fr
            ? `Elle porte sur la totalité de la facture, soit ${disputed} : cette somme ne fera l'objet d'aucune relance pendant notre examen.`
            : `It covers the whole invoice, ${disputed}: we will send no reminder for it while we look into it.`
          : p.fr
            ? `Elle porte sur ${disputed} : ce montant ne fera l'objet d'aucune relance pendant notre examen. Le solde non contesté de ${rest} reste dû ; merci de le régler sans attendre.`
            : `It covers ${disputed}: we will send no reminder for that part while we look into it. The undisputed balance of ${rest} remains due; please pay it without waiting.`,
        p.fr
          ? `Nous reviendrons vers vous au plus tard le ${p.by}.`
          : `We will come back to you by ${p.by} at the latest.`,
        whole ? null : p.pay,
      ],
    };
  },
  call_recap: (p) => {
    const c = p.f.call;
    return {
      subject: p.fr
        ? `Suite à notre échange téléphonique : ${p.refs}`
        : `Following our phone call: ${p.refs}`,
      lines: [
        p.fr ? 'Bonjour,' : 'Hello,',
        c
          ? p.fr
            ? `Suite à notre entretien téléphonique du ${p.date(c.date)} au sujet ${p.one ? `de la facture ${p.list}` : `des factures suivantes : ${p.list}`}.`
            : `Following our phone call of ${p.date(c.date)} about ${invoicesPhrase(p)}.`
          : null,
        c
          ? `${p.fr ? 'Voici ce que nous avons noté' : 'This is what we noted'}${p.fr ? ' : ' : ': '}${c.notes}${/[.!?]$/.test(c.notes) ? '' : '.'}`
          : null,
        totalLine(p),
        p.pay,
        p.fr
          ? 'Si ce compte rendu ne correspond pas à notre échange, merci de nous le signaler sans délai.'
          : 'If this recap does not match our conversation, please tell us at once.',
      ],
    };
  },
};

/** The deterministic letter for these facts. */
export function writeLetter(f: ReminderFacts): Letter {
  const fr = f.language === 'fr';
  const money = (m: Minor, currency: string) => formatMoney(m, currency, f.language);
  const date = (d: IsoDate) => formatDate(d, f.language);
  const base = { fr, money, date };
  const pieces: Pieces = {
    f,
    ...base,
    list: f.invoices.map((i) => invoiceLine(i, base)).join(fr ? ' ; ' : '; '),
    one: f.invoices.length === 1,
    refs: f.invoices.map((i) => i.ref).join(', '),
    total: joinAmounts(
      f.totals.map((t) => money(t.amount, t.currency)),
      fr,
    ),
    by: date(f.deadline),
    legal: legalSentence(f, base),
    pay: paymentSentence(f, fr),
  };
  const { subject, lines } = SCENARIO_TEXT[f.scenario](pieces);
  const body = [...lines.filter((l): l is string => !!l), ...signature(f)].join('\n');
  return { subject, body };
}

// ---------------------------------------------------------------------------------------------
// Facts for a reminder, from the dunning plan

export interface ReminderRequest {
  scenario?: Scenario;
  /** For a dispute acknowledgement or a promise confirmation: the invoice concerned. */
  invoiceRef?: string;
  /** For a call recap: the call as recorded (date and our notes). */
  call?: { date: IsoDate; notes: string };
}

export type ReminderFactsResult = { ok: true; facts: ReminderFacts } | { ok: false; reason: string };

/** An amount in base currency expressed in the invoice's own currency (its own rate). */
const inCurrency = (base: Minor, inv: InvoiceFact): Minor =>
  inv.amount === 0 ? base : roundHalfAway((base * inv.originalAmount) / inv.amount);

/** The invoice's payment page: the template with {invoice}, {client} and {amount} filled in. */
export function paymentLinkFor(
  company: CompanySettings | null,
  inv: { ref: string; openInCurrency: Minor },
  clientRef: string,
): string | null {
  const template = company?.paymentLinkTemplate;
  if (!template) return null;
  return template
    .replaceAll('{invoice}', encodeURIComponent(inv.ref))
    .replaceAll('{client}', encodeURIComponent(clientRef))
    .replaceAll('{amount}', (inv.openInCurrency / 100).toFixed(2));
}

function sumByCurrency(items: readonly CurrencyAmount[]): CurrencyAmount[] {
  const out = new Map<string, Minor>();
  for (const i of items) out.set(i.currency, (out.get(i.currency) ?? 0) + i.amount);
  return [...out].map(([currency, amount]) => ({ currency, amount }));
}

/** Principal, late interest to asOf per invoice currency, and the fixed indemnity per invoice. */
function claimFor(invoices: readonly ReminderInvoice[], policy: Policy): Claim {
  const rate = penaltyRatePercent(policy);
  const enabled = policy.legal.latePenalty.enabled;
  const principal = sumByCurrency(invoices.map((i) => ({ currency: i.currency, amount: i.openInCurrency })));
  const interest = sumByCurrency(
    invoices.map((i) => ({
      currency: i.currency,
      amount: enabled ? lateInterest(i.openInCurrency, rate, i.daysOverdue) : 0,
    })),
  );
  const indemnities = {
    currency: policy.baseCurrency,
    amount: policy.legal.fixedIndemnity * invoices.length,
  };
  return {
    principal,
    interest,
    indemnities,
    total: sumByCurrency([...principal, ...interest, ...(indemnities.amount ? [indemnities] : [])]),
  };
}

/**
 * The facts a reminder may state, from the client's dunning plan and facts as of a date. The
 * scenario defaults to the plan's next stage (a promise broken since the last reminder gets its own
 * letter); the invoices are the ones the plan covers (disputed, promised and paid ones are listed as
 * excluded); legal mentions follow the plan (or, for an explicit scenario, the scenario) and the policy.
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
  const who = `${client.name} (${client.ref})`;
  const next = plan?.nextAction ?? null;
  if (!request.scenario && next?.stage === 'legal')
    return {
      ok: false,
      reason: `${who} is at the legal stage: filing is a human step, no letter is drafted`,
    };
  const sentSince = (date: IsoDate) => facts.reminders.some((r) => r.date >= date);
  const broken = (plan?.brokenPromises ?? [])
    .filter((b) => !sentSince(b.promisedDate))
    .sort((a, b) => (a.promisedDate < b.promisedDate ? 1 : -1))[0];
  const planScenario = next
    ? broken && next.stage !== 'formal_notice'
      ? 'broken_promise'
      : scenarioForStage(next.stage)
    : null;
  const scenario = request.scenario ?? planScenario;
  if (!scenario)
    return {
      ok: false,
      reason: !plan
        ? `${who} has no overdue invoice as of ${asOf}`
        : plan.status === 'on_hold'
          ? `every overdue invoice of ${who} is disputed, promised or paid: nothing to remind`
          : `the cadence for ${who} is complete: no further reminder is planned`,
    };
  if (scenario === 'call_recap') {
    if (!request.call)
      return {
        ok: false,
        reason: `a call recap is written from the notes of a call that took place: call ${who} first, then draft the recap with the call date and notes`,
      };
    if (request.call.date > asOf)
      return { ok: false, reason: `the call of ${request.call.date} has not taken place as of ${asOf}` };
    if (!request.call.notes.trim()) return { ok: false, reason: 'the call notes are empty' };
  }

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
    const inv = d ? asPlanInvoice(d.invoiceRef) : null;
    const fact = d ? facts.invoices.find((i) => i.ref === d.invoiceRef) : undefined;
    if (!d || !inv || !fact)
      return {
        ok: false,
        reason: request.invoiceRef
          ? `invoice ${request.invoiceRef} has no open dispute as of ${asOf}`
          : `${who} has no open dispute as of ${asOf}`,
      };
    const disputedBase = d.amount === null ? inv.openCents : Math.min(d.amount, inv.openCents);
    const disputedAmount = inCurrency(disputedBase, fact);
    dispute = {
      invoiceRef: d.invoiceRef,
      openedDate: d.openedDate,
      owner: d.owner,
      reason: d.reason,
      currency: fact.currency,
      disputedAmount,
      undisputedAmount: Math.max(0, inCurrency(inv.openCents, fact) - disputedAmount),
    };
    invoices = [inv];
  } else if (scenario === 'promise_confirmation') {
    const p = pending[0];
    if (!p) return { ok: false, reason: `${who} has no pending promise to pay as of ${asOf}` };
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
  }
  if (scenario === 'broken_promise' && !broken)
    return { ok: false, reason: `${who} has no broken promise to pay as of ${asOf}` };
  if (!invoices.length) return { ok: false, reason: `${who} has no invoice to remind as of ${asOf}` };

  const company = policy.company ?? null;
  const factOf = new Map(facts.invoices.map((i) => [i.ref, i]));
  const reminderInvoices: ReminderInvoice[] = invoices.map((i) => {
    const fact = factOf.get(i.ref)!;
    const openInCurrency = inCurrency(i.openCents, fact);
    return {
      ref: i.ref,
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      amount: i.amountCents,
      open: i.openCents,
      currency: fact.currency,
      amountInCurrency: fact.originalAmount,
      openInCurrency,
      daysOverdue: i.daysOverdue,
      description: fact.description,
      paymentLink: paymentLinkFor(company, { ref: i.ref, openInCurrency }, client.ref),
    };
  });

  const fromPlan = !request.scenario && next !== null;
  const quotesLegal = fromPlan
    ? next.quotePenalties || scenario === 'broken_promise'
    : statesLegalMentions(scenario);
  const enabled = policy.legal.latePenalty.enabled;
  const totalOpen = invoices.reduce((a, i) => a + i.openCents, 0);
  const deadline =
    scenario === 'formal_notice' && fromPlan && next.payBy
      ? onBusinessDay(next.payBy, policy.sending.holidays)
      : deadlineFor(scenario, asOf, policy, promise?.date);
  const refs = new Set(invoices.map((i) => i.ref));
  const previousReminders = facts.reminders
    .filter((r) => r.date <= asOf && (r.invoiceRefs.length === 0 || r.invoiceRefs.some((x) => refs.has(x))))
    .filter((r) => invoices.some((i) => r.date >= i.dueDate))
    .sort((a, b) => (a.date < b.date ? -1 : 1))
    .map((r) => ({ date: r.date, stage: r.stage }));
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
      company,
      invoices: reminderInvoices,
      totalOpen,
      totals: sumByCurrency(
        reminderInvoices.map((i) => ({ currency: i.currency, amount: i.openInCurrency })),
      ),
      deadline,
      deadlineDays: Math.max(0, daysBetween(asOf, deadline)),
      legal: {
        penaltyRatePercent: quotesLegal && enabled ? penaltyRate(policy) : null,
        indemnity: quotesLegal && policy.legal.fixedIndemnity > 0 ? policy.legal.fixedIndemnity : null,
        reference: policy.legal.reference,
        article: articleOf(policy.legal.reference),
        policyRatePercent: enabled ? penaltyRate(policy) : null,
        policyIndemnity: policy.legal.fixedIndemnity,
      },
      claim: scenario === 'formal_notice' ? claimFor(reminderInvoices, policy) : null,
      previousReminders,
      excluded,
      promise,
      brokenPromise:
        broken && scenario === 'broken_promise'
          ? { date: broken.promisedDate, amount: broken.amountCents }
          : null,
      dispute,
      call:
        scenario === 'call_recap' && request.call
          ? { date: request.call.date, notes: request.call.notes.trim() }
          : null,
      smallClaim: totalOpen < policy.dunning.smallClaimThreshold,
    },
  };
}
