import { addDays } from '../core/dates.ts';
import type { Policy } from '../core/policy.ts';

/**
 * When an approved reminder may go out: inside the sending window (local time of the policy's time
 * zone), on a business day, not before a reviewer's date. Pure: the instant is always an argument.
 */
export type SendingPolicy = Policy['sending'];

interface LocalTime {
  date: string;
  /** Minutes since local midnight. */
  minutes: number;
  /** 0 = Sunday ... 6 = Saturday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(at: Date, timeZone: string): LocalTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday ?? '');
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    weekday,
  };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The UTC instant of a local date and time in `timeZone` (two passes settle DST offsets). */
export function zonedInstant(date: string, hhmm: string, timeZone: string): Date {
  const wanted = Date.parse(`${date}T${hhmm}:00Z`);
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const local = localTime(new Date(guess), timeZone);
    const seen = Date.parse(`${local.date}T00:00:00Z`) + local.minutes * 60_000;
    guess += wanted - seen;
  }
  return new Date(guess);
}

/** The local calendar date of an instant in the policy's time zone. */
export const localDate = (at: Date, sending: SendingPolicy): string => localTime(at, sending.timeZone).date;

export function isSendingDay(date: string, sending: SendingPolicy): boolean {
  if (sending.holidays.includes(date)) return false;
  if (!sending.businessDaysOnly) return true;
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The first instant at or after `earliest` inside the sending window of a sending day whose local
 * date is on or after `notBefore` (when given).
 */
export function nextSendingTime(earliest: Date, sending: SendingPolicy, notBefore?: string | null): Date {
  const start = toMinutes(sending.windowStart);
  const end = toMinutes(sending.windowEnd);
  const now = localTime(earliest, sending.timeZone);
  if (
    (!notBefore || now.date >= notBefore) &&
    isSendingDay(now.date, sending) &&
    now.minutes >= start &&
    now.minutes < end
  )
    return earliest;
  let day = notBefore && notBefore > now.date ? notBefore : now.date;
  // Today is still possible when the window has not opened yet.
  if (day === now.date && (now.minutes >= start || !isSendingDay(day, sending))) day = addDays(day, 1);
  for (let i = 0; i < 400 && !isSendingDay(day, sending); i++) day = addDays(day, 1);
  return zonedInstant(day, sending.windowStart, sending.timeZone);
}
