import { describe, expect, it } from 'vitest';
import { backupText, noteName, notePlace, readPage } from './paperNotes';

describe('the words for notes on a paper', () => {
  it('name a note by its page, or the whole paper', () => {
    expect(notePlace(3)).toBe('Page 3');
    expect(notePlace(null)).toBe('Whole paper');
    expect(noteName(3)).toBe('note on page 3');
    expect(noteName(null)).toBe('note on the whole paper');
  });

  it('say where the notes stand with OneDrive, in London time', () => {
    const now = new Date('2026-12-04T20:00:00Z');
    expect(backupText({ state: 'off' }, now)).toBe('Notes are kept on this phone only.');
    expect(backupText({ state: 'waiting', reason: null }, now)).toBe('Waiting to save to your OneDrive.');
    expect(backupText({ state: 'waiting', reason: 'you are offline' }, now)).toBe(
      'Waiting to save to your OneDrive. You are offline.',
    );
    expect(backupText({ state: 'saved', at: '2026-12-04T18:05:00Z', file: 'Notes.txt' }, now)).toBe(
      'Saved to your OneDrive as “Notes.txt” at 18:05.',
    );
    // In summer London is an hour ahead; a copy from another day says which.
    expect(backupText({ state: 'saved', at: '2026-07-01T17:05:00Z', file: 'Notes.txt' }, now)).toBe(
      'Saved to your OneDrive as “Notes.txt” on 1 Jul, 18:05.',
    );
  });

  it('read the page box: empty is the whole paper, otherwise a page the paper has', () => {
    expect(readPage(' ', 12)).toEqual({ page: null, problem: null });
    expect(readPage(' 7 ', 12)).toEqual({ page: 7, problem: null });
    expect(readPage('40', 0)).toEqual({ page: 40, problem: null });
    for (const typed of ['0', '13', '2.5', '-1', 'three', '1e1']) {
      expect(readPage(typed, 12).problem).toBe(
        'Enter a page number from 1 to 12, or leave the page empty for a note on the whole paper.',
      );
    }
    expect(readPage('2', 1).problem).toBe('This paper has one page: enter 1, or leave the page empty.');
    expect(readPage('x', 0).problem).toBe(
      'Enter a page number, such as 3, or leave the page empty for a note on the whole paper.',
    );
  });
});
