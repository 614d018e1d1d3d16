import { describe, expect, it } from 'vitest';
import { FINDING_KINDS, type FindingKind } from '../src/core/data-quality.ts';
import { DUNNING_CODES } from '../src/core/dunning.ts';
import { LIMIT_CODES } from '../src/core/limit.ts';
import { DECISIONS, DEFAULT_POLICY, ROLES } from '../src/core/policy.ts';
import { FACTOR_CODES, FACTOR_NAMES } from '../src/core/score.ts';
import { LEGAL_CODES, TERMS_REASON_CODES } from '../src/core/terms.ts';
import type { WordParams } from '../src/core/worded.ts';
import { findingText } from '../src/wording/aging.ts';
import { dunningText } from '../src/wording/dunning.ts';
import { LANGUAGES } from '../src/wording/index.ts';
import { bandAdjective, bandPhrase, factorDetail, factorLabel } from '../src/wording/score.ts';
import { decisionWord, limitBasisText, reasonText, roleWord, TERMS_TABLES } from '../src/wording/terms.ts';
import {
  DUNNING_SAMPLES,
  englishOnlyPhrases,
  FACTOR_SAMPLES,
  LIMIT_SAMPLES,
  TERMS_SAMPLES,
} from './support/wording-samples.ts';

/** Every code the core can return has a wording in both languages, with every figure rendered. */
/** A rendering that left a placeholder or a missing figure in the text. */
const UNRENDERED = /\{\w*\}|undefined|NaN|\[object Object\]|null/;

/** Every numeric param set to `n`: "1 days" and "1 factures" show up when a plural rule is missing. */
const allNumbers = (params: WordParams, n: number): WordParams =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'number' ? n : v]));

describe('factor wording', () => {
  it.each(FACTOR_CODES)('%s renders in French and English with every figure', (code) => {
    const params = FACTOR_SAMPLES[code];
    const fr = factorDetail({ code, params }, 'fr');
    const en = factorDetail({ code, params }, 'en');
    for (const text of [fr, en]) {
      expect(text.length).toBeGreaterThan(5);
      expect(text).not.toMatch(UNRENDERED);
    }
    expect(fr).not.toBe(en);
    // Every figure given appears in the sentence in some form (amounts and dates formatted).
    for (const [key, value] of Object.entries(params))
      if (typeof value === 'number' && key !== 'currency' && !['insured'].includes(key))
        for (const text of [fr, en]) expect(text, `${code}.${key}`).toMatch(/\d/);
  });

  it.each(FACTOR_CODES)('%s agrees in number for 1 and for many', (code) => {
    for (const n of [1, 3]) {
      const params = allNumbers(FACTOR_SAMPLES[code], n);
      const en = factorDetail({ code, params }, 'en');
      const fr = factorDetail({ code, params }, 'fr');
      if (n === 1) {
        expect(en).not.toMatch(/(?<![\d.,])1 (days|invoices|paid invoices|months|promises|open disputes)\b/);
        expect(fr).not.toMatch(/(?<![\d.,\u202f])1 (jours|factures|litiges|promesses)\b/);
        expect(fr).not.toMatch(/1 (facture|facture payée|facture échue)s?, (réglées|payées)/);
      } else {
        expect(en).not.toMatch(/(?<![\d.,])3 (day|invoice|paid invoice|month|promise|open dispute)\b(?! to)/);
        expect(fr).not.toMatch(/(?<![\d.,\u202f])3 (jour|facture|litige|promesse)\b(?!s)/);
      }
    }
  });

  it('formats amounts, dates and shares per language', () => {
    const fr = factorDetail(
      { code: 'currentOverdue.some', params: FACTOR_SAMPLES['currentOverdue.some'] },
      'fr',
    );
    const en = factorDetail(
      { code: 'currentOverdue.some', params: FACTOR_SAMPLES['currentOverdue.some'] },
      'en',
    );
    expect(fr).toContain('5\u202f432,10 EUR');
    expect(fr).toContain('61\u202f%');
    expect(fr).toContain('33,4 jours');
    expect(en).toContain('EUR 5,432.10');
    expect(en).toContain('61%');
    expect(en).toContain('33.4 days');
    const since = { code: 'relationshipAge.since' as const, params: FACTOR_SAMPLES['relationshipAge.since'] };
    expect(factorDetail(since, 'fr')).toContain('1er septembre 2025');
    expect(factorDetail(since, 'en')).toContain('1 September 2025');
    const one = {
      code: 'currentOverdue.some' as const,
      params: { ...FACTOR_SAMPLES['currentOverdue.some'], count: 1, oldestDays: 1 },
    };
    expect(factorDetail(one, 'fr')).toMatch(/^1 facture échue .* la plus ancienne à 1 jour$/);
    expect(factorDetail(one, 'en')).toMatch(/^1 invoice overdue .* oldest 1 day$/);
  });

  it('names every factor and band in both languages', () => {
    for (const lang of LANGUAGES) {
      for (const name of FACTOR_NAMES) expect(factorLabel(name, lang)).toMatch(/\w{3}/);
      for (const band of ['low', 'moderate', 'high'] as const) {
        expect(bandPhrase(band, lang)).toContain(bandAdjective(band, lang));
      }
    }
    expect(factorLabel('lateFrequency', 'fr')).not.toBe(factorLabel('lateFrequency', 'en'));
  });

  it('lists the English phrases a French text must not contain', () => {
    const phrases = englishOnlyPhrases();
    expect(phrases.length).toBeGreaterThan(40);
    expect(phrases).toContain('invoices paid late');
    expect(phrases).toContain('How often invoices are paid late');
    expect(phrases.some((p) => /échéance|retard/.test(p))).toBe(false);
  });
});

