// Sizes for people, in powers of 1,000 as phone data plans count them (and as the core does):
// "512 bytes", "420 KB", "1.2 MB", "25 MB".

const UNITS = ['KB', 'MB', 'GB', 'TB'] as const;
const wholeNumber = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** A size in bytes, e.g. "420 KB" or "1.2 MB". One decimal place below 10 of a unit, none above. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown size';
  if (bytes < 1000) {
    const whole = Math.round(bytes);
    return whole === 1 ? '1 byte' : `${whole} bytes`;
  }
  let value = bytes / 1000;
  let unit = 0;
  // 999,600 bytes reads as "1 MB", not "1,000 KB".
  while (value >= 999.5 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const shown = value < 9.95 ? value.toFixed(1).replace(/\.0$/, '') : wholeNumber.format(Math.round(value));
  return `${shown} ${UNITS[unit]}`;
}
