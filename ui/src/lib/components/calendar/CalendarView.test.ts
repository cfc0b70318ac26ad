import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import CalendarView from './CalendarView.svelte';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import { agenda, eventDetails, onDataChanged, type AgendaDay, type DataChanged } from '../../ipc';
import { eventDetail, eventSummary } from './fixtures';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  agenda: vi.fn(),
  eventDetails: vi.fn(),
  onDataChanged: vi.fn(),
}));

const mockedAgenda = vi.mocked(agenda);

const week: AgendaDay[] = [
  {
    date: '2026-11-23',
    events: [
      eventSummary({ id: 'later', subject: 'Ward surgery', start: '2026-11-23T18:00:00+00:00', end: '2026-11-23T19:30:00+00:00', location: 'Mill Lane Library', responseStatus: 'tentativelyAccepted' }),
      eventSummary({ id: 'e1' }),
    ],
  },
  {
    date: '2026-11-24',
    events: [
      eventSummary({ id: 'allday', subject: 'Budget week', start: '2026-11-24T00:00:00+00:00', end: '2026-11-25T00:00:00+00:00', isAllDay: true, location: '', responseStatus: 'organizer', canRespond: false }),
    ],
  },
  {
    date: '2026-11-25',
    events: [
      eventSummary({ id: 'gone', subject: 'Licensing panel', start: '2026-11-25T14:00:00+00:00', end: '2026-11-25T15:00:00+00:00', isCancelled: true }),
      eventSummary({ id: 'new', subject: 'Parish liaison', start: '2026-11-25T10:00:00+00:00', end: '2026-11-25T10:30:00+00:00', responseStatus: 'notResponded', location: '' }),
    ],
  },
];

/** The calendar in an app whose state hears the core's (mocked) change events. */
function renderCalendar() {
  const app = new AppState();
  app.listen();
  return render(CalendarView, { context: appContext(app) });
}

function item(subject: string): HTMLElement {
  const button = screen.getByText(subject).closest('button');
  if (!button) throw new Error(`No event button holds "${subject}".`);
  return button;
}

