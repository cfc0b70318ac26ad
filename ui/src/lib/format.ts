// Dates and times are always shown in UK time, whatever the phone's own zone.

const receivedFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

const fullFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

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
