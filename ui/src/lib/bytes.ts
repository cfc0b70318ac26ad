// The app's one way of writing data sizes, in the core's units and in British English.
//
// Phone contracts and Android's own data usage screen count in powers of 1,024 but call the
// units KB, MB and GB, and so does the Rust core: 1 MB is 1,048,576 bytes. Every screen (the
// status bar, a message's attachments and pictures, the data allowance) uses these, so the
// same bytes always read the same.

export const KB = 1024;
export const MB = 1024 * KB;
export const GB = 1024 * MB;

export type SizeUnit = 'MB' | 'GB';

/** The largest whole-phone figure the form accepts: anything bigger is almost certainly a slip. */
export const LARGEST_SENSIBLE_BYTES = 100 * GB;

/** Between a figure and its unit, so "412 MB" never breaks across two lines. */
const UNIT_SPACE = '\u00a0';

const formats = new Map<number, Intl.NumberFormat>();

function formatNumber(value: number, fractionDigits: number): string {
  let format = formats.get(fractionDigits);
  if (!format) {
    format = new Intl.NumberFormat('en-GB', { maximumFractionDigits: fractionDigits });
    formats.set(fractionDigits, format);
  }
  return format.format(value);
}

function roundTo(value: number, fractionDigits: number): number {
  const factor = 10 ** fractionDigits;
  return Math.round(value * factor) / factor;
}

/**
 * A size for people: "850 KB", "4.5 MB", "412 MB", "1 GB", "1.2 GB", "1.04 GB", with a
 * no-break space before the unit.
 *
 * Megabytes below 10 keep one decimal place, gigabytes keep up to two (so 1.04 GB, just over a
 * 1 GB allowance, does not round down to "1 GB"). Trailing zeros are dropped.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'an unknown amount';
  const sign = bytes < 0 ? '-' : '';
  const size = Math.abs(bytes);

  if (size < KB) {
    const whole = Math.round(size);
    return `${sign}${formatNumber(whole, 0)}${UNIT_SPACE}${whole === 1 ? 'byte' : 'bytes'}`;
  }
  if (size < MB) {
    const kilobytes = roundTo(size / KB, 0);
    if (kilobytes < 1024) return `${sign}${formatNumber(kilobytes, 0)}${UNIT_SPACE}KB`;
  }
  if (size < GB) {
    const exact = size / MB;
    const digits = exact < 10 ? 1 : 0;
    const megabytes = roundTo(exact, digits);
    if (megabytes < 1024) return `${sign}${formatNumber(megabytes, digits)}${UNIT_SPACE}MB`;
  }
  const exact = size / GB;
  const digits = exact < 10 ? 2 : 1;
  return `${sign}${formatNumber(roundTo(exact, digits), digits)}${UNIT_SPACE}GB`;
}

/** A size in megabytes as a number, for a chart axis: 412.5 for 412.5 MB. */
export function toMegabytes(bytes: number): number {
  return roundTo(bytes / MB, 2);
}

/** A whole percentage of `total`, e.g. 40 for 412 MB of 1 GB. */
export function percentOf(bytes: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.round((bytes / total) * 100);
}

/** A threshold such as 0.75 as "75%". */
export function formatPercent(fraction: number): string {
  return `${formatNumber(roundTo(fraction * 100, 1), 1)}%`;
}

export type ParsedSize = { ok: true; bytes: number } | { ok: false; error: string };

const UNIT_BYTES: Record<string, number> = {
  b: 1,
  byte: 1,
  bytes: 1,
  k: KB,
  kb: KB,
  kib: KB,
  m: MB,
  mb: MB,
  mib: MB,
  g: GB,
  gb: GB,
  gib: GB,
};

// A number as a person in the UK writes it: "450", "1.5", ".5", "1,200" or "1,200.5",
// optionally signed, optionally followed by a unit ("1.5 GB", "450mb").
const ENTRY = /^([+-]?)\s*(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?\s*([a-z]+)?$/i;

/**
 * Reads the member's figure from the phone's settings. `unit` is the one chosen beside the
 * box; a unit typed after the number ("1.5 GB") wins over it.
 */
export function parseSize(text: string, unit: SizeUnit): ParsedSize {
  const entry = text.trim();
  if (entry === '') {
    return { ok: false, error: 'Enter the figure from your phone’s settings, for example 450 MB' };
  }

  const match = ENTRY.exec(entry);
  const whole = match?.[2];
  const fraction = match?.[3];
  const typedUnit = match?.[4]?.toLowerCase();
  if (!match || (whole === undefined && fraction === undefined)) {
    return { ok: false, error: 'Enter the figure as a number, like 450 or 1.5' };
  }
  if (typedUnit !== undefined && UNIT_BYTES[typedUnit] === undefined) {
    return { ok: false, error: 'Enter the figure in MB or GB, like 450 MB or 1.5 GB' };
  }

  const value = Number(`${(whole ?? '0').replaceAll(',', '')}.${fraction ?? '0'}`);
  if (match[1] === '-' && value !== 0) {
    return { ok: false, error: 'Enter 0 or more: the figure cannot be less than zero' };
  }

  const bytes = Math.round(value * (typedUnit === undefined ? unitBytes(unit) : (UNIT_BYTES[typedUnit] ?? 1)));
  if (!Number.isSafeInteger(bytes) || bytes > LARGEST_SENSIBLE_BYTES) {
    return {
      ok: false,
      error: `That is more than ${formatBytes(LARGEST_SENSIBLE_BYTES)}. Check the figure and the unit in your phone’s settings`,
    };
  }
  return { ok: true, bytes };
}

function unitBytes(unit: SizeUnit): number {
  return unit === 'GB' ? GB : MB;
}
