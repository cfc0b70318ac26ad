import { isTauri } from '@tauri-apps/api/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { commands } from './bindings';
import { decodeBase64Into } from './base64';
import {
  deletePaperNote,
  fetchPaper,
  paperNotes,
  papersMeeting,
  papersMeetings,
  readPaper,
  savePaperNote,
  setNotesToOneDrive,
  type PaperNotesView,
  type PaperPiece,
} from './index';

// The committee papers' commands, as `bindings.ts` will have them once it is generated from the
// Rust side, stand in for the core; only the IPC module's own tests replace these.
vi.mock('./bindings', () => ({
  commands: {
    papersMeetings: vi.fn(),
    papersMeeting: vi.fn(),
    papersFetch: vi.fn(),
    papersRead: vi.fn(),
    papersNotes: vi.fn(),
    papersNoteSave: vi.fn(),
    papersNoteDelete: vi.fn(),
    papersNotesToOnedrive: vi.fn(),
  },
  events: {},
}));
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn(), isTauri: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

type PaperCommands = {
  papersMeetings: ReturnType<typeof vi.fn>;
  papersMeeting: ReturnType<typeof vi.fn>;
  papersFetch: ReturnType<typeof vi.fn>;
  papersRead: ReturnType<typeof vi.fn>;
  papersNotes: ReturnType<typeof vi.fn>;
  papersNoteSave: ReturnType<typeof vi.fn>;
  papersNoteDelete: ReturnType<typeof vi.fn>;
  papersNotesToOnedrive: ReturnType<typeof vi.fn>;
};
const mocked = commands as unknown as PaperCommands;

const ok = <T>(data: T) => ({ status: 'ok' as const, data });

/** Base64 of some bytes, as the core sends a piece of a paper. */
function base64(bytes: number[]): string {
  return btoa(String.fromCharCode(...bytes));
}

/** Answers `papers_read` from `paper`, `size` bytes a piece, as the core does from its store. */
function serve(paper: number[], size: number): void {
  mocked.papersRead.mockImplementation(async (_meetingId: number, _paperId: number, offset: number) =>
    ok<PaperPiece>({ offset, total: paper.length, base64: base64(paper.slice(offset, offset + size)) }),
  );
}

