// The words the committee papers' screens use for meetings and papers.
import type { CommitteeMeetingSummary, NetworkKind, PaperView } from '../../ipc';
import { formatBytes } from '../../bytes';
import { plural } from '../../format';

/** "Agenda not yet published", or "4 papers, 12 MB (3 MB on this phone)". */
export function papersSummary(meeting: CommitteeMeetingSummary): string {
  if (!meeting.agendaPublished) return 'Agenda not yet published';
  if (meeting.papers === 0) return 'No papers';
  const size = meeting.papersBytes > 0 ? formatBytes(meeting.papersBytes) : 'size not known';
  return `${plural(meeting.papers, 'paper')}, ${size} (${onPhone(meeting)})`;
}

function onPhone(meeting: CommitteeMeetingSummary): string {
  if (meeting.storedBytes <= 0) return 'none on this phone';
  if (meeting.papersBytes > 0 && meeting.storedBytes >= meeting.papersBytes) return 'all on this phone';
  return `${formatBytes(meeting.storedBytes)} on this phone`;
}

/** "2 new papers", for the badge on a meeting with a supplement. */
export function newPapersLabel(count: number): string {
  return plural(count, 'new paper');
}

/** A paper's size, or that the council's site has not said. */
export function paperSize(paper: Pick<PaperView, 'size'>): string {
  return paper.size === null ? 'size not known' : formatBytes(paper.size);
}

/** What the download button adds after its name: " (8 MB)", or nothing when the size is not known. */
export function downloadSize(paper: Pick<PaperView, 'size'>): string {
  return paper.size === null ? '' : ` (${formatBytes(paper.size)})`;
}

/** The question asked before a paper is downloaded, as mail asks before an attachment. */
export function confirmDownloadText(size: number | null, network: NetworkKind): string {
  const onMobile = network === 'mobile' ? ' and you are on mobile data' : '';
  return size === null
    ? `This paper’s size is not known${onMobile}. Download it?`
    : `This paper is ${formatBytes(size)}${onMobile}. Download it?`;
}

/** Meetings grouped by day, soonest first, each day's in the order the core gave. */
export function meetingsByDay(meetings: readonly CommitteeMeetingSummary[]): Array<{ day: string; meetings: CommitteeMeetingSummary[] }> {
  const days = new Map<string, CommitteeMeetingSummary[]>();
  for (const meeting of meetings) {
    const day = days.get(meeting.day);
    if (day) day.push(meeting);
    else days.set(meeting.day, [meeting]);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, list]) => ({ day, meetings: list }));
}
