import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../src/core/policy.ts';
import { isSendingDay, nextSendingTime, zonedInstant } from '../src/mail/schedule.ts';

const sending = { ...DEFAULT_POLICY.sending, holidays: ['2026-12-25'] }; // Paris, 08:30-18:00, Monday-Friday
const at = (iso: string) => new Date(iso);

describe('sending window', () => {
  it('sends at once inside the window on a business day', () => {
    expect(nextSendingTime(at('2026-11-23T09:00:00Z'), sending).toISOString()).toBe(
      '2026-11-23T09:00:00.000Z',
    );
  });
  it('waits for the window to open, later the same day or the next business day', () => {
    // 06:00 Paris (UTC+1 in winter) -> 08:30 Paris = 07:30 UTC.
    expect(nextSendingTime(at('2026-11-23T05:00:00Z'), sending).toISOString()).toBe(
      '2026-11-23T07:30:00.000Z',
    );
    // Friday 19:00 Paris -> Monday 08:30.
    expect(nextSendingTime(at('2026-11-27T18:00:00Z'), sending).toISOString()).toBe(
      '2026-11-30T07:30:00.000Z',
    );
    // Saturday -> Monday.
    expect(nextSendingTime(at('2026-11-28T10:00:00Z'), sending).toISOString()).toBe(
      '2026-11-30T07:30:00.000Z',
    );
  });
  it('skips holidays and honours a not-before date', () => {
    expect(isSendingDay('2026-12-25', sending)).toBe(false);
    expect(nextSendingTime(at('2026-12-24T18:00:00Z'), sending).toISOString()).toBe(
      '2026-12-28T07:30:00.000Z',
    );
    expect(nextSendingTime(at('2026-11-23T09:00:00Z'), sending, '2026-11-25').toISOString()).toBe(
      '2026-11-25T07:30:00.000Z',
    );
  });
  it('reads local time across daylight saving changes', () => {
    expect(zonedInstant('2026-07-01', '08:30', 'Europe/Paris').toISOString()).toBe(
      '2026-07-01T06:30:00.000Z',
    );
    expect(zonedInstant('2026-03-30', '08:30', 'Europe/Paris').toISOString()).toBe(
      '2026-03-30T06:30:00.000Z',
    );
    expect(zonedInstant('2026-03-27', '08:30', 'Europe/Paris').toISOString()).toBe(
      '2026-03-27T07:30:00.000Z',
    );
  });
  it('sends every day at any hour when configured so', () => {
    const always = { ...sending, businessDaysOnly: false, windowStart: '00:00', windowEnd: '23:59' };
    expect(nextSendingTime(at('2026-11-28T03:00:00Z'), always).toISOString()).toBe(
      '2026-11-28T03:00:00.000Z',
    );
  });
});
