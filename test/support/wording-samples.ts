import type { DunningCode } from '../../src/core/dunning.ts';
import type { LimitCode } from '../../src/core/limit.ts';
import type { FactorCode } from '../../src/core/score.ts';
import type { LegalCode, TermsReasonCode } from '../../src/core/terms.ts';
import type { WordParams } from '../../src/core/worded.ts';
import { CLI_WORDING } from '../../src/wording/cli.ts';
import { DUNNING_TABLES } from '../../src/wording/dunning.ts';
import { formatterFor, type Language, type WordingTable } from '../../src/wording/index.ts';
import { SCORE_TABLES } from '../../src/wording/score.ts';
import { TERMS_TABLES } from '../../src/wording/terms.ts';
import { TOOL_WORDING } from '../../src/wording/tools.ts';

/**
 * Sample figures for every code, typed by the core's code lists: a new code without a sample does
 * not compile, so the wording tests cover it.
 */
const money = { currency: 'EUR' };
const exposure = { exposure: 123_456_78, openBalance: 23_456_78, openOrders: 100_000_00, ...money };
export const FACTOR_SAMPLES: Record<FactorCode, WordParams> = {
  'paymentBehaviour.index': { index: 74, paid: 7, daysLate: 12 },
  'paymentBehaviour.insufficient': { paid: 2, required: 3 },
  'lateFrequency.share': { late: 3, invoices: 9, stillOpen: 2, averageDaysLate: 17.5, weightedShare: 0.412 },
  'lateFrequency.none': {},
  'currentOverdue.none': {},
  'currentOverdue.clean': { paid: 8 },
  'currentOverdue.some': {
    count: 4,
    amount: 5_432_10,
    share: 0.61,
    averageDays: 33.4,
    oldestDays: 71,
    ...money,
  },
  'openDisputes.none': {},
  'openDisputes.open': { count: 2, amount: 1_999_99, ...money },
  'brokenPromises.none': {},
  'brokenPromises.record': { broken: 2, promises: 5, amount: 3_000_00, ...money },
  'exposure.limit': { ...exposure, ratio: 1.234, limit: 100_000_00, insured: false },
  'exposure.usual': { ...exposure, times: 2.7, usual: 45_000_00 },
  'exposure.noBasis': exposure,
  'relationshipAge.since': { months: 14, since: '2025-09-01' },
  'relationshipAge.none': {},
  'orderTrend.short': {},
  'orderTrend.change': { lastMonthly: 12_000_00, previousMonthly: 15_000_00, change: -0.2, ...money },
  'externalScore.none': {},
  'externalScore.value': { score: 64 },
  'sectorRisk.unknown': {},
  'sectorRisk.unlisted': { sector: 'retail' },
  'sectorRisk.adjusted': { sector: 'construction', adjustment: -4 },
  'bounds.clamped': { raw: 104 },
};

const legal = { days: 90, maxDays: 60, endOfMonth: false, reference: 'Code de commerce, article L441-10' };
export const TERMS_SAMPLES: Record<TermsReasonCode | LegalCode, WordParams> = {
  'legal.within': { ...legal, days: 45 },
  'legal.exceeds': legal,
  'terms.legalCap': legal,
  'terms.policyRule': {
    rule: 'chronic-late',
    reason: 'more than half of recent invoices paid late: terms shortened',
    grade: 'D',
    paidInvoices: 4,
    exposureAfter: 4_500_000,
    limit: 3_000_000,
    limitSource: 'recommended',
    requestedDays: 60,
    daysThreshold: 30,
    lateShare: 0.62,
    openDisputes: 2,
    maxDaysOverdue: 41,
    brokenPromises: 2,
    currency: 'EUR',
  },
  'terms.noRule': {},
  'terms.overLimit': { exposureAfter: 4_500_000, limit: 3_000_000, currency: 'EUR' },
  'terms.noHistory': { paid: 2, depositPercent: 30 },
  'terms.recorded': { text: 'a reason recorded in earlier words' },
};
const capped = { cappedBy: 'insurance', cap: 900_000, currency: 'EUR' };
export const LIMIT_SAMPLES: Record<LimitCode, WordParams> = {
  'limit.client': { limit: 3_000_000, recommended: 2_500_000, currency: 'EUR' },
  'limit.newClient': { paid: 1, required: 3, newClientLimit: 500_000, ...capped },
  'limit.noBalance': { ...capped, cappedBy: null },
  'limit.history': {
    highest: 800_000,
    date: '2026-01-31',
    multiplier: 1.25,
    gradeFactor: 0.8,
    grade: 'C',
    scaled: 800_000,
    rounded: 800_000,
    ...capped,
    cappedBy: 'policy_max',
  },
};

