import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import CalendarView from './CalendarView.svelte';
import MeetingsView from './MeetingsView.svelte';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import { agenda, eventDetails, onDataChanged, papersMeeting, papersMeetings, type DataChanged } from '../../ipc';
import { eventDetail, eventSummary } from './fixtures';
import { MB } from '../../bytes';
import { meetingSummary, meetingView } from './papersFixtures';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  agenda: vi.fn(),
  eventDetails: vi.fn(),
  papersMeetings: vi.fn(),
  papersMeeting: vi.fn(),
  onDataChanged: vi.fn(),
}));

const mockedMeetings = vi.mocked(papersMeetings);
const mockedMeeting = vi.mocked(papersMeeting);

const meetings = [
  meetingSummary({ newPapers: 2 }),
  meetingSummary({
    id: 42,
    committee: 'Licensing Sub-Committee',
    day: '2026-11-26',
    time: '10.00 am',
    location: 'Committee Room 2',
    papers: 2,
    papersBytes: 1.5 * MB,
    storedBytes: 1.5 * MB,
  }),
  meetingSummary({
    id: 43,
    committee: 'Overview and Scrutiny Committee',
    day: '2026-12-03',
    time: null,
    location: null,
    agendaPublished: false,
    papers: 0,
    papersBytes: 0,
    storedBytes: 0,
  }),
  meetingSummary({ id: 44, committee: 'Audit Committee', day: '2026-12-07', cancelled: true, storedBytes: 0 }),
];

let app: AppState;
let dataChanged: ((changed: DataChanged) => void) | null = null;

function meetingButton(committee: string): HTMLElement {
  const button = screen.getByText(committee).closest('button');
  if (!button) throw new Error(`No meeting button holds "${committee}".`);
  return button;
}

/** A row's words as a screen reader reads them, with the no-break spaces of sizes made plain. */
function words(element: HTMLElement): string {
  return (element.textContent ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
}

describe('MeetingsView', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-23T08:00:00Z'));
    dataChanged = null;
    vi.mocked(onDataChanged).mockImplementation(async (handler) => {
      dataChanged = handler;
      return () => {};
    });
    vi.mocked(agenda).mockResolvedValue([]);
    app = new AppState();
    app.listen();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists the meetings under British day headings with their time, place, papers and sizes', async () => {
    mockedMeetings.mockResolvedValue(meetings);
    render(MeetingsView, { context: appContext(app) });

    expect(await screen.findByRole('heading', { level: 3, name: 'Thursday 26 November' })).toBeTruthy();
    expect(screen.getAllByRole('heading', { level: 3 }).map((heading) => heading.textContent)).toEqual([
      'Thursday 26 November',
      'Thursday 3 December',
      'Monday 7 December',
    ]);

    const thursday = within(screen.getByRole('list', { name: 'Thursday 26 November' })).getAllByRole('listitem');
    expect(thursday).toHaveLength(2);
    const planning = meetingButton('Planning Committee');
    expect(within(planning).getByText('6.30 pm')).toBeTruthy();
    expect(within(planning).getByText('Council Chamber, Town Hall')).toBeTruthy();
    expect(words(planning)).toContain('4 papers, 12 MB (3 MB on this phone)');
    expect(words(meetingButton('Licensing Sub-Committee'))).toContain('2 papers, 1.5 MB (all on this phone)');
    expect(words(meetingButton('Overview and Scrutiny Committee'))).toContain('Agenda not yet published');
  });

  it('shows how many new papers a meeting has, in words', async () => {
    mockedMeetings.mockResolvedValue(meetings);
    render(MeetingsView, { context: appContext(app) });
    await screen.findByText('Planning Committee');

    expect(within(meetingButton('Planning Committee')).getByText('2 new papers')).toBeTruthy();
    expect(within(meetingButton('Licensing Sub-Committee')).queryByText(/new paper/)).toBeNull();
  });

  it('strikes through a cancelled meeting and says it is cancelled', async () => {
    mockedMeetings.mockResolvedValue(meetings);
    render(MeetingsView, { context: appContext(app) });
    await screen.findByText('Audit Committee');

    expect(screen.getByText('Audit Committee').tagName).toBe('S');
    expect(within(meetingButton('Audit Committee')).getByText('Cancelled')).toBeTruthy();
    expect(words(meetingButton('Audit Committee'))).toContain('none on this phone');
  });

  it('says so when there are no meetings', async () => {
    mockedMeetings.mockResolvedValue([]);
    render(MeetingsView, { context: appContext(app) });

    expect(await screen.findByText('No committee meetings in the next six weeks.')).toBeTruthy();
  });

  it('opens a meeting’s agenda, counts its papers as seen, and puts focus back on it when closed', async () => {
    mockedMeetings.mockResolvedValue(meetings);
    mockedMeeting.mockResolvedValue(meetingView({ meeting: meetingSummary({ newPapers: 2 }) }));
    render(MeetingsView, { context: appContext(app) });
    await screen.findByText('Planning Committee');

    await fireEvent.click(meetingButton('Planning Committee'));

    expect(mockedMeeting).toHaveBeenCalledWith(41);
    const heading = screen.getByRole('heading', { level: 3, name: 'Planning Committee, Thursday 26 November 2026' });
    expect(document.activeElement).toBe(heading);
    expect(await screen.findByRole('heading', { level: 4, name: '4. 24/01234/FUL Land at Mill Lane' })).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Back to committee meetings' }));

    expect(document.activeElement).toBe(meetingButton('Planning Committee'));
    expect(within(meetingButton('Planning Committee')).queryByText(/new paper/)).toBeNull();
  });

  it('explains a failure and tries again', async () => {
    mockedMeetings
      .mockRejectedValueOnce({ kind: 'storage', message: 'The saved meetings could not be read' })
      .mockResolvedValueOnce(meetings);
    render(MeetingsView, { context: appContext(app) });

    expect((await screen.findByRole('alert')).textContent).toContain('The saved meetings could not be read.');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByText('Planning Committee')).toBeTruthy();
  });
});

