import type { EventDetail, EventSummary } from '../../ipc';

/** A calendar event for tests, in the shape the core sends. */
export function eventSummary(overrides: Partial<EventSummary> = {}): EventSummary {
  return {
    id: 'e1',
    subject: 'Planning committee',
    start: '2026-11-23T09:30:00+00:00',
    end: '2026-11-23T11:00:00+00:00',
    isAllDay: false,
    location: 'Council Chamber',
    organizer: 'Democratic Services',
    responseStatus: 'accepted',
    isCancelled: false,
    onlineMeetingUrl: null,
    canRespond: true,
    ...overrides,
  };
}

export function eventDetail(overrides: Partial<EventDetail> = {}): EventDetail {
  return {
    ...eventSummary(),
    attendees: [
      { name: 'Cllr Priya Shah', address: 'priya.shah@council.example', response: 'accepted' },
      { name: 'Jane Smith', address: 'jane.smith@council.example', response: 'declined' },
      { name: 'Democratic Services', address: 'democratic.services@council.example', response: 'organizer' },
    ],
    bodyHtml: '<p>Agenda attached.</p>',
    ...overrides,
  };
}
