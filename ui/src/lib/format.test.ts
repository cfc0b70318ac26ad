import { describe, expect, it } from 'vitest';
import { formatReceived, formatReceivedInFull } from './format';

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
