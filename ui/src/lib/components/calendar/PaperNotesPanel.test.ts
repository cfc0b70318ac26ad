import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import PaperViewer from './PaperViewer.svelte';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import {
  deletePaperNote,
  onDataChanged,
  paperNotes,
  readPaper,
  savePaperNote,
  setNotesToOneDrive,
  type PaperNotesView,
} from '../../ipc';
import { openPdf, type PdfPaper } from './pdf';
import { paper } from './papersFixtures';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  readPaper: vi.fn(),
  paperNotes: vi.fn(),
  savePaperNote: vi.fn(),
  deletePaperNote: vi.fn(),
  setNotesToOneDrive: vi.fn(),
  onDataChanged: vi.fn(),
}));
// pdf.js is not run in jsdom: the viewer is given a stand-in document.
vi.mock('./pdf', () => ({ openPdf: vi.fn() }));

const mockedSave = vi.mocked(savePaperNote);

/** A stand-in for a paper pdf.js has opened: three pages, drawn at once. */
function fakePaper(pageCount = 3): PdfPaper {
  return {
    pageCount,
    pageSize: vi.fn<PdfPaper['pageSize']>(async () => ({ width: 612, height: 792 })),
    drawPage: vi.fn<PdfPaper['drawPage']>(() => ({ done: Promise.resolve(), cancel: vi.fn() })),
    releasePage: vi.fn<PdfPaper['releasePage']>(),
    destroy: vi.fn<PdfPaper['destroy']>(async () => {}),
  };
}

/** The member's notes on the paper: one about page 2 (on two lines), one about the whole paper. */
function notesView(overrides: Partial<PaperNotesView> = {}): PaperNotesView {
  return {
    notes: [
      { id: 1, page: 2, text: 'Ask about the parking.\nAnd the trees.', updated: '2026-12-04T18:05:00Z' },
      { id: 2, page: null, text: 'Declare an interest in <b>item 4</b>', updated: '2026-12-05T09:30:00Z' },
    ],
    toOneDrive: false,
    backup: { state: 'off' },
    ...overrides,
  };
}

let app: AppState;

/** Shows the paper with its pages drawn, and opens the notes. */
async function openNotes() {
  render(PaperViewer, {
    props: { meetingId: 41, paper: paper({ title: 'Agenda frontsheet' }), onclose: vi.fn() },
    context: appContext(app),
  });
  await screen.findByRole('region', { name: 'Page 3 of 3' });
  await fireEvent.click(await screen.findByRole('button', { name: 'Notes (2)' }));
  const panel = screen.getByRole('region', { name: 'Notes on this paper' });
  await waitFor(() => expect(document.activeElement).toBe(within(panel).getByRole('heading', { name: 'Notes on this paper' })));
  return panel;
}

