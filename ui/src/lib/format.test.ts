import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayHeading,
  daysBetween,
  formatCount,
  formatDayLong,
  formatEventWhen,
  formatReceived,
  formatReceivedInFull,
  formatRelative,
  formatTime,
  formatTimeRange,
  londonDateKey,
  plural,
  todayInLondon,
} from './format';

describe('formatReceived', () => {
  it('shows summer times in British Summer Time', () => {
    expect(formatReceived('2025-07-01T08:05:00Z')).toBe('1 Jul, 09:05');
  });

  it('shows winter times in Greenwich Mean Time', () => {
    expect(formatReceived('2025-01-15T08:05:00Z')).toBe('15 Jan, 08:05');
  });

  it('moves a late-evening UTC time to the next UK day in summer', () => {
    expect(formatReceived('2025-06-30T23:30:00Z')).toBe('1 Jul, 00:30');
  });

  it('says the time is unknown when the date cannot be read', () => {
    expect(formatReceived('not a date')).toBe('Unknown time');
  });
});

describe('formatReceivedInFull', () => {
  it('spells out the weekday, date and UK time', () => {
    expect(formatReceivedInFull('2025-07-01T08:05:00Z')).toBe('Tuesday, 1 July 2025 at 09:05');
  });
});

describe('londonDateKey and todayInLondon', () => {
  it('gives the London date, which in summer is a day ahead of UTC just before midnight UTC', () => {
    expect(londonDateKey(new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02');
    expect(todayInLondon(new Date('2026-07-01T22:59:00Z'))).toBe('2026-07-01');
  });

  it('gives the UTC date in winter, when London is on Greenwich Mean Time', () => {
    expect(londonDateKey(new Date('2026-01-15T23:30:00Z'))).toBe('2026-01-15');
  });
});

describe('addDays and daysBetween', () => {
  it('moves across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('counts days across the clock change without losing one', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-11-25', '2026-11-24')).toBe(-1);
  });
});

describe('dayHeading', () => {
  it('says Today, Tomorrow and Yesterday for the nearest days', () => {
    expect(dayHeading('2026-11-23', '2026-11-23')).toBe('Today');
    expect(dayHeading('2026-11-24', '2026-11-23')).toBe('Tomorrow');
    expect(dayHeading('2026-11-22', '2026-11-23')).toBe('Yesterday');
  });

  it('names other days by weekday, date and month', () => {
    expect(dayHeading('2026-11-25', '2026-11-23')).toBe('Wednesday 25 November');
  });

  it('adds the year for a day in another year', () => {
    expect(dayHeading('2027-01-06', '2026-12-30')).toBe('Wednesday 6 January 2027');
  });
});

describe('formatDayLong', () => {
  it('spells out the whole date', () => {
    expect(formatDayLong('2026-11-25')).toBe('Wednesday 25 November 2026');
  });
});

describe('formatTime and formatTimeRange', () => {
  it('shows a 24-hour UK time', () => {
    expect(formatTime('2026-07-01T12:00:00Z')).toBe('13:00');
    expect(formatTime('2026-01-01T00:05:00Z')).toBe('00:05');
  });

  it('shows a range on one day with an en dash', () => {
    expect(formatTimeRange('2026-11-25T09:30:00+00:00', '2026-11-25T11:00:00+00:00', false)).toBe('09:30–11:00');
  });

  it('shows a summer range in British Summer Time', () => {
    expect(formatTimeRange('2026-07-01T08:30:00Z', '2026-07-01T10:00:00Z', false)).toBe('09:30–11:00');
  });

  it('says All day for an all-day event', () => {
    expect(formatTimeRange('2026-11-25T00:00:00+00:00', '2026-11-26T00:00:00+00:00', true)).toBe('All day');
  });

  it('treats an end at midnight as the same day', () => {
    expect(formatTimeRange('2026-11-25T22:00:00+00:00', '2026-11-26T00:00:00+00:00', false)).toBe('22:00–00:00');
  });

  it('names the end day of an event that runs past midnight', () => {
    expect(formatTimeRange('2026-11-25T22:00:00+00:00', '2026-11-26T01:00:00+00:00', false)).toBe(
      '22:00–26 Nov, 01:00',
    );
  });
});

describe('formatEventWhen', () => {
  it('gives the day and time range of an ordinary meeting', () => {
    expect(formatEventWhen('2026-11-25T09:30:00+00:00', '2026-11-25T11:00:00+00:00', false)).toBe(
      'Wednesday 25 November 2026, 09:30–11:00',
    );
  });

  it('gives the day of a one-day all-day event', () => {
    expect(formatEventWhen('2026-11-25T00:00:00+00:00', '2026-11-26T00:00:00+00:00', true)).toBe(
      'Wednesday 25 November 2026, all day',
    );
  });

  it('gives the first and last days of a longer all-day event', () => {
    expect(formatEventWhen('2026-11-25T00:00:00+00:00', '2026-11-28T00:00:00+00:00', true)).toBe(
      'Wednesday 25 November 2026 to Friday 27 November 2026, all day',
    );
  });
});

describe('formatRelative', () => {
  const now = new Date('2026-11-25T12:00:00Z');

  it('says just now for under a minute', () => {
    expect(formatRelative('2026-11-25T11:59:30Z', now)).toBe('just now');
  });

  it('counts minutes and hours', () => {
    expect(formatRelative('2026-11-25T11:59:00Z', now)).toBe('1 minute ago');
    expect(formatRelative('2026-11-25T11:57:00Z', now)).toBe('3 minutes ago');
    expect(formatRelative('2026-11-25T10:00:00Z', now)).toBe('2 hours ago');
  });

  it('says yesterday, then days, then the date', () => {
    expect(formatRelative('2026-11-24T08:00:00Z', now)).toBe('yesterday');
    expect(formatRelative('2026-11-21T08:00:00Z', now)).toBe('4 days ago');
    expect(formatRelative('2026-11-03T08:00:00Z', now)).toBe('on 3 November');
  });

  it('treats a time slightly in the future as just now', () => {
    expect(formatRelative('2026-11-25T12:00:20Z', now)).toBe('just now');
  });
});

describe('numbers', () => {
  it('groups thousands the British way', () => {
    expect(formatCount(1200)).toBe('1,200');
    expect(plural(1, 'item')).toBe('1 item');
    expect(plural(1200, 'item')).toBe('1,200 items');
  });
});