const payerFigures = { late: 4, paid: 9, averageDaysLate: 12.5 };
export const DUNNING_SAMPLES: Record<DunningCode, WordParams> = {
  'class.young': { since: '2026-03-02', months: 6, asOf: '2026-06-30' },
  'class.fewPaid': { paid: 2, required: 3 },
  'class.late': payerFigures,
  'class.good': payerFigures,
  'class.standard': payerFigures,
  'excluded.paused': { clientLevel: true, reason: 'accord en cours' },
  'excluded.disputed': {},
  'excluded.promised': { amount: 150_000, currency: 'EUR', promisedDate: '2026-07-05', clientLevel: true },
  'excluded.paid': { settledDate: '2026-06-25', reminderDate: '2026-06-20' },
  'note.catchUp': { days: 40, stage: 'firm', cadenceDay: 30 },
  'note.spaced': { days: 3, previous: '2026-06-29' },
  'note.behind': { days: 60, stage: 'formal_notice' },
  'note.brokenPromises': { count: 2, dates: '2026-06-20,2026-06-27' },
  'note.formalNotice': { days: 8, payBy: '2026-07-08' },
  'note.call': {},
  'note.smallClaim': { threshold: 500_000, currency: 'EUR' },
  'note.orderForPayment': {},
};

/** Params for phrases of the surface tables: plausible figures for any key a phrase asks for. */
const anyParams: WordParams = new Proxy(
  {},
  {
    get: (_t, key) => {
      const k = String(key);
      if (k === 'band') return 'moderate';
      if (k === 'currency') return 'EUR';
      if (k === 'grade') return 'C';
      if (/date|asOf|since|until/i.test(k)) return '2026-06-30';
      return 3;
    },
  },
);

/** Every wording table's sentences in one language, rendered with sample figures. */
export function renderedSentences(lang: Language): string[] {
  const f = formatterFor(lang);
  const tables: WordingTable[] = [CLI_WORDING, TOOL_WORDING];
  const out = Object.entries(FACTOR_SAMPLES).map(([code, params]) =>
    SCORE_TABLES.FACTOR_WORDING[code as FactorCode][lang](params, f),
  );
  for (const table of tables) for (const entry of Object.values(table)) out.push(entry[lang](anyParams, f));
  for (const [code, params] of Object.entries(TERMS_SAMPLES))
    out.push(TERMS_TABLES.REASON_WORDING[code as TermsReasonCode][lang](params, f));
  for (const [code, params] of Object.entries(LIMIT_SAMPLES))
    out.push(TERMS_TABLES.LIMIT_WORDING[code as LimitCode][lang](params, f));
  for (const [code, params] of Object.entries(DUNNING_SAMPLES))
    out.push(DUNNING_TABLES.DUNNING_WORDING[code as DunningCode][lang](params, f));
  for (const w of Object.values(DUNNING_TABLES.STAGE_WORDS)) out.push(w[lang]);
  for (const words of [TERMS_TABLES.DECISION_WORDS, TERMS_TABLES.ROLE_WORDS, TERMS_TABLES.BUILT_IN_REASONS])
    for (const w of Object.values(words)) out.push(w[lang]);
  for (const label of Object.values(SCORE_TABLES.FACTOR_LABELS)) out.push(label[lang]);
  for (const band of Object.values(SCORE_TABLES.BAND_WORDS)) out.push(band[lang].phrase);
  return out;
}

/**
 * The English wording's phrases (runs of two words or more between figures and punctuation) that
 * the French wording never uses: none of them may appear in a French answer.
 */
export function englishOnlyPhrases(): string[] {
  const french = renderedSentences('fr').join('\n').toLowerCase();
  const phrases = new Set<string>();
  for (const sentence of renderedSentences('en'))
    for (const run of sentence.split(/[^A-Za-z' -]+/)) {
      const phrase = run.trim().replace(/^[-' ]+|[-' ]+$/g, '');
      if (phrase.split(/\s+/).length >= 2 && !french.includes(phrase.toLowerCase())) phrases.add(phrase);
    }
  return [...phrases];
}
