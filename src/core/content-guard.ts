/**
 * The one checker every reminder text goes through, whoever wrote it (templates, Claude, a body
 * supplied over MCP, a person's edit): figures against the facts, legal lint, contact details, the
 * content each scenario must carry, and length. A finding names its rule (`kind`) and the passage
 * (`text`); a letter with any finding is blocked and cannot be approved.
 */
import { isBusinessDay } from './business-days.ts';
import { checkGroundedness, type ExtractedValue, extractValues, indexFacts } from './grounding.ts';
import { lintReminder } from './legal-lint.ts';
import { formatDate, type Letter, type ReminderFacts } from './letters.ts';
import type { Minor } from './money.ts';
import type { Policy } from './policy.ts';
import { foldText } from './text.ts';

export interface LetterFinding {
  check: 'grounding' | 'legal' | 'contact' | 'content' | 'format' | 'recheck';
  /** The rule broken. */
  kind: string;
  /** The passage as written (or what is missing). */
  text: string;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Contact details: only the company's settings and the client's own address

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const URL = /\b(?:https?:\/\/|www\.)[^\s<>"«»]+/gi;
const DOMAIN =
  /(?<![\p{L}\p{N}@.-])(?:[a-z0-9-]+\.)+(?:com|fr|net|org|io|co|uk|eu|ru|info|biz|xyz|app|link|me|de|be|ch|es|it|online|site|top|pay|shop|cn|tk)(?:\/[^\s]*)?(?![\p{L}\p{N}])/giu;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b/g;
const BIC_LABELLED = /\b(?:BIC|SWIFT)\s*:?\s*([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b/g;
/** A run of digits with the separators people type in phone and account numbers. */
const DIGIT_RUN = /(?<![\p{L}\p{N}])\+?\d[\d .()/-]{5,}\d(?![\p{L}\p{N}])/gu;

const digitsOf = (s: string) => s.replace(/\D/g, '');
const trimPunctuation = (s: string) => s.replace(/[.,;:!?)\]]+$/, '');
const blankOut = (text: string, index: number, length: number) =>
  text.slice(0, index) + ' '.repeat(length) + text.slice(index + length);

function hostOf(url: string): string | null {
  try {
    return new globalThis.URL(/^https?:/i.test(url) ? url : `https://${url}`).host.toLowerCase();
  } catch {
    return null;
  }
}

/** What a letter may contain besides the facts: the company's details and the client's e-mail. */
function allowedContacts(facts: ReminderFacts) {
  const c = facts.company;
  const emails = [c?.email, c?.replyTo, facts.client.email]
    .filter((e): e is string => !!e)
    .map((e) => e.toLowerCase());
  const linkPrefix = c?.paymentLinkTemplate ? c.paymentLinkTemplate.split('{')[0]! : null;
  const hosts = new Set(
    [...(linkPrefix ? [hostOf(linkPrefix)] : []), ...emails.map((e) => e.split('@')[1] ?? null)].filter(
      (h): h is string => !!h,
    ),
  );
  // Phone-like numbers of the company: its phone (compared on the last 9 digits), SIREN, VAT number.
  const numbers = [c?.phone, c?.siren, c?.vatNumber]
    .filter((n): n is string => !!n)
    .map((n) => digitsOf(n).slice(-9))
    .filter((n) => n.length >= 6);
  return {
    emails,
    hosts,
    links: new Set(facts.invoices.map((i) => i.paymentLink).filter((l): l is string => !!l)),
    linkPrefix,
    iban: c?.iban ? c.iban.replace(/\s+/g, '').toUpperCase() : null,
    bic: c?.bic ?? null,
    numbers,
  };
}

function contactFindings(text: string, facts: ReminderFacts, values: ExtractedValue[]): LetterFinding[] {
  const allowed = allowedContacts(facts);
  const out: LetterFinding[] = [];
  const add = (kind: string, passage: string, message: string) =>
    out.push({ check: 'contact', kind, text: passage, message: `${message}: "${passage}"` });
  let rest = text;

  for (const m of text.matchAll(EMAIL)) {
    if (!allowed.emails.includes(m[0].toLowerCase()))
      add(
        'email_address',
        m[0],
        "e-mail address that is neither the company's (settings) nor the client's own contact",
      );
    rest = blankOut(rest, m.index, m[0].length);
  }
  for (const m of rest.matchAll(URL)) {
    const url = trimPunctuation(m[0]);
    const ok =
      allowed.links.has(url) ||
      (allowed.linkPrefix !== null && url.startsWith(allowed.linkPrefix) && !/[\s@]/.test(url));
    if (!ok) add('link', url, 'link that is not the payment link of the company settings');
    rest = blankOut(rest, m.index, m[0].length);
  }
  for (const m of rest.matchAll(DOMAIN)) {
    const host = hostOf(trimPunctuation(m[0]));
    if (!host || !allowed.hosts.has(host))
      add('link', trimPunctuation(m[0]), 'web address that is not in the company settings');
    rest = blankOut(rest, m.index, m[0].length);
  }
  for (const m of rest.matchAll(IBAN)) {
    if (m[0].replace(/\s+/g, '') !== allowed.iban)
      add(
        'bank_details',
        m[0],
        "bank account number that is not the company's IBAN (settings): payment details are never changed in a reminder",
      );
    rest = blankOut(rest, m.index, m[0].length);
  }
  for (const m of rest.matchAll(BIC_LABELLED)) {
    if (m[1] !== allowed.bic) add('bank_details', m[0], "BIC that is not the company's (settings)");
    rest = blankOut(rest, m.index, m[0].length);
  }
  // Figures the grounding check reads (amounts, dates, refs, percentages) are not phone numbers.
  for (const v of values) {
    const at = rest.indexOf(v.text, Math.max(0, v.index - 2));
    if (at >= 0) rest = blankOut(rest, at, v.text.length);
  }
  for (const m of rest.matchAll(DIGIT_RUN)) {
    const digits = digitsOf(m[0]);
    if (digits.length < 8) continue;
    if (allowed.numbers.includes(digits.slice(-9))) continue;
    const phoneLike = /^(\+|00|0[1-9])/.test(m[0].trim()) && digits.length <= 13;
    add(
      phoneLike ? 'phone_number' : 'account_number',
      m[0].trim(),
      phoneLike
        ? "phone number that is neither the company's (settings) nor the client's own"
        : 'account or reference number that is not in the facts nor the company settings',
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Content each scenario must carry

/** Scenarios that chase money: each invoice in full, the total, a deadline. */
const CHASING = new Set(['friendly', 'clear', 'firm', 'final_notice', 'formal_notice', 'broken_promise']);

const REGISTERED =
  /lettre recommandee avec (accuse|avis) de reception|registered letter with acknowledge?ment of receipt/;
const NEXT_LEGAL_STEP =
  /injonction de payer|procedure simplifiee|petites creances|procedure judiciaire|order for payment|small claims|court proceedings/;

function contentFindings(text: string, facts: ReminderFacts, values: ExtractedValue[]): LetterFinding[] {
  const out: LetterFinding[] = [];
  const folded = ` ${foldText(text)} `;
  const lang = facts.language;
  const missing = (kind: string, what: string, message: string) =>
    out.push({ check: 'content', kind, text: what, message: `${message} (missing: ${what})` });
  const hasRef = (ref: string) =>
    values.some((v) => v.kind === 'ref' && v.value === ref) || text.includes(ref);
  const hasDate = (d: string) => values.some((v) => v.kind === 'date' && v.value === d);
  const hasAmount = (amount: Minor, currency: string) =>
    values.some((v) => v.kind === 'amount' && v.value === amount && v.currency === currency);
  const money = (amount: Minor, currency: string) => `${(amount / 100).toFixed(2)} ${currency}`;
  const hasWords = (words: string) => folded.includes(` ${foldText(words)} `);

  const chasing = CHASING.has(facts.scenario);
  for (const inv of facts.invoices) {
    if (!hasRef(inv.ref)) missing('invoice_ref', inv.ref, `the letter must name invoice ${inv.ref}`);
    if (!chasing) continue;
    if (!hasDate(inv.issueDate))
      missing(
        'invoice_date',
        formatDate(inv.issueDate, lang),
        `the letter must give the date of invoice ${inv.ref}`,
      );
    if (!hasAmount(inv.openInCurrency, inv.currency))
      missing(
        'invoice_amount',
        money(inv.openInCurrency, inv.currency),
        `the letter must state what is owed on ${inv.ref}, in its currency`,
      );
  }
  if (chasing) {
    if (facts.invoices.length > 1)
      for (const t of facts.totals)
        if (!hasAmount(t.amount, t.currency))
          missing('total', money(t.amount, t.currency), 'the letter must state the total owed');
    if (!hasDate(facts.deadline))
      missing('deadline', formatDate(facts.deadline, lang), 'the letter must give the deadline');
  }
  if (facts.scenario !== 'promise_confirmation' && !isBusinessDay(facts.deadline))
    out.push({
      check: 'content',
      kind: 'deadline_business_day',
      text: facts.deadline,
      message: `the deadline ${facts.deadline} is not a business day`,
    });

  const { penaltyRatePercent: rate, indemnity, article } = facts.legal;
  if (rate !== null && !values.some((v) => v.kind === 'percent' && Math.abs(Number(v.value) - rate) < 0.005))
    missing(
      'penalty_rate',
      `${rate}%`,
      'from the penalty stage on, the letter must state the late-penalty rate',
    );
  if (indemnity !== null && !hasAmount(indemnity, facts.currency))
    missing(
      'indemnity',
      money(indemnity, facts.currency),
      'from the penalty stage on, the letter must state the fixed recovery indemnity per invoice',
    );
  if ((rate !== null || indemnity !== null) && article && !folded.includes(` ${foldText(article)} `))
    missing('legal_basis', article, 'the legal mentions must cite their article');

  switch (facts.scenario) {
    case 'formal_notice':
      if (!REGISTERED.test(folded))
        missing(
          'registered_letter',
          lang === 'fr'
            ? 'lettre recommandée avec accusé de réception'
            : 'registered letter with acknowledgement of receipt',
          'a formal notice goes by registered letter and says so',
        );
      for (const r of facts.previousReminders)
        if (!hasDate(r.date))
          missing(
            'previous_reminder',
            formatDate(r.date, lang),
            'a formal notice lists the reminders already sent',
          );
      for (const t of facts.claim?.total ?? [])
        if (!hasAmount(t.amount, t.currency))
          missing('sum_claimed', money(t.amount, t.currency), 'a formal notice states the sums claimed');
      if (!NEXT_LEGAL_STEP.test(folded))
        missing(
          'next_legal_step',
          lang === 'fr' ? 'injonction de payer' : 'order for payment',
          'a formal notice names the next legal step',
        );
      break;
    case 'dispute_acknowledgement': {
      const d = facts.dispute;
      if (!d) break;
      if (!hasWords(d.reason))
        missing('dispute_reason', d.reason, 'the acknowledgement restates the reason given');
      if (!hasAmount(d.disputedAmount, d.currency))
        missing(
          'disputed_amount',
          money(d.disputedAmount, d.currency),
          'the acknowledgement states the amount contested',
        );
      if (d.undisputedAmount > 0 && !hasAmount(d.undisputedAmount, d.currency))
        missing(
          'undisputed_amount',
          money(d.undisputedAmount, d.currency),
          'the acknowledgement states the undisputed rest, still due',
        );
      if (!hasDate(facts.deadline))
        missing('deadline', formatDate(facts.deadline, lang), 'the acknowledgement says when we will answer');
      break;
    }
    case 'promise_confirmation':
      if (facts.promise) {
        if (!hasDate(facts.promise.date))
          missing(
            'promise_date',
            formatDate(facts.promise.date, lang),
            'the confirmation restates the promised date',
          );
        if (!hasAmount(facts.promise.amount, facts.currency))
          missing(
            'promise_amount',
            money(facts.promise.amount, facts.currency),
            'the confirmation restates the promised amount',
          );
      }
      break;
    case 'broken_promise':
      if (facts.brokenPromise && !hasDate(facts.brokenPromise.date))
        missing(
          'promise_date',
          formatDate(facts.brokenPromise.date, lang),
          'the letter recalls the promise that was not kept',
        );
      break;
    case 'call_recap':
      if (facts.call) {
        if (!hasDate(facts.call.date))
          missing('call_date', formatDate(facts.call.date, lang), 'the recap dates the call');
        if (!hasWords(facts.call.notes))
          missing(
            'call_notes',
            facts.call.notes,
            'the recap states what was recorded of the call, nothing else',
          );
      }
      break;
  }
  if (facts.company && !hasWords(facts.company.legalName))
    missing(
      'signature',
      facts.company.legalName,
      'the letter is signed with the company name of the settings',
    );
  return out;
}

// ---------------------------------------------------------------------------------------------

/** Longest body accepted: an e-mail stays short, a formal notice carries more. */
const maxLines = (facts: ReminderFacts) => (facts.scenario === 'formal_notice' ? 22 : 16);

/** Every guard on a letter, in one list. */
export function checkLetter(letter: Letter, facts: ReminderFacts, policy: Policy): LetterFinding[] {
  const text = `${letter.subject}\n${letter.body}`;
  const index = indexFacts(facts);
  const values = extractValues(text, index.refShapes);
  const findings: LetterFinding[] = [];
  for (const f of checkGroundedness(text, index).findings)
    findings.push({ check: 'grounding', kind: f.kind, text: f.text, message: f.message });
  for (const f of lintReminder(text, facts, policy))
    findings.push({ check: 'legal', kind: f.kind, text: f.text, message: f.message });
  findings.push(...contactFindings(text, facts, values));
  const lines = letter.body.split('\n').filter((l) => l.trim()).length;
  if (!letter.body.trim())
    findings.push({ check: 'format', kind: 'empty', text: '', message: 'the body is empty' });
  else {
    findings.push(...contentFindings(text, facts, values));
    if (lines > maxLines(facts))
      findings.push({
        check: 'format',
        kind: 'too_long',
        text: `${lines} lines`,
        message: `the body has ${lines} lines; this letter stays under ${maxLines(facts)}`,
      });
  }
  return findings;
}
