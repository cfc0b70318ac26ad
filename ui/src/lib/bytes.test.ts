import { describe, expect, it } from 'vitest';
import { formatBytes as formatWithNoBreakSpace, formatPercent, GB, KB, MB, parseSize, percentOf, toMegabytes } from './bytes';

/** The sizes with an ordinary space, to read the expectations easily. */
const formatBytes = (bytes: number) => formatWithNoBreakSpace(bytes).replace(/\u00a0/g, ' ');

describe('formatBytes', () => {
  it('keeps the figure and its unit together with a no-break space', () => {
    expect(formatWithNoBreakSpace(412 * MB)).toBe('412\u00a0MB');
  });

  it('counts a megabyte as 1,048,576 bytes, as phones and contracts do', () => {
    expect(MB).toBe(1_048_576);
    expect(formatBytes(412 * MB)).toBe('412 MB');
    expect(formatBytes(412_000_000)).toBe('393 MB');
  });

  it('shows whole and part gigabytes without trailing zeros', () => {
    expect(formatBytes(GB)).toBe('1 GB');
    expect(formatBytes(1.2 * GB)).toBe('1.2 GB');
    expect(formatBytes(1.04 * GB)).toBe('1.04 GB');
    expect(formatBytes(12.25 * GB)).toBe('12.3 GB');
  });

  it('shows kilobytes and small megabytes sensibly', () => {
    expect(formatBytes(850 * KB)).toBe('850 KB');
    expect(formatBytes(4.5 * MB)).toBe('4.5 MB');
    expect(formatBytes(3 * MB)).toBe('3 MB');
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(512)).toBe('512 bytes');
  });

  it('moves up a unit rather than showing 1,024 of the one below', () => {
    expect(formatBytes(MB - 100)).toBe('1 MB');
    expect(formatBytes(GB - 1000)).toBe('1 GB');
    expect(formatBytes(1000 * MB)).toBe('1,000 MB');
  });

  it('says so when the size is not a number', () => {
    expect(formatBytes(Number.NaN)).toBe('an unknown amount');
  });
});

describe('figures for charts and marks', () => {
  it('gives megabytes as a number for the chart axis', () => {
    expect(toMegabytes(412 * MB)).toBe(412);
    expect(toMegabytes(1.5 * MB)).toBe(1.5);
  });

  it('gives percentages and threshold names', () => {
    expect(percentOf(412 * MB, GB)).toBe(40);
    expect(percentOf(5, 0)).toBe(0);
    expect(formatPercent(0.75)).toBe('75%');
    expect(formatPercent(0.9)).toBe('90%');
  });
});

describe('parseSize', () => {
  it('reads a number in the unit chosen beside the box', () => {
    expect(parseSize('450', 'MB')).toEqual({ ok: true, bytes: 450 * MB });
    expect(parseSize('1.5', 'GB')).toEqual({ ok: true, bytes: 1.5 * GB });
    expect(parseSize(' .5 ', 'GB')).toEqual({ ok: true, bytes: 0.5 * GB });
    expect(parseSize('0', 'MB')).toEqual({ ok: true, bytes: 0 });
  });

  it('lets a unit typed after the number win over the one chosen', () => {
    expect(parseSize('1.5 GB', 'MB')).toEqual({ ok: true, bytes: 1.5 * GB });
    expect(parseSize('450mb', 'GB')).toEqual({ ok: true, bytes: 450 * MB });
    expect(parseSize('850 KB', 'MB')).toEqual({ ok: true, bytes: 850 * KB });
  });

  it('accepts thousands written with commas', () => {
    expect(parseSize('1,200', 'MB')).toEqual({ ok: true, bytes: 1200 * MB });
    expect(parseSize('1,200.5 MB', 'GB')).toEqual({ ok: true, bytes: 1200.5 * MB });
  });

  it('rejects a negative figure', () => {
    expect(parseSize('-3', 'MB')).toEqual({
      ok: false,
      error: 'Enter 0 or more: the figure cannot be less than zero',
    });
  });

  it('asks for a figure when the box is empty', () => {
    const result = parseSize('   ', 'MB');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^Enter the figure from your phone’s settings/);
  });

  it('rejects words, a decimal comma and unknown units', () => {
    for (const entry of ['lots', '1,5', '1.2.3', '12 TB', '3 apples', '.']) {
      const result = parseSize(entry, 'MB');
      expect(result.ok, entry).toBe(false);
    }
    expect(parseSize('12 TB', 'MB')).toEqual({ ok: false, error: 'Enter the figure in MB or GB, like 450 MB or 1.5 GB' });
  });

  it('rejects a figure too large to be right', () => {
    const result = parseSize('1500', 'GB');
    expect(result).toEqual({
      ok: false,
      error: 'That is more than 100\u00a0GB. Check the figure and the unit in your phone’s settings',
    });
    expect(parseSize('100', 'GB')).toEqual({ ok: true, bytes: 100 * GB });
  });
});
