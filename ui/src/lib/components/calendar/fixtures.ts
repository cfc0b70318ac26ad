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
      { name: 'Democratic Services', address: 'democratic.services@council.example', kind: 'required', response: 'organizer' },
      { name: 'Jane Smith', address: 'jane.smith@council.example', kind: 'required', response: 'declined' },
      { name: 'Cllr Priya Shah', address: 'priya.shah@council.example', kind: 'required', response: 'accepted' },
      { name: '', address: 'sam.clerk@council.example', kind: 'optional', response: 'notResponded' },
      { name: 'Ade Okafor', address: 'ade.okafor@council.example', kind: 'required', response: 'tentativelyAccepted' },
      { name: 'Council Chamber', address: 'chamber@council.example', kind: 'resource', response: 'accepted' },
    ],
    bodyHtml: '<p>Agenda attached.</p>',
    ...overrides,
  };
}