describe('terms wording', () => {
  const builtIn = (code: (typeof TERMS_REASON_CODES)[number] | (typeof LEGAL_CODES)[number]) =>
    code !== 'terms.recorded';
  it.each([...TERMS_REASON_CODES, ...LEGAL_CODES])('%s renders in French and English', (code) => {
    const fr = reasonText({ code, params: TERMS_SAMPLES[code] }, 'fr');
    const en = reasonText({ code, params: TERMS_SAMPLES[code] }, 'en');
    for (const text of [fr, en]) {
      expect(text.length).toBeGreaterThan(5);
      expect(text).not.toMatch(UNRENDERED);
    }
    if (builtIn(code)) expect(fr).not.toBe(en);
  });

  it.each(LIMIT_CODES)('%s renders in French and English', (code) => {
    const fr = limitBasisText({ code, params: LIMIT_SAMPLES[code] }, 'fr');
    const en = limitBasisText({ code, params: LIMIT_SAMPLES[code] }, 'en');
    for (const text of [fr, en]) expect(text).not.toMatch(UNRENDERED);
    expect(fr).not.toBe(en);
  });

  it('words every built-in policy rule, and shows a rewritten reason as written', () => {
    for (const rule of DEFAULT_POLICY.decisionRules) {
      const params = { rule: rule.id, reason: rule.reason, grade: 'B' };
      expect(reasonText({ code: 'terms.policyRule', params }, 'en')).toBe(`${rule.reason} (grade B)`);
      const fr = reasonText({ code: 'terms.policyRule', params }, 'fr');
      expect(fr).toMatch(/ \(note B\)$/);
      expect(fr).not.toContain(rule.reason);
    }
    const own = { rule: 'reliable', reason: 'client fiable (règle maison)', grade: 'A' };
    expect(reasonText({ code: 'terms.policyRule', params: own }, 'en')).toBe(
      'client fiable (règle maison) (grade A)',
    );
  });

  it('puts the evidence of a rule in both languages, with plurals', () => {
    const fr = reasonText({ code: 'terms.policyRule', params: TERMS_SAMPLES['terms.policyRule'] }, 'fr');
    expect(fr).toContain('4 factures payées à l’historique');
    expect(fr).toContain(
      'exposition après la demande 45\u202f000,00 EUR pour une limite de 30\u202f000,00 EUR (recommandée)',
    );
    expect(fr).toContain('60 jours demandés, seuil 30 jours');
    expect(fr).toContain('62\u202f% des factures échues sur 12 mois payées en retard');
    expect(fr).toContain(
      '2 litiges ouverts ; plus ancienne facture échue depuis 41 jours ; 2 promesses non tenues',
    );
    const one = {
      ...TERMS_SAMPLES['terms.policyRule'],
      openDisputes: 1,
      brokenPromises: 1,
      maxDaysOverdue: 1,
    };
    const en = reasonText({ code: 'terms.policyRule', params: one }, 'en');
    expect(en).toContain(
      '1 open dispute; oldest overdue invoice 1 day past due; 1 broken promise in 12 months',
    );
    expect(reasonText({ code: 'terms.policyRule', params: one }, 'fr')).toContain(
      '1 litige ouvert ; plus ancienne facture échue depuis 1 jour ; 1 promesse non tenue',
    );
  });

  it('names every decision and role once, in both languages', () => {
    for (const lang of LANGUAGES) {
      for (const d of DECISIONS) expect(decisionWord(d, lang)).toMatch(/\w{3}/);
      for (const r of ROLES) expect(roleWord(r, lang)).toMatch(/\w{3}/);
    }
    expect(Object.keys(TERMS_TABLES.DECISION_WORDS).sort()).toEqual([...DECISIONS].sort());
  });
});

