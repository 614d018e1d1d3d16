import { describe, expect, it } from 'vitest';
import { formatterFor } from '../src/wording/index.ts';

describe('wording formatters', () => {
  it('formats figures per language', () => {
    const fr = formatterFor('fr');
    const en = formatterFor('en');
    expect(fr.money(123456, 'EUR')).toBe('1\u202f234,56 EUR');
    expect(en.money(123456, 'GBP')).toBe('GBP 1,234.56');
    expect(fr.date('2026-12-01')).toBe('1er décembre 2026');
    expect(en.date('2026-11-23')).toBe('23 November 2026');
    expect([fr.days(0), fr.days(1), fr.days(3)]).toEqual(['0 jour', '1 jour', '3 jours']);
    expect([en.days(0), en.days(1), en.days(3)]).toEqual(['0 days', '1 day', '3 days']);
    expect(fr.percent(0.645)).toBe('65\u202f%');
    expect(en.percent(0.645)).toBe('65%');
    expect(fr.number(12345.5, 1)).toBe('12\u202f345,5');
    expect(en.number(-0.04, 1)).toBe('0.0');
  });
});
