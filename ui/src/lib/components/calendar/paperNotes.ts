// Words for the member's notes on a paper, and reading the page a note is about.
import type { NotesBackup } from '../../ipc';
import { formatReceived, formatTime, londonDateKey, todayInLondon } from '../../format';

/** Where a note belongs, as the list shows it: "Page 3", or "Whole paper". */
export function notePlace(page: number | null): string {
  return page === null ? 'Whole paper' : `Page ${page}`;
}

/** A note named by its page, for a button's name ("Edit note on page 3"). */
export function noteName(page: number | null): string {
  return page === null ? 'note on the whole paper' : `note on page ${page}`;
}

/** Where the paper's notes stand with the member's OneDrive, in a sentence or two. */
export function backupText(backup: NotesBackup, now: Date = new Date()): string {
  switch (backup.state) {
    case 'off':
      return 'Notes are kept on this phone only.';
    case 'waiting': {
      const reason = backup.reason?.trim();
      return reason ? `Waiting to save to your OneDrive. ${asSentence(reason)}` : 'Waiting to save to your OneDrive.';
    }
    case 'saved':
      return `Saved to your OneDrive as “${backup.file}” ${savedWhen(backup.at, now)}.`;
  }
}

/** "at 18:05" today; on another day its date too, so an old copy is not taken for a new one. */
function savedWhen(at: string, now: Date): string {
  const instant = new Date(at);
  if (!Number.isNaN(instant.getTime()) && londonDateKey(instant) === todayInLondon(now)) return `at ${formatTime(at)}`;
  return `on ${formatReceived(at)}`;
}

function asSentence(text: string): string {
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** What was typed in a note's page box: a page of the paper, none (the whole paper), or why not. */
export type PageAnswer = { page: number | null; problem: null } | { page: null; problem: string };

/**
 * Reads the page box. Empty is the whole paper; otherwise a whole number of a page the paper has
 * (any from 1 while the number of pages is not known, `pageCount` 0).
 */
export function readPage(typed: string, pageCount: number): PageAnswer {
  const trimmed = typed.trim();
  if (trimmed === '') return { page: null, problem: null };
  const page = /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (page >= 1 && (pageCount === 0 || page <= pageCount)) return { page, problem: null };
  if (pageCount === 1) return { page: null, problem: 'This paper has one page: enter 1, or leave the page empty.' };
  return {
    page: null,
    problem:
      pageCount > 1
        ? `Enter a page number from 1 to ${pageCount}, or leave the page empty for a note on the whole paper.`
        : 'Enter a page number, such as 3, or leave the page empty for a note on the whole paper.',
  };
}
