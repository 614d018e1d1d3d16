/**
 * Money is an integer number of minor units (cents) in a known currency. JS numbers hold integers
 * exactly up to 2^53 (90 trillion euros in cents), so we keep plain numbers and forbid fractions:
 * every operation that can produce a fraction (percentages, FX) rounds explicitly, half away from zero.
 */
export type Minor = number;

export function assertMinor(value: number, what = 'amount'): Minor {
  if (!Number.isSafeInteger(value))
    throw new RangeError(`${what} must be an integer number of cents, got ${value}`);
  return value;
}

/** Rounds half away from zero, the usual commercial rounding. */
export function roundHalfAway(x: number): number {
  const r = Math.round(Math.abs(x));
  return x < 0 ? -r : r;
}

/** `amount * percent / 100`, rounded to the cent. */
export const percentOf = (amount: Minor, percent: number): Minor => roundHalfAway((amount * percent) / 100);

/** Converts an amount in a foreign currency to base currency with `rate` (base units per 1 foreign unit). */
export const convert = (amount: Minor, rate: number): Minor => roundHalfAway(amount * rate);

export const sum = (values: readonly Minor[]): Minor => values.reduce((a, b) => a + b, 0);

/** Parses a decimal string ("1234.5", "-0.07") into minor units without going through floats. */
export function parseDecimal(text: string, decimals = 2): Minor | null {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const [, sign, whole, frac = ''] = m;
  if (frac.length > decimals) return null;
  const minor = Number(whole) * 10 ** decimals + Number(frac.padEnd(decimals, '0') || '0');
  if (!Number.isSafeInteger(minor)) return null;
  return sign ? -minor : minor;
}

/** 123456 -> "1234.56" (machine format, for JSON and CSV). */
export function toDecimalString(amount: Minor, decimals = 2): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const unit = 10 ** decimals;
  const whole = Math.floor(abs / unit);
  const frac = String(abs % unit).padStart(decimals, '0');
  return decimals ? `${sign}${whole}.${frac}` : `${sign}${whole}`;
}

/** Human format: "12 345,67 EUR" (fr) or "EUR 12,345.67" (en). */
export function formatMoney(amount: Minor, currency: string, language: 'fr' | 'en' = 'fr'): string {
  const [whole, frac] = toDecimalString(Math.abs(amount)).split('.') as [string, string];
  const sign = amount < 0 ? '-' : '';
  const sep = language === 'fr' ? '\u202f' : ',';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return language === 'fr'
    ? `${sign}${grouped},${frac} ${currency}`
    : `${sign}${currency} ${grouped}.${frac}`;
}