describe('the committee papers wrappers', () => {
  beforeEach(() => {
    vi.mocked(isTauri).mockReset().mockReturnValue(true);
    for (const command of Object.values(mocked)) command.mockReset();
  });

  it('pass the meeting, the paper and the member’s agreement to the core', async () => {
    mocked.papersMeetings.mockResolvedValue(ok([]));
    mocked.papersMeeting.mockResolvedValue(ok({ meeting: {}, items: [] }));
    mocked.papersFetch.mockResolvedValue(ok({ state: 'stored', size: 10 }));

    await expect(papersMeetings()).resolves.toEqual([]);
    await papersMeeting(41);
    await expect(fetchPaper(41, 7, true)).resolves.toEqual({ state: 'stored', size: 10 });

    expect(mocked.papersMeeting).toHaveBeenCalledWith(41);
    expect(mocked.papersFetch).toHaveBeenCalledWith(41, 7, true);
  });

  it('throws the core’s error for the screen to show', async () => {
    mocked.papersFetch.mockResolvedValue({ status: 'error', error: { kind: 'offline', message: 'No connection' } });

    await expect(fetchPaper(41, 7, false)).rejects.toEqual({ kind: 'offline', message: 'No connection' });
  });

  it('pass the member’s notes on a paper to the core, and answer with the paper’s notes as they stand', async () => {
    const view: PaperNotesView = {
      notes: [{ id: 5, page: 3, text: 'Ask about the parking', updated: '2026-12-04T18:05:00Z' }],
      toOneDrive: true,
      backup: { state: 'waiting', reason: null },
    };
    for (const command of [mocked.papersNotes, mocked.papersNoteSave, mocked.papersNoteDelete, mocked.papersNotesToOnedrive]) {
      command.mockResolvedValue(ok(view));
    }

    await expect(paperNotes(41, 7)).resolves.toEqual(view);
    await savePaperNote(41, 7, null, 3, 'Ask about the parking');
    await savePaperNote(41, 7, 5, null, 'About the whole paper');
    await deletePaperNote(41, 7, 5);
    await setNotesToOneDrive(41, 7, true);

    expect(mocked.papersNotes).toHaveBeenCalledWith(41, 7);
    expect(mocked.papersNoteSave.mock.calls).toEqual([
      [41, 7, null, 3, 'Ask about the parking'],
      [41, 7, 5, null, 'About the whole paper'],
    ]);
    expect(mocked.papersNoteDelete).toHaveBeenCalledWith(41, 7, 5);
    expect(mocked.papersNotesToOnedrive).toHaveBeenCalledWith(41, 7, true);
  });

  it('throws the core’s error about notes for the screen to show', async () => {
    mocked.papersNoteSave.mockResolvedValue({ status: 'error', error: { kind: 'storage', message: 'The vault is full' } });

    await expect(savePaperNote(41, 7, null, null, 'A note')).rejects.toEqual({ kind: 'storage', message: 'The vault is full' });
  });

  it('reads a paper piece by piece from offset 0 and assembles the pieces in order', async () => {
    const paper = Array.from({ length: 20 }, (_, index) => (index * 37) % 256);
    // Pieces of 7 bytes: base64 with padding at the end of every piece, as the core cuts them.
    serve(paper, 7);

    const bytes = await readPaper(41, 7);

    expect(Array.from(bytes)).toEqual(paper);
    expect(mocked.papersRead.mock.calls).toEqual([
      [41, 7, 0],
      [41, 7, 7],
      [41, 7, 14],
    ]);
  });

  it('reads a paper that comes in one piece, and an empty one', async () => {
    serve([37, 80, 68, 70], 4 * 1024 * 1024);
    expect(Array.from(await readPaper(1, 2))).toEqual([37, 80, 68, 70]);
    expect(mocked.papersRead).toHaveBeenCalledTimes(1);

    serve([], 4 * 1024 * 1024);
    expect((await readPaper(1, 3)).length).toBe(0);
  });

  it('refuses pieces that do not follow on, change size, overflow or carry nothing', async () => {
    const unreadable = { kind: 'storage', message: expect.stringContaining('could not be read') };

    mocked.papersRead.mockResolvedValue(ok({ offset: 3, total: 10, base64: base64([1, 2, 3]) }));
    await expect(readPaper(1, 2)).rejects.toEqual(unreadable);

    mocked.papersRead
      .mockResolvedValueOnce(ok({ offset: 0, total: 10, base64: base64([1, 2, 3]) }))
      .mockResolvedValueOnce(ok({ offset: 3, total: 12, base64: base64([4, 5, 6]) }));
    await expect(readPaper(1, 2)).rejects.toEqual(unreadable);

    mocked.papersRead.mockResolvedValue(ok({ offset: 0, total: 2, base64: base64([1, 2, 3]) }));
    await expect(readPaper(1, 2)).rejects.toEqual(unreadable);

    mocked.papersRead.mockResolvedValue(ok({ offset: 0, total: 5, base64: '' }));
    await expect(readPaper(1, 2)).rejects.toEqual(unreadable);
    expect(mocked.papersRead).toHaveBeenLastCalledWith(1, 2, 0);
  });

  it('passes on a failure of the core while reading', async () => {
    mocked.papersRead
      .mockResolvedValueOnce(ok({ offset: 0, total: 6, base64: base64([1, 2, 3]) }))
      .mockResolvedValueOnce({ status: 'error', error: { kind: 'locked', message: '' } });

    await expect(readPaper(1, 2)).rejects.toEqual({ kind: 'locked', message: '' });
  });
});

describe('decodeBase64Into', () => {
  it('decodes into its place and says how many bytes it wrote', () => {
    const target = new Uint8Array(8);
    expect(decodeBase64Into(base64([1, 2, 3, 4, 5]), target, 2)).toBe(5);
    expect(Array.from(target)).toEqual([0, 0, 1, 2, 3, 4, 5, 0]);
  });

  it('decodes every padding length, line breaks and the URL-safe alphabet', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 6]) {
      const bytes = Array.from({ length }, (_, index) => 250 - index * 3);
      const target = new Uint8Array(length);
      expect(decodeBase64Into(base64(bytes), target, 0)).toBe(length);
      expect(Array.from(target)).toEqual(bytes);
    }
    const target = new Uint8Array(3);
    decodeBase64Into('+/\n_-', target, 0);
    expect(Array.from(target)).toEqual(Array.from(atob('+//+'), (char) => char.charCodeAt(0)));
  });

  it('refuses what is not base64 and what does not fit', () => {
    expect(() => decodeBase64Into('ab$c', new Uint8Array(4), 0)).toThrow(SyntaxError);
    expect(() => decodeBase64Into('abcde', new Uint8Array(4), 0)).toThrow(SyntaxError);
    expect(() => decodeBase64Into('AQ==AQ==', new Uint8Array(4), 0)).toThrow(SyntaxError);
    expect(() => decodeBase64Into(base64([1, 2, 3, 4]), new Uint8Array(3), 0)).toThrow(RangeError);
  });
});