describe('the calendar’s switch between the diary and committee meetings', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-23T08:00:00Z'));
    vi.mocked(onDataChanged).mockImplementation(async (handler) => {
      dataChanged = handler;
      return () => {};
    });
    vi.mocked(agenda).mockResolvedValue([]);
    app = new AppState();
    app.listen();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the committee meetings when pressed, and says how many there are', async () => {
    mockedMeetings.mockResolvedValue(meetings);
    render(CalendarView, { context: appContext(app) });
    await screen.findByText('Nothing in your calendar for the next 14 days.');
    const group = screen.getByRole('group', { name: 'Show' });
    expect(within(group).getByRole('button', { name: 'Diary' }).getAttribute('aria-pressed')).toBe('true');
    // Asked for with the diary, so that an entry can lead to its agenda.
    await waitFor(() => expect(mockedMeetings).toHaveBeenCalledOnce());

    await fireEvent.click(within(group).getByRole('button', { name: 'Committee meetings' }));

    expect(within(group).getByRole('button', { name: 'Committee meetings' }).getAttribute('aria-pressed')).toBe('true');
    expect(within(group).getByRole('button', { name: 'Diary' }).getAttribute('aria-pressed')).toBe('false');
    expect(await screen.findByText('Planning Committee')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Agenda' })).toBeNull();
    await waitFor(() =>
      expect(document.body.textContent).toContain('Committee meetings: 4 meetings in the next six weeks.'),
    );

    await fireEvent.click(within(group).getByRole('button', { name: 'Diary' }));
    expect(screen.getByRole('button', { name: 'Agenda' })).toBeTruthy();
    expect(mockedMeetings).toHaveBeenCalledOnce();
  });

  it('leads from a calendar entry to its committee meeting’s agenda', async () => {
    vi.mocked(agenda).mockResolvedValue([
      { date: '2026-11-19', events: [eventSummary({ id: 'evt-planning', subject: 'Planning Committee' })] },
    ]);
    vi.mocked(eventDetails).mockResolvedValue(eventDetail({ id: 'evt-planning', subject: 'Planning Committee' }));
    mockedMeetings.mockResolvedValue([meetingSummary({ eventId: 'evt-planning' })]);
    mockedMeeting.mockResolvedValue(meetingView());
    render(CalendarView, { context: appContext(app) });

    await fireEvent.click(await screen.findByRole('button', { name: /Planning Committee/ }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Agenda and papers' }));

    await waitFor(() => expect(mockedMeeting).toHaveBeenCalledWith(meetingSummary().id));
    expect(await screen.findByRole('button', { name: 'Back to committee meetings' })).toBeTruthy();
  });

  it('hides the switch while an agenda is open', async () => {
    mockedMeetings.mockResolvedValue(meetings);
    mockedMeeting.mockResolvedValue(meetingView());
    render(CalendarView, { context: appContext(app) });
    await fireEvent.click(await screen.findByRole('button', { name: 'Committee meetings' }));
    await screen.findByText('Planning Committee');
    await fireEvent.click(meetingButton('Planning Committee'));

    expect(screen.queryByRole('group', { name: 'Show' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Back to committee meetings' }));
    expect(screen.getByRole('group', { name: 'Show' })).toBeTruthy();
  });

  it('brings the meetings up to date quietly when the calendar changes', async () => {
    mockedMeetings.mockResolvedValue(meetings);
    render(CalendarView, { context: appContext(app) });
    await fireEvent.click(await screen.findByRole('button', { name: 'Committee meetings' }));
    await screen.findByText('Planning Committee');

    mockedMeetings.mockResolvedValue([meetingSummary({ newPapers: 3 })]);
    dataChanged?.({ collections: ['calendar'] });

    expect(await screen.findByText('3 new papers')).toBeTruthy();
    expect(mockedMeetings).toHaveBeenCalledTimes(2);
  });
});
