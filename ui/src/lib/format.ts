// Dates and times are always shown in UK time, whatever the phone's own zone.
// "Date keys" are calendar dates in Europe/London written "YYYY-MM-DD", as the core sends them.

const LONDON = 'Europe/London';

const receivedFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

const fullFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

const dateKeyFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

// A date key is already a London date, so it is formatted as a UTC noon to keep its day.
const dayFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

const numberFormat = new Intl.NumberFormat('en-GB');

const DAY_MS = 86_400_000;

function parse(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Short form for a message list, e.g. "1 Jul, 09:05". */
export function formatReceived(iso: string): string {
  const date = parse(iso);
  return date ? receivedFormat.format(date) : 'Unknown time';
}

/** Long form for a tooltip or detail view, e.g. "Tuesday, 1 July 2025 at 09:05". */
export function formatReceivedInFull(iso: string): string {
  const date = parse(iso);
  return date ? fullFormat.format(date) : 'Unknown time';
}

// ---------------------------------------------------------------- calendar dates

/** The London calendar date of an instant, e.g. "2026-07-02" for 2026-07-01T23:30Z. */
export function londonDateKey(instant: Date): string {
  const parts = dateKeyFormat.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Today's date in London, which may not be the phone's own date. */
export function todayInLondon(now: Date = new Date()): string {
  return londonDateKey(now);
}

function keyToUtcNoon(key: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12));
  return Number.isNaN(date.getTime()) ? null : date;
}

function utcNoonToKey(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The date key `days` days after (or before, when negative) `key`. */
export function addDays(key: string, days: number): string {
  const date = keyToUtcNoon(key);
  if (!date) return key;
  return utcNoonToKey(new Date(date.getTime() + days * DAY_MS));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const a = keyToUtcNoon(from);
  const b = keyToUtcNoon(to);
  if (!a || !b) return Number.NaN;
  return Math.round((b.getTime() - a.getTime()) / DAY_MS);
}

function dayParts(key: string): { weekday: string; day: string; month: string; year: string } | null {
  const date = keyToUtcNoon(key);
  if (!date) return null;
  const parts = dayFormat.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { weekday: part('weekday'), day: part('day'), month: part('month'), year: part('year') };
}

/** A full date, e.g. "Wednesday 25 November 2026". */
export function formatDayLong(key: string): string {
  const parts = dayParts(key);
  return parts ? `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}` : 'Unknown date';
}

/**
 * A heading for a day in the calendar: "Today", "Tomorrow", "Yesterday", or e.g.
 * "Wednesday 25 November" (with the year when it is not this year).
 */
export function dayHeading(key: string, today: string): string {
  const difference = daysBetween(today, key);
  if (difference === 0) return 'Today';
  if (difference === 1) return 'Tomorrow';
  if (difference === -1) return 'Yesterday';
  const parts = dayParts(key);
  if (!parts) return 'Unknown date';
  const sameYear = key.slice(0, 4) === today.slice(0, 4);
  return `${parts.weekday} ${parts.day} ${parts.month}${sameYear ? '' : ` ${parts.year}`}`;
}

// ---------------------------------------------------------------- times

/** A UK clock time, e.g. "09:30". */
export function formatTime(iso: string): string {
  const date = parse(iso);
  return date ? timeFormat.format(date) : 'Unknown time';
}

/** True when the event ends on its start day in London (an end at midnight still counts). */
function endsSameDay(start: Date, end: Date): boolean {
  const lastMoment = new Date(Math.max(start.getTime(), end.getTime() - 1));
  return londonDateKey(start) === londonDateKey(lastMoment);
}

/** The time span of an event for a list: "09:30–11:00", "All day", or "22:00–2 Dec, 01:00". */
export function formatTimeRange(start: string, end: string, isAllDay: boolean): string {
  if (isAllDay) return 'All day';
  const from = parse(start);
  if (!from) return 'Unknown time';
  const to = parse(end);
  if (!to || to.getTime() <= from.getTime()) return formatTime(start);
  if (endsSameDay(from, to)) return `${formatTime(start)}–${formatTime(end)}`;
  return `${formatTime(start)}–${formatReceived(end)}`;
}

/**
 * When an event happens, in full, e.g. "Wednesday 25 November 2026, 09:30–11:00",
 * "Wednesday 25 November 2026, all day" or "Wednesday 25 November 2026 to Friday 27 November 2026, all day".
 */
export function formatEventWhen(start: string, end: string, isAllDay: boolean): string {
  const from = parse(start);
  if (!from) return 'Unknown time';
  const to = parse(end);
  const firstDay = londonDateKey(from);
  if (isAllDay) {
    // The end of an all-day event is the midnight after its last day.
    const lastDay = to ? londonDateKey(new Date(to.getTime() - 1)) : firstDay;
    return lastDay > firstDay
      ? `${formatDayLong(firstDay)} to ${formatDayLong(lastDay)}, all day`
      : `${formatDayLong(firstDay)}, all day`;
  }
  if (!to || to.getTime() <= from.getTime()) return `${formatDayLong(firstDay)}, ${formatTime(start)}`;
  if (endsSameDay(from, to)) return `${formatDayLong(firstDay)}, ${formatTime(start)}–${formatTime(end)}`;
  return `${formatDayLong(firstDay)}, ${formatTime(start)} to ${formatDayLong(londonDateKey(to))}, ${formatTime(end)}`;
}

// ---------------------------------------------------------------- relative time

/**
 * How long ago something happened, e.g. "just now", "3 minutes ago", "2 hours ago",
 * "yesterday", "4 days ago" or "on 3 November".
 */
export function formatRelative(iso: string, now: Date = new Date()): string {
  const then = parse(iso);
  if (!then) return 'at an unknown time';
  const minutes = Math.floor((now.getTime() - then.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${plural(minutes, 'minute')} ago`;
  const hours = Math.floor(minutes / 60);
  const today = londonDateKey(now);
  const day = londonDateKey(then);
  if (hours < 24 && day === today) return `${plural(hours, 'hour')} ago`;
  const days = daysBetween(day, today);
  if (days <= 1) return hours < 24 ? `${plural(hours, 'hour')} ago` : 'yesterday';
  if (days < 7) return `${days} days ago`;
  const parts = dayParts(day);
  if (!parts) return 'at an unknown time';
  return `on ${parts.day} ${parts.month}${day.slice(0, 4) === today.slice(0, 4) ? '' : ` ${parts.year}`}`;
}

// ---------------------------------------------------------------- numbers

/** A count with thousands separators, e.g. "1,200". */
export function formatCount(count: number): string {
  return numberFormat.format(count);
}

/** "1 item", "1,200 items". */
export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${formatCount(count)} ${count === 1 ? word : pluralWord}`;
}
