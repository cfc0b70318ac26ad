import { describe, expect, it } from 'vitest';
import { formatBytes } from './bytes';

describe('formatBytes', () => {
  it('counts small sizes in bytes', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(999)).toBe('999 bytes');
  });

  it('shows kilobytes in powers of 1,000', () => {
    expect(formatBytes(1000)).toBe('1 KB');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(formatBytes(420_000)).toBe('420 KB');
    expect(formatBytes(419_600)).toBe('420 KB');
  });

  it('shows megabytes with one decimal place below ten', () => {
    expect(formatBytes(1_200_000)).toBe('1.2 MB');
    expect(formatBytes(1_000_000)).toBe('1 MB');
    expect(formatBytes(9_940_000)).toBe('9.9 MB');
    expect(formatBytes(25_000_000)).toBe('25 MB');
  });

  it('moves up a unit rather than showing 1,000 of the smaller one', () => {
    expect(formatBytes(999_600)).toBe('1 MB');
    expect(formatBytes(999_600_000)).toBe('1 GB');
  });

  it('groups thousands in the largest unit', () => {
    expect(formatBytes(2_500_000_000_000_000)).toBe('2,500 TB');
  });

  it('says the size is unknown for nonsense input', () => {
    expect(formatBytes(-1)).toBe('unknown size');
    expect(formatBytes(Number.NaN)).toBe('unknown size');
    expect(formatBytes(Number.POSITIVE_INFINITY)).toBe('unknown size');
  });
});
