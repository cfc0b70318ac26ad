import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  deletePaperNote,
  fetchPaper,
  paperNotes,
  papersMeeting,
  papersMeetings,
  savePaperNote,
  setNotesToOneDrive,
  type PaperNotesView,
} from '../ipc';
import { MB } from '../bytes';
import { meetingSummary, meetingView } from '../components/calendar/papersFixtures';
import { AppState } from './app.svelte';

vi.mock('../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../ipc')>()),
  papersMeetings: vi.fn(),
  papersMeeting: vi.fn(),
  fetchPaper: vi.fn(),
  paperNotes: vi.fn(),
  savePaperNote: vi.fn(),
  deletePaperNote: vi.fn(),
  setNotesToOneDrive: vi.fn(),
  agenda: vi.fn(),
}));

/** The paper's notes as the core answers with them. */
function notesView(overrides: Partial<PaperNotesView> = {}): PaperNotesView {
  return {
    notes: [{ id: 1, page: 2, text: 'Ask about the parking', updated: '2026-12-04T18:05:00Z' }],
    toOneDrive: false,
    backup: { state: 'off' },
    ...overrides,
  };
}

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

describe('PaperNotes', () => {
  beforeEach(() => {
    vi.resetAllMocks();
  });

  it('reads the paper’s notes at once, and shows the notes each change answers with', async () => {
    vi.mocked(paperNotes).mockResolvedValue(notesView());
    const notes = new AppState().papers.notesFor(41, 701);
    expect(paperNotes).toHaveBeenCalledWith(41, 701);
    await vi.waitFor(() => expect(notes.notes.current).toEqual(notesView()));

    const saved = notesView({ notes: [...notesView().notes, { id: 2, page: null, text: 'Declare', updated: '2026-12-04T18:06:00Z' }] });
    vi.mocked(savePaperNote).mockResolvedValue(saved);
    await expect(notes.save(null, null, 'Declare')).resolves.toBe(true);
    expect(savePaperNote).toHaveBeenCalledWith(41, 701, null, null, 'Declare');
    expect(notes.notes.current).toEqual(saved);

    vi.mocked(deletePaperNote).mockResolvedValue(notesView({ notes: [] }));
    await notes.remove(1);
    expect(deletePaperNote).toHaveBeenCalledWith(41, 701, 1);
    expect(notes.notes.current?.notes).toEqual([]);

    const kept = notesView({ notes: [], toOneDrive: true, backup: { state: 'waiting', reason: null } });
    vi.mocked(setNotesToOneDrive).mockResolvedValue(kept);
    await notes.setToOneDrive(true);
    expect(setNotesToOneDrive).toHaveBeenCalledWith(41, 701, true);
    expect(notes.notes.current).toEqual(kept);
  });

  it('keeps a change’s answer over a slower read asked for before it', async () => {
    let answerRead: (view: PaperNotesView) => void = () => {};
    vi.mocked(paperNotes).mockReturnValue(new Promise((resolve) => (answerRead = resolve)));
    const notes = new AppState().papers.notesFor(41, 701);
    const saved = notesView({ notes: [{ id: 9, page: 1, text: 'New', updated: '2026-12-04T18:07:00Z' }] });
    vi.mocked(savePaperNote).mockResolvedValue(saved);

    await notes.save(null, 1, 'New');
    answerRead(notesView());
    await Promise.resolve();

    expect(notes.notes.current).toEqual(saved);
    expect(notes.notes.loading).toBe(false);
  });

  it('keeps a failed change for the screen, with the notes as they were', async () => {
    vi.mocked(paperNotes).mockResolvedValue(notesView());
    const notes = new AppState().papers.notesFor(41, 701);
    await vi.waitFor(() => expect(notes.notes.loaded).toBe(true));
    vi.mocked(savePaperNote).mockRejectedValue({ kind: 'storage', message: 'The vault could not be written' });

    await expect(notes.save(1, 2, 'Changed')).resolves.toBe(false);

    expect(notes.writing.error).toEqual({ kind: 'storage', message: 'The vault could not be written' });
    expect(notes.notes.current).toEqual(notesView());
  });
});
