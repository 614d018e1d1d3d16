import { describe, expect, it } from 'vitest';
import { FACTOR_CODES, FACTOR_NAMES } from '../src/core/score.ts';
import type { WordParams } from '../src/core/worded.ts';
import { LANGUAGES } from '../src/wording/index.ts';
import { bandAdjective, bandPhrase, factorDetail, factorLabel } from '../src/wording/score.ts';
import { englishOnlyPhrases, FACTOR_SAMPLES } from './support/wording-samples.ts';

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
