import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fetchPaper, papersMeeting, papersMeetings } from '../ipc';
import { MB } from '../bytes';
import { meetingSummary, meetingView } from '../components/calendar/papersFixtures';
import { AppState } from './app.svelte';

vi.mock('../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../ipc')>()),
  papersMeetings: vi.fn(),
  papersMeeting: vi.fn(),
  fetchPaper: vi.fn(),
  agenda: vi.fn(),
}));

describe('PapersState', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    vi.mocked(papersMeetings).mockResolvedValue([meetingSummary({ newPapers: 1, storedBytes: 3 * MB })]);
    vi.mocked(papersMeeting).mockResolvedValue(meetingView());
  });

  it('shows a downloaded paper as on the phone, in the agenda and in the meeting’s figures', async () => {
    const { papers } = new AppState();
    await papers.load();
    await papers.openMeeting(meetingSummary());
    expect(papers.meetings.current?.[0]?.newPapers).toBe(0);
    vi.mocked(fetchPaper).mockResolvedValue({ state: 'stored', size: 8 * MB });

    await expect(papers.fetch(702, false)).resolves.toEqual({ state: 'stored', size: 8 * MB });

    const stored = papers.meeting.current?.items.flatMap((item) => item.papers).find((paper) => paper.id === 702);
    expect(stored?.stored).toBe(true);
    expect(papers.meetings.current?.[0]?.storedBytes).toBe(11 * MB);
  });

  it('asks for nothing until the meetings are shown, then follows calendar changes', async () => {
    const app = new AppState();
    app.changed(['calendar']);
    expect(papersMeetings).not.toHaveBeenCalled();

    await app.papers.load();
    app.changed(['calendar']);
    expect(papersMeetings).toHaveBeenCalledTimes(2);
  });

  it('forgets everything when the app is cleared', async () => {
    const app = new AppState();
    await app.papers.load();
    await app.papers.openMeeting(meetingSummary());

    app.papers.reset();

    expect(app.papers.meetings.current).toBeUndefined();
    expect(app.papers.meeting.current).toBeUndefined();
    expect(app.papers.opened).toBeNull();
  });
});
