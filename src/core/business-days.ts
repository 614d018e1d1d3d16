import { addDays, dayNumber, fromDayNumber, type IsoDate } from './dates.ts';

/**
 * Business days for deadlines given in letters: Monday to Friday, not a French public holiday, not a
 * date the policy lists as a holiday. A deadline that lands on a weekend or holiday moves to the next
 * business day (a client cannot be asked to pay on a Sunday).
 */

/** Easter Sunday (Gregorian, anonymous algorithm). */
function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The eleven French public holidays of a year (metropolitan France). */
export function frenchPublicHolidays(year: number): IsoDate[] {
  const easter = easterSunday(year);
  const fixed = ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'].map(
    (md) => `${year}-${md}`,
  );
  return [...fixed, addDays(easter, 1), addDays(easter, 39), addDays(easter, 50)].sort();
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
const weekday = (date: IsoDate): number => (((dayNumber(date) + 4) % 7) + 7) % 7;

export function isBusinessDay(date: IsoDate, extraHolidays: readonly IsoDate[] = []): boolean {
  const wd = weekday(date);
  if (wd === 0 || wd === 6) return false;
  if (extraHolidays.includes(date)) return false;
  return !frenchPublicHolidays(Number(date.slice(0, 4))).includes(date);
}

/** The date itself when it is a business day, else the next one. */
export function onBusinessDay(date: IsoDate, extraHolidays: readonly IsoDate[] = []): IsoDate {
  let n = dayNumber(date);
  while (!isBusinessDay(fromDayNumber(n), extraHolidays)) n += 1;
  return fromDayNumber(n);
}