describe('Notes on a paper', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    vi.mocked(onDataChanged).mockResolvedValue(() => {});
    vi.mocked(readPaper).mockResolvedValue(new Uint8Array([37, 80, 68, 70, 45]));
    vi.mocked(openPdf).mockResolvedValue(fakePaper());
    vi.mocked(paperNotes).mockResolvedValue(notesView());
    app = new AppState();
  });

  afterEach(() => {
    cleanup();
  });

  it('opens from the toolbar in place of the pages, listing each note with its page, as plain text', async () => {
    const panel = await openNotes();

    expect(paperNotes).toHaveBeenCalledWith(41, 701);
    expect(screen.getByRole('button', { name: 'Notes (2)' }).getAttribute('aria-expanded')).toBe('true');
    expect(screen.queryByRole('region', { name: 'Pages of Agenda frontsheet' })).toBeNull();

    const notes = within(within(panel).getByRole('list')).getAllByRole('listitem');
    expect(notes).toHaveLength(2);
    expect(within(notes[0]!).getByText('Page 2')).toBeTruthy();
    expect(notes[0]!.textContent).toContain('Edited 4 Dec, 18:05');
    // Its own line breaks are kept, and nothing in it is taken for HTML.
    expect(within(notes[0]!).getByText(/Ask about the parking/).textContent).toBe('Ask about the parking.\nAnd the trees.');
    expect(within(notes[1]!).getByText('Whole paper')).toBeTruthy();
    expect(within(notes[1]!).getByText('Declare an interest in <b>item 4</b>')).toBeTruthy();
    expect(notes[1]!.querySelector('b')).toBeNull();
    expect(within(notes[0]!).getByRole('button', { name: 'Edit note on page 2' })).toBeTruthy();
    expect(within(notes[1]!).getByRole('button', { name: 'Delete note on the whole paper' })).toBeTruthy();
  });

  it('saves a new note with its page and shows the notes the core answers with', async () => {
    const panel = await openNotes();
    const saved = notesView({
      notes: [...notesView().notes, { id: 3, page: 3, text: 'Check the figures', updated: '2026-12-06T10:00:00Z' }],
    });
    mockedSave.mockResolvedValue(saved);

    await fireEvent.input(within(panel).getByRole('textbox', { name: 'Note' }), { target: { value: '  Check the figures ' } });
    await fireEvent.input(within(panel).getByLabelText('Page (optional)'), { target: { value: '3' } });
    await fireEvent.click(within(panel).getByRole('button', { name: 'Save note' }));

    expect(mockedSave).toHaveBeenCalledWith(41, 701, null, 3, 'Check the figures');
    await waitFor(() => expect(within(panel).getAllByRole('listitem')).toHaveLength(3));
    expect(within(panel).getByText('Check the figures')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Notes (3)' })).toBeTruthy();
    expect(within(panel).getByText('Note saved.')).toBeTruthy();
    expect((within(panel).getByRole('textbox', { name: 'Note' }) as HTMLTextAreaElement).value).toBe('');
  });

  it('changes a note by its id, then puts focus back on it', async () => {
    const panel = await openNotes();
    mockedSave.mockResolvedValue(
      notesView({ notes: [{ id: 1, page: 1, text: 'Parking only', updated: '2026-12-06T10:00:00Z' }, notesView().notes[1]!] }),
    );

    await fireEvent.click(within(panel).getByRole('button', { name: 'Edit note on page 2' }));
    const text = within(panel).getByRole('textbox', { name: 'Note' }) as HTMLTextAreaElement;
    const page = within(panel).getByLabelText('Page (optional)') as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(text));
    expect(text.value).toBe('Ask about the parking.\nAnd the trees.');
    expect(page.value).toBe('2');
    expect(within(panel).getByRole('heading', { name: 'Change the note on page 2' })).toBeTruthy();

    await fireEvent.input(text, { target: { value: 'Parking only' } });
    await fireEvent.input(page, { target: { value: '1' } });
    await fireEvent.click(within(panel).getByRole('button', { name: 'Save changes' }));

    expect(mockedSave).toHaveBeenCalledWith(41, 701, 1, 1, 'Parking only');
    const edit = await within(panel).findByRole('button', { name: 'Edit note on page 1' });
    await waitFor(() => expect(document.activeElement).toBe(edit));
    expect(within(panel).getByRole('heading', { name: 'Write a note' })).toBeTruthy();
    expect(within(panel).queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('puts back a note half written after changing another is cancelled', async () => {
    const panel = await openNotes();
    const text = within(panel).getByRole('textbox', { name: 'Note' }) as HTMLTextAreaElement;
    await fireEvent.input(text, { target: { value: 'Half written' } });

    await fireEvent.click(within(panel).getByRole('button', { name: 'Edit note on the whole paper' }));
    expect(text.value).toBe('Declare an interest in <b>item 4</b>');
    await fireEvent.click(within(panel).getByRole('button', { name: 'Cancel' }));

    expect(text.value).toBe('Half written');
    await waitFor(() =>
      expect(document.activeElement).toBe(within(panel).getByRole('button', { name: 'Edit note on the whole paper' })),
    );
    expect(mockedSave).not.toHaveBeenCalled();
  });

  it('deletes a note once the member agrees', async () => {
    const panel = await openNotes();
    vi.mocked(deletePaperNote).mockResolvedValue(notesView({ notes: [notesView().notes[0]!] }));

    await fireEvent.click(within(panel).getByRole('button', { name: 'Delete note on the whole paper' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete this note?' });
    expect(deletePaperNote).not.toHaveBeenCalled();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));

    expect(deletePaperNote).toHaveBeenCalledWith(41, 701, 2);
    await waitFor(() => expect(within(panel).getAllByRole('listitem')).toHaveLength(1));
    expect(within(panel).queryByText('Whole paper')).toBeNull();
    expect(within(panel).getByText('Note deleted.')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(within(panel).getByRole('button', { name: 'Edit note on page 2' })));
  });

  it('keeps the notes in OneDrive when the member asks, saying where they stand', async () => {
    const panel = await openNotes();
    const status = within(panel).getByText('Notes are kept on this phone only.');
    expect(status.getAttribute('aria-live')).toBe('polite');
    const box = within(panel).getByRole('checkbox', { name: 'Also keep my notes on papers in my OneDrive' }) as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(box.getAttribute('aria-describedby')).toBe(status.id);

    vi.mocked(setNotesToOneDrive).mockResolvedValue(
      notesView({ toOneDrive: true, backup: { state: 'waiting', reason: 'You are offline' } }),
    );
    await fireEvent.click(box);

    expect(setNotesToOneDrive).toHaveBeenCalledWith(41, 701, true);
    await waitFor(() => expect(status.textContent).toBe('Waiting to save to your OneDrive. You are offline.'));
    expect(box.checked).toBe(true);

    // Saved later (the next change, here): the file's name and the time.
    const at = new Date().toISOString();
    mockedSave.mockResolvedValue(
      notesView({ toOneDrive: true, backup: { state: 'saved', at, file: 'Planning – Agenda frontsheet.txt' } }),
    );
    await fireEvent.input(within(panel).getByRole('textbox', { name: 'Note' }), { target: { value: 'One more' } });
    await fireEvent.click(within(panel).getByRole('button', { name: 'Save note' }));
    await waitFor(() =>
      expect(status.textContent).toMatch(/^Saved to your OneDrive as “Planning – Agenda frontsheet\.txt” at \d\d:\d\d\.$/),
    );
  });

  it('puts the box back as it was when the choice cannot be saved, and says why', async () => {
    const panel = await openNotes();
    vi.mocked(setNotesToOneDrive).mockRejectedValue({ kind: 'storage', message: 'The setting could not be saved' });
    const box = within(panel).getByRole('checkbox', { name: 'Also keep my notes on papers in my OneDrive' }) as HTMLInputElement;

    await fireEvent.click(box);

    expect((await within(panel).findByRole('alert')).textContent).toContain('The setting could not be saved.');
    expect(box.checked).toBe(false);
  });

  it('refuses an empty note, saying why beside the box', async () => {
    const panel = await openNotes();
    const text = within(panel).getByRole('textbox', { name: 'Note' });
    await fireEvent.input(text, { target: { value: '   \n ' } });

    await fireEvent.click(within(panel).getByRole('button', { name: 'Save note' }));

    expect(mockedSave).not.toHaveBeenCalled();
    expect(text.getAttribute('aria-invalid')).toBe('true');
    const error = document.getElementById(text.getAttribute('aria-describedby') ?? '');
    expect(error?.textContent).toContain('Write your note before saving it. An empty note is not saved.');
    expect(document.activeElement).toBe(text);
  });

  it('refuses a page the paper does not have', async () => {
    const panel = await openNotes();
    await fireEvent.input(within(panel).getByRole('textbox', { name: 'Note' }), { target: { value: 'About page 9' } });
    const page = within(panel).getByLabelText('Page (optional)');
    await fireEvent.input(page, { target: { value: '9' } });

    await fireEvent.click(within(panel).getByRole('button', { name: 'Save note' }));

    expect(mockedSave).not.toHaveBeenCalled();
    expect(page.getAttribute('aria-invalid')).toBe('true');
    const described = (page.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described.join(' ')).toContain('Enter a page number from 1 to 3, or leave the page empty for a note on the whole paper.');
    expect(document.activeElement).toBe(page);
  });

  it('keeps the note when it cannot be saved, and says why', async () => {
    const panel = await openNotes();
    mockedSave.mockRejectedValue({ kind: 'storage', message: 'The phone’s storage is full' });
    const text = within(panel).getByRole('textbox', { name: 'Note' }) as HTMLTextAreaElement;
    await fireEvent.input(text, { target: { value: 'Keep me' } });

    await fireEvent.click(within(panel).getByRole('button', { name: 'Save note' }));

    const alert = await within(panel).findByRole('alert');
    expect(alert.textContent).toContain('Your note could not be saved. The phone’s storage is full.');
    expect(text.value).toBe('Keep me');
  });

  it('puts a new note on the page being read, and closes back to the Notes button', async () => {
    // Page 2 fills most of the screen; page 1 shows only its last 100 px.
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
      const page = Number(this.dataset.page ?? 0);
      const top = page === 0 ? 0 : (page - 2) * 800 + 100;
      const height = page === 0 ? 0 : 800;
      return { x: 0, y: top, top, bottom: top + height, left: 0, right: 300, width: 300, height, toJSON: () => ({}) };
    });
    const scroll = vi.spyOn(window, 'scrollBy').mockImplementation(() => {});
    const panel = await openNotes();

    expect((within(panel).getByLabelText('Page (optional)') as HTMLInputElement).value).toBe('2');

    await fireEvent.click(within(panel).getByRole('button', { name: 'Close notes' }));

    const notesButton = screen.getByRole('button', { name: 'Notes (2)' });
    await waitFor(() => expect(document.activeElement).toBe(notesButton));
    expect(notesButton.getAttribute('aria-expanded')).toBe('false');
    expect(screen.getByRole('region', { name: 'Pages of Agenda frontsheet' })).toBeTruthy();
    // Back where the member was reading: page 2 where it was on the screen.
    expect(scroll).toHaveBeenCalledWith(0, 0);
  });
});
