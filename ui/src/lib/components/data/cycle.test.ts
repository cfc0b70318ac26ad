import { describe, expect, it } from 'vitest';
import { cycleDates, daysFrom, daysLeft, formatDate, formatShortDate, londonToday } from './cycle';

describe('the billing cycle', () => {
  it('takes today from London time, not the phone’s zone', () => {
    expect(londonToday(new Date('2025-11-23T23:30:00Z'))).toBe('2025-11-23');
    // British Summer Time: half past eleven at night in UTC is already the next day in London.
    expect(londonToday(new Date('2025-07-01T23:30:00Z'))).toBe('2025-07-02');
  });

  it('counts the days left including today', () => {
    expect(daysLeft('2025-11-23', '2025-11-01', '2025-11-30')).toBe(8);
    expect(daysLeft('2025-11-30', '2025-11-01', '2025-11-30')).toBe(1);
    expect(daysLeft('2025-12-02', '2025-11-01', '2025-11-30')).toBe(0);
    expect(daysLeft('2025-10-20', '2025-11-01', '2025-11-30')).toBe(30);
  });

  it('lists every date of a cycle across a clock change and a new year', () => {
    const dates = cycleDates('2025-10-15', '2025-11-14');
    expect(dates).toHaveLength(31);
    expect(dates[0]).toBe('2025-10-15');
    expect(dates[11]).toBe('2025-10-26');
    expect(dates.at(-1)).toBe('2025-11-14');
    expect(cycleDates('2025-12-15', '2026-01-14').at(-1)).toBe('2026-01-14');
    expect(daysFrom('2025-12-31', '2026-01-01')).toBe(1);
  });

  it('writes dates the British way', () => {
    expect(formatDate('2025-11-01')).toBe('1 November');
    expect(formatShortDate('2025-11-30')).toBe('30 Nov');
    expect(formatDate('not a date')).toBe('an unknown date');
  });
});
