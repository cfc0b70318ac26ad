// The committee papers' view of the core: the member's committees' meetings, the agenda open on
// screen with its papers, putting a paper on the phone, reading a stored one, and the member's
// notes on it.
import {
  deletePaperNote,
  fetchPaper,
  paperNotes,
  papersMeeting,
  papersMeetings,
  readPaper,
  savePaperNote,
  setNotesToOneDrive,
  type CommitteeMeetingSummary,
  type CommitteeMeetingView,
  type PaperDownload,
  type PaperNotesView,
} from '../ipc';
import { Resource, type ErrorReport } from './resource.svelte';
import { Task } from './task.svelte';

/** A stored paper read from the core, for the viewer; let go of when the viewer closes. */
export class PaperReading {
  readonly meetingId: number;
  readonly paperId: number;
  readonly bytes: Resource<Uint8Array>;

  constructor(meetingId: number, paperId: number, report: ErrorReport) {
    this.meetingId = meetingId;
    this.paperId = paperId;
    this.bytes = new Resource(report);
  }

  load(): Promise<boolean> {
    return this.bytes.load(() => readPaper(this.meetingId, this.paperId), { clear: true });
  }

  /** Lets go of the bytes (a pack can be tens of megabytes). */
  close(): void {
    this.bytes.clear();
  }
}

/**
 * The member's notes on one paper, for the viewer. Every change answers with the paper's notes as
 * they now stand, which replace those shown; one change runs at a time (`writing`, named `save`,
 * `delete-{id}` or `oneDrive`), its failure kept there for the screen to show.
 */
export class PaperNotes {
  readonly meetingId: number;
  readonly paperId: number;
  readonly notes: Resource<PaperNotesView>;
  readonly writing: Task;

  constructor(meetingId: number, paperId: number, report: ErrorReport) {
    this.meetingId = meetingId;
    this.paperId = paperId;
    this.notes = new Resource(report);
    this.writing = new Task(report);
  }

  load(): Promise<boolean> {
    return this.notes.load(() => paperNotes(this.meetingId, this.paperId));
  }

  /** Writes a note: a new one when `noteId` is null; `page` null is about the whole paper. */
  save(noteId: number | null, page: number | null, text: string): Promise<boolean> {
    return this.#write('save', () => savePaperNote(this.meetingId, this.paperId, noteId, page, text));
  }

  remove(noteId: number): Promise<boolean> {
    return this.#write(`delete-${noteId}`, () => deletePaperNote(this.meetingId, this.paperId, noteId));
  }

  /** Whether the member keeps their notes on papers in their OneDrive too (for every paper). */
  setToOneDrive(on: boolean): Promise<boolean> {
    return this.#write('oneDrive', () => setNotesToOneDrive(this.meetingId, this.paperId, on));
  }

  /** False when it failed, or when another change was still running (a second press). */
  #write(name: string, request: () => Promise<PaperNotesView>): Promise<boolean> {
    return this.writing.run(async () => {
      // Through the resource, so a load still on its way cannot put back the notes as they were.
      await this.notes.change(request);
    }, name);
  }
}

export class PapersState {
  /** The member's committees' meetings in the coming weeks. */
  readonly meetings: Resource<CommitteeMeetingSummary[]>;
  /** The agenda open on screen. */
  readonly meeting: Resource<CommitteeMeetingView>;
  /** Putting a paper on the phone, named `paper-{id}`. */
  readonly fetching: Task;
  /** The meeting whose agenda is open on screen, or null when the list is shown. */
  opened = $state.raw<CommitteeMeetingSummary | null>(null);

  readonly #report: ErrorReport;

  constructor(report: ErrorReport) {
    this.#report = report;
    this.meetings = new Resource(report);
    this.meeting = new Resource(report);
    this.fetching = new Task(report);
  }

  /** Loads the meetings unless they are loaded or on their way. */
  open(): void {
    if (!this.meetings.loaded && !this.meetings.loading) void this.load();
  }

  load(): Promise<boolean> {
    return this.meetings.load(papersMeetings);
  }

  /** Opens a meeting's agenda; the core then counts its papers as seen. */
  async openMeeting(summary: CommitteeMeetingSummary): Promise<boolean> {
    this.opened = summary;
    this.fetching.dismiss();
    const id = summary.id;
    const loaded = await this.meeting.load(() => papersMeeting(id), { clear: true });
    if (loaded) this.#inList(id, (meeting) => ({ ...meeting, newPapers: 0 }));
    return loaded;
  }

  /** Asks for the open agenda again (Try again). */
  reloadMeeting(): Promise<boolean> {
    return this.opened ? this.openMeeting(this.opened) : Promise.resolve(false);
  }

  closeMeeting(): void {
    this.opened = null;
    this.meeting.clear();
    this.fetching.dismiss();
  }

  /**
   * Puts a paper of the open meeting on the phone, or answers with its size for the member to
   * agree to first (`confirm`). Null when it failed (the failure is in `fetching.error`) or
   * another meeting was opened meanwhile.
   */
  async fetch(paperId: number, confirmed: boolean): Promise<PaperDownload | null> {
    const meetingId = this.opened?.id;
    if (meetingId === undefined) return null;
    let answer: PaperDownload | null = null;
    await this.fetching.run(async () => {
      const result = await fetchPaper(meetingId, paperId, confirmed);
      if (this.opened?.id !== meetingId) return;
      if (result.state === 'stored') this.#stored(meetingId, paperId, result.size);
      answer = result;
    }, `paper-${paperId}`);
    return answer;
  }

  /** A stored paper of the open meeting, read for the viewer. */
  readPaper(meetingId: number, paperId: number): PaperReading {
    const reading = new PaperReading(meetingId, paperId, this.#report);
    void reading.load();
    return reading;
  }

  /** The member's notes on a paper, for the viewer; asked for at once. */
  notesFor(meetingId: number, paperId: number): PaperNotes {
    const notes = new PaperNotes(meetingId, paperId, this.#report);
    void notes.load();
    return notes;
  }

  /** The core's saved calendar changed (the papers follow the calendar's updates). */
  changed(): void {
    void this.meetings.refresh();
    if (this.opened) void this.meeting.refresh();
  }

  reset(): void {
    this.meetings.clear();
    this.closeMeeting();
  }

  /** Shows a paper as on the phone at once, in the agenda and in the meeting's figures. */
  #stored(meetingId: number, paperId: number, size: number): void {
    let added = 0;
    this.meeting.update((view) => ({
      ...view,
      items: view.items.map((item) => ({
        ...item,
        papers: item.papers.map((paper) => {
          if (paper.id !== paperId || paper.stored) return paper;
          added = size;
          return { ...paper, stored: true, size: paper.size ?? size, storedAt: new Date().toISOString() };
        }),
      })),
    }));
    this.#inList(meetingId, (meeting) => ({ ...meeting, storedBytes: meeting.storedBytes + added }));
  }

  #inList(id: number, change: (meeting: CommitteeMeetingSummary) => CommitteeMeetingSummary): void {
    this.meetings.update((list) => list.map((meeting) => (meeting.id === id ? change(meeting) : meeting)));
  }
}