describe('dunning wording', () => {
  it.each(DUNNING_CODES)('%s renders in French and English, dates and amounts per language', (code) => {
    const params = DUNNING_SAMPLES[code];
    const fr = dunningText({ code, params }, 'fr');
    const en = dunningText({ code, params }, 'en');
    for (const text of [fr, en]) expect(text).not.toMatch(UNRENDERED);
    expect(fr).not.toBe(en);
    for (const text of [fr, en]) expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('agrees in number', () => {
    const one = { code: 'note.brokenPromises' as const, params: { count: 1, dates: '2026-06-20' } };
    expect(dunningText(one, 'fr')).toBe('promesse de paiement non tenue (20 juin 2026) : la cadence reprend');
    expect(dunningText(one, 'en')).toBe('broken promise to pay (20 June 2026): the cadence resumes');
    const few = { code: 'class.fewPaid' as const, params: { paid: 1, required: 3 } };
    expect(dunningText(few, 'en')).toBe('only 1 paid invoice, fewer than 3');
    expect(dunningText(few, 'fr')).toBe('seulement 1 facture payée, moins de 3');
  });
});

describe('data-quality wording', () => {
  const money = { currency: 'EUR' };
  const SAMPLES: Record<FindingKind, WordParams> = {
    overpayment: { settled: 122_000, amount: 120_000, overpaid: 2_000, ...money },
    payment_before_invoice: {
      creditNote: false,
      payment: 'P-1',
      date: '2026-03-01',
      issueDate: '2026-03-05',
    },
    due_before_issue: { dueDate: '2026-03-01', issueDate: '2026-03-05' },
    terms_beyond_legal_cap: { days: 90, dueDate: '2026-06-01', cap: '2026-05-01', reference: 'L441-10' },
    terms_mismatch: { dueDate: '2026-04-04', termsDays: 30, issueDate: '2026-03-01' },
    delivered_long_before_invoice: { deliveredDate: '2026-01-01', days: 45, issueDate: '2026-02-15' },
    non_positive_amount: { amount: -5_000, ...money },
    dispute_exceeds_invoice: { disputed: 150_000, amount: 100_000, ...money },
    promise_unknown_invoice: {
      amount: 10_000,
      promisedDate: '2026-07-01',
      invoice: 'F-9',
      asOf: '2026-06-30',
      ...money,
    },
    unallocated_payment: { payment: 'P-2', date: '2026-06-01', left: 50_000, amount: 50_000 },
  };
  it.each(FINDING_KINDS)('%s renders in French and English', (kind) => {
    const fr = findingText({ kind, params: SAMPLES[kind] }, 'fr');
    const en = findingText({ kind, params: SAMPLES[kind] }, 'en');
    for (const text of [fr, en]) {
      expect(text).not.toMatch(UNRENDERED);
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
    expect(fr).not.toBe(en);
  });
});
