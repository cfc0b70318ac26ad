import type { AgendaItemView, CommitteeMeetingSummary, CommitteeMeetingView, PaperView } from '../../ipc';
import { MB } from '../../bytes';

/** A meeting of one of the member's committees, in the shape the core sends. */
export function meetingSummary(overrides: Partial<CommitteeMeetingSummary> = {}): CommitteeMeetingSummary {
  return {
    id: 41,
    committee: 'Planning Committee',
    day: '2026-11-26',
    time: '6.30 pm',
    location: 'Council Chamber, Town Hall',
    cancelled: false,
    agendaPublished: true,
    papers: 4,
    papersBytes: 12 * MB,
    storedBytes: 3 * MB,
    newPapers: 0,
    eventId: null,
    ...overrides,
  };
}

export function paper(overrides: Partial<PaperView> = {}): PaperView {
  return {
    id: 701,
    title: 'Agenda frontsheet',
    size: 300 * 1024,
    stored: true,
    new: false,
    published: '2026-11-18',
    storedAt: '2026-11-18T19:02:00Z',
    ...overrides,
  };
}

export function agendaItem(overrides: Partial<AgendaItemView> = {}): AgendaItemView {
  return { number: '1.', title: 'Apologies for absence', exempt: false, papers: [], ...overrides };
}

/** The Planning Committee's agenda: a stored paper, a new supplement, an exempt item. */
export function meetingView(overrides: Partial<CommitteeMeetingView> = {}): CommitteeMeetingView {
  return {
    meeting: meetingSummary(),
    items: [
      agendaItem({ number: '1.', title: 'Apologies for absence', papers: [paper()] }),
      agendaItem({
        number: '4.',
        title: '24/01234/FUL Land at Mill Lane',
        papers: [
          paper({ id: 702, title: 'Report of the Head of Planning', size: 8 * MB, stored: false, storedAt: null }),
          paper({ id: 703, title: 'Late representations', size: null, stored: false, new: true, published: '2026-11-25', storedAt: null }),
        ],
      }),
      agendaItem({ number: '7.', title: 'Enforcement update', exempt: true, papers: [] }),
      agendaItem({ number: null, title: 'Date of next meeting', papers: [] }),
    ],
    ...overrides,
  };
}