describe('CalendarView', () => {
  let dataChanged: ((changed: DataChanged) => void) | null = null;

  beforeEach(() => {
    vi.resetAllMocks();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-23T08:00:00Z'));
    vi.mocked(onDataChanged).mockImplementation(async (handler) => {
      dataChanged = handler;
      return () => {};
    });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks for fourteen days from today and groups them under day headings', async () => {
    mockedAgenda.mockResolvedValue(week);
    renderCalendar();

    expect(await screen.findByRole('heading', { level: 3, name: 'Today' })).toBeTruthy();
    expect(mockedAgenda).toHaveBeenCalledWith('2026-11-23', 14);
    const headings = screen.getAllByRole('heading', { level: 3 }).map((heading) => heading.textContent);
    expect(headings).toEqual(['Today', 'Tomorrow', 'Wednesday 25 November']);

    const today = screen.getByRole('list', { name: 'Today' });
    const items = within(today).getAllByRole('listitem');
    expect(items[0]?.textContent).toContain('Planning committee');
    expect(items[1]?.textContent).toContain('Ward surgery');
  });

  it('shows each event’s time range, location and the member’s answer in words', async () => {
    mockedAgenda.mockResolvedValue(week);
    renderCalendar();
    await screen.findByText('Planning committee');

    const planning = item('Planning committee');
    expect(within(planning).getByText('09:30–11:00')).toBeTruthy();
    expect(within(planning).getByText('Council Chamber')).toBeTruthy();
    expect(within(planning).getByText('Accepted')).toBeTruthy();

    expect(within(item('Ward surgery')).getByText('Tentative')).toBeTruthy();
    expect(within(item('Budget week')).getByText('All day')).toBeTruthy();
    expect(within(item('Budget week')).getByText('You organised this')).toBeTruthy();
    expect(within(item('Parish liaison')).getByText('Not answered yet')).toBeTruthy();
  });

  it('strikes through a cancelled event and says it is cancelled', async () => {
    mockedAgenda.mockResolvedValue(week);
    renderCalendar();
    await screen.findByText('Licensing panel');

    const cancelled = item('Licensing panel');
    expect(screen.getByText('Licensing panel').tagName).toBe('S');
    expect(within(cancelled).getByText('Cancelled')).toBeTruthy();
    expect(cancelled.textContent).not.toContain('Accepted');
  });

  it('uses the London date for today, even when UTC is still on the day before', async () => {
    // 23:30 UTC on 1 July is 00:30 on 2 July in British Summer Time.
    vi.setSystemTime(new Date('2026-07-01T23:30:00Z'));
    mockedAgenda.mockResolvedValue([
      {
        date: '2026-07-02',
        events: [eventSummary({ id: 'early', subject: 'Early call', start: '2026-07-01T23:45:00Z', end: '2026-07-02T00:15:00Z' })],
      },
      { date: '2026-07-03', events: [eventSummary({ id: 'next', subject: 'Full council', start: '2026-07-03T17:00:00Z', end: '2026-07-03T19:00:00Z' })] },
    ]);
    renderCalendar();

    expect(await screen.findByRole('heading', { level: 3, name: 'Today' })).toBeTruthy();
    expect(mockedAgenda).toHaveBeenCalledWith('2026-07-02', 14);
    expect(within(screen.getByRole('list', { name: 'Today' })).getByText('00:45–01:15')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Tomorrow' })).getByText('18:00–20:00')).toBeTruthy();
  });

  it('says so when the next fourteen days are empty', async () => {
    mockedAgenda.mockResolvedValue([]);
    renderCalendar();

    expect(await screen.findByText('Nothing in your calendar for the next 14 days.')).toBeTruthy();
  });

  it('shows one day in time order and moves to the next and previous days', async () => {
    mockedAgenda.mockResolvedValue(week);
    renderCalendar();
    await screen.findByText('Planning committee');

    mockedAgenda.mockResolvedValueOnce([week[0]!]);
    await fireEvent.click(screen.getByRole('button', { name: 'Day' }));

    expect(screen.getByRole('button', { name: 'Day' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: 'Agenda' }).getAttribute('aria-pressed')).toBe('false');
    expect(mockedAgenda).toHaveBeenLastCalledWith('2026-11-23', 1);
    const list = await screen.findByRole('list', { name: 'Events on Monday 23 November 2026' });
    expect(within(list).getAllByRole('listitem').map((li) => li.querySelector('.subject')?.textContent?.trim())).toEqual([
      'Planning committee',
      'Ward surgery',
    ]);
    expect(screen.getByRole('heading', { level: 3 }).textContent).toContain('Today');

    mockedAgenda.mockResolvedValueOnce([week[2]!]);
    await fireEvent.click(screen.getByRole('button', { name: 'Next day' }));
    expect(mockedAgenda).toHaveBeenLastCalledWith('2026-11-24', 1);
    await waitFor(() => expect(screen.getByText('Nothing in your calendar on this day.')).toBeTruthy());
    expect(screen.getByRole('heading', { level: 3 }).textContent).toContain('Tomorrow');

    mockedAgenda.mockResolvedValueOnce([]);
    await fireEvent.click(screen.getByRole('button', { name: 'Previous day' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Previous day' }));
    expect(mockedAgenda).toHaveBeenLastCalledWith('2026-11-22', 1);
    await waitFor(() => expect(screen.getByRole('heading', { level: 3 }).textContent).toContain('Yesterday'));

    mockedAgenda.mockResolvedValueOnce([]);
    await fireEvent.click(screen.getByRole('button', { name: 'Today' }));
    expect(mockedAgenda).toHaveBeenLastCalledWith('2026-11-23', 1);
  });

  it('announces the day shown in day view', async () => {
    mockedAgenda.mockResolvedValue([week[0]!]);
    renderCalendar();
    await screen.findByText('Planning committee');

    await fireEvent.click(screen.getByRole('button', { name: 'Day' }));

    await waitFor(() =>
      expect(document.body.textContent).toContain('Monday 23 November 2026: 2 events.'),
    );
  });

  it('opens an event and puts focus back on it when the details close', async () => {
    mockedAgenda.mockResolvedValue(week);
    vi.mocked(eventDetails).mockResolvedValue(eventDetail());
    renderCalendar();
    await screen.findByText('Planning committee');

    await fireEvent.click(item('Planning committee'));

    const title = screen.getByRole('heading', { level: 3, name: 'Planning committee' });
    expect(document.activeElement).toBe(title);
    expect(eventDetails).toHaveBeenCalledWith('e1');
    expect(screen.queryByRole('heading', { name: 'Today' })).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Back to calendar' }));

    expect(document.activeElement).toBe(item('Planning committee'));
  });

  it('reloads quietly when the calendar changes', async () => {
    mockedAgenda.mockResolvedValue(week);
    renderCalendar();
    await screen.findByText('Planning committee');

    mockedAgenda.mockResolvedValue([{ date: '2026-11-23', events: [eventSummary({ subject: 'Planning committee (moved)' })] }]);
    dataChanged?.({ collections: ['calendar'] });

    expect(await screen.findByText('Planning committee (moved)')).toBeTruthy();
    expect(screen.queryByRole('status', { name: /Loading/ })).toBeNull();
  });

  it('explains a failure and tries again', async () => {
    mockedAgenda
      .mockRejectedValueOnce({ kind: 'storage', message: 'The saved calendar could not be read' })
      .mockResolvedValueOnce(week);
    renderCalendar();

    expect((await screen.findByRole('alert')).textContent).toContain('The saved calendar could not be read.');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByText('Planning committee')).toBeTruthy();
  });
});
