import type { EventSummary } from '../../ipc';

/** The member's own answer to an event, in words, or '' when there is nothing to say. */
export function ownResponseText(event: Pick<EventSummary, 'responseStatus' | 'canRespond'>): string {
  switch (event.responseStatus) {
    case 'accepted':
      return 'Accepted';
    case 'tentativelyAccepted':
      return 'Tentative';
    case 'declined':
      return 'Declined';
    case 'organizer':
      return 'You organised this';
    case 'notResponded':
      return 'Not answered yet';
    case 'none':
      return event.canRespond ? 'Not answered yet' : '';
  }
}

/** All-day events first, then by start time, then by title. */
export function byStartTime(a: EventSummary, b: EventSummary): number {
  if (a.isAllDay !== b.isAllDay) return a.isAllDay ? -1 : 1;
  const difference = new Date(a.start).getTime() - new Date(b.start).getTime();
  if (difference !== 0 && !Number.isNaN(difference)) return difference;
  return a.subject.localeCompare(b.subject, 'en-GB');
}

/** True for an address the app may open in the browser. */
export function isWebAddress(url: string): boolean {
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
