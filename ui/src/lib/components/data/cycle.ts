// The billing cycle's calendar dates. The core sends them as London dates "YYYY-MM-DD"; they are
// handled here as UTC noon so that no time zone or clock change can move them to another day.

const DAY_MS = 86_400_000;

const todayFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const longFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long' });
const shortFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });

function toDate(key: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Today's date in London (the council's time), whatever the phone's own zone. */
export function londonToday(now: Date = new Date()): string {
  const parts = todayFormat.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Whole days from `from` to `to`; negative when `to` is earlier. NaN for a malformed date. */
export function daysFrom(from: string, to: string): number {
  const a = toDate(from);
  const b = toDate(to);
  if (!a || !b) return Number.NaN;
  return Math.round((b.getTime() - a.getTime()) / DAY_MS);
}

/** Every date of the cycle, first to last (both included). */
export function cycleDates(start: string, end: string): string[] {
  const first = toDate(start);
  const length = daysFrom(start, end) + 1;
  if (!first || !(length > 0)) return [];
  // A cycle is about a month: anything far longer is a fault in the data, not a cycle to draw.
  return Array.from({ length: Math.min(length, 62) }, (_, index) =>
    new Date(first.getTime() + index * DAY_MS).toISOString().slice(0, 10),
  );
}

/** Days left in the cycle, counting today: 8 on 23 November in a cycle ending 30 November. */
export function daysLeft(today: string, start: string, end: string): number {
  const length = daysFrom(start, end) + 1;
  const left = daysFrom(today, end) + 1;
  if (Number.isNaN(left) || Number.isNaN(length)) return 0;
  return Math.max(0, Math.min(left, length));
}

/** "1 November". */
export function formatDate(key: string): string {
  const date = toDate(key);
  return date ? longFormat.format(date) : 'an unknown date';
}

/** "1 Nov", for a chart axis. */
export function formatShortDate(key: string): string {
  const date = toDate(key);
  return date ? shortFormat.format(date) : key;
}
