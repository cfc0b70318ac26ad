// The Rust core, played by fixtures, for the accessibility audit harness only (never bundled
// into the app). Every command `src/lib/ipc/index.ts` can send gets a realistic answer in the
// shapes of `src/lib/ipc/types.ts`, so each screen shows what a signed-in member would see.
// The unit tests' fixtures are reused where they exist, so both describe the same member.
import type {
  AccountStatus,
  AgendaDay,
  BackendError,
  CommitteeMeetingSummary,
  CommitteeMeetingView,
  PaperDownload,
  PaperNoteView,
  PaperNotesView,
  PaperPiece,
  Consent,
  ContactDetail,
  ContactSummary,
  DataOverview,
  EventDetail,
  EventSummary,
  MailFolder,
  MessageCursor,
  MessageDetail,
  MessagePage,
  MessageSummary,
  NotificationSettings,
  OutboxItem,
  ProtectionStatus,
  SearchResults,
  ServerSearchResults,
  SurveyAnswer,
  SurveyDue,
  SyncStatus,
} from '../src/lib/ipc';
import { addDays, todayInLondon } from '../src/lib/format';
import { folders as testFolders, summary, detail } from '../src/lib/components/mail/testing';
import { contactDetail, contactSummary } from '../src/lib/components/contacts/fixtures';
import { eventDetail, eventSummary } from '../src/lib/components/calendar/fixtures';
import { agendaItem, meetingSummary, meetingView, paper } from '../src/lib/components/calendar/papersFixtures';
import { overviewFixture } from '../src/lib/components/data/fixtures';
import { GB, MB } from '../src/lib/bytes';
import { collected, consentFixture, diagnosticsFixture, fakeSurvey } from '../src/lib/components/trial/fixtures';
import { choosePin, locked, reachCouncil, settingsFixture, unlocked } from '../src/lib/components/protection/fixtures';

export type HarnessOptions = {
  /** `?state=signedOut` starts on the sign-in screen. */
  signedOut: boolean;
  /** `?consent=none`: the member has not answered the trial's consent screen yet, so it shows first. */
  consentNeeded: boolean;
  /**
   * Where the app lock starts (`?lock=`): `open` (the default), `choosePin` (the first start),
   * `wiped` (a PIN to choose after too many wrong PINs cleared the device), `locked`, or
   * `reachCouncil`.
   */
  lock: 'open' | 'choosePin' | 'wiped' | 'locked' | 'reachCouncil';
};

/** The PIN that opens the harness's lock; any other is wrong. */
export const HARNESS_PIN = '482915';

function startingLock(lock: HarnessOptions['lock']): ProtectionStatus {
  switch (lock) {
    case 'choosePin':
      return choosePin();
    case 'wiped':
      return choosePin({
        at: minutesAgo(2),
        reason: 'wrongPins',
        message:
          'The wrong PIN was entered too many times, so Member Companion removed your council email, calendar and contacts from this device.',
      });
    case 'locked':
      return locked();
    case 'reachCouncil':
      return reachCouncil;
    case 'open':
      return unlocked;
  }
}

const MINUTE = 60_000;
const now = Date.now();
const minutesAgo = (minutes: number) => new Date(now - minutes * MINUTE).toISOString();

const member = { displayName: 'Cllr Priya Shah', mail: 'priya.shah@demo-council.gov.uk' };

// ---------------------------------------------------------------- mail

const INBOX_SIZE = 30;

const SUBJECTS: ReadonlyArray<[from: string, subject: string, preview: string]> = [
  ['Democratic Services', 'Planning committee agenda', 'Please find the agenda and the site plan attached.'],
  ['Jane Smith', 'Re: Bus shelter on Mill Lane', 'Thank you for raising this. Highways have agreed to look again.'],
  ['Resident enquiries', 'Street lighting in Elm Park ward', 'A resident has asked about the broken light outside number 14.'],
  ['Finance team', 'Budget consultation: draft figures', 'The draft figures for next year are now ready for members.'],
  ['Sam Clerk', 'Room change for Thursday', 'The licensing sub-committee will meet in Committee Room 2.'],
  ['Member Services', 'Training: data protection refresher', 'All members are asked to complete the refresher by the end of the month.'],
];

/** Thirty messages, newest first; every third is unread, some have attachments, flags or high importance. */
const inbox: MessageSummary[] = Array.from({ length: INBOX_SIZE }, (_, index) => {
  const [from, subject, preview] = SUBJECTS[index % SUBJECTS.length] ?? SUBJECTS[0]!;
  return summary(index, {
    id: `m${index}`,
    conversationId: index === 0 ? 'conv-planning' : null,
    from,
    fromAddress: `${from.toLowerCase().replace(/[^a-z]+/g, '.')}@demo-council.gov.uk`,
    subject: index < SUBJECTS.length ? subject : `${subject} (${Math.floor(index / SUBJECTS.length) + 1})`,
    preview,
    receivedDateTime: minutesAgo(7 + index * 95),
    isRead: index % 3 !== 0,
    hasAttachments: index % 4 === 0,
    flagged: index === 4,
    importance: index === 3 ? 'high' : 'normal',
  });
});

const unreadInInbox = inbox.filter((message) => !message.isRead).length;

const folders: MailFolder[] = testFolders.map((folder) =>
  folder.wellKnownName === 'inbox' ? { ...folder, unreadItemCount: unreadInInbox, totalItemCount: INBOX_SIZE } : folder,
);

const otherFolders: Record<string, MessageSummary[]> = {
  'f-casework': inbox.slice(10, 15),
  'f-sent': [],
  'f-archive': inbox.slice(20, 25).map((message) => ({ ...message, isRead: true })),
  'f-deleted': [],
};

function page(folderId: string, after: MessageCursor | null, limit: number): MessagePage {
  const all = folderId === 'f-inbox' ? inbox : (otherFolders[folderId] ?? []);
  const start = after === null ? 0 : all.findIndex((message) => message.id === after.id) + 1;
  const items = all.slice(start, start + limit);
  const last = items[items.length - 1];
  return {
    items,
    next: start + limit < all.length && last ? { receivedDateTime: last.receivedDateTime, id: last.id } : null,
    total: all.length,
  };
}

/** An HTML body as the core's sanitiser leaves it: remote pictures lose their `src` but keep `alt`. */
const PLANNING_BODY = `
<p>Dear Councillor Shah,</p>
<p>Please find attached the agenda for the <strong>Planning committee</strong> on Thursday at 6.30pm
in the Council Chamber, and the site plan for application <a href="https://demo-council.gov.uk/planning/24-0113">24/0113</a>.</p>
<img alt="Aerial photograph of the Mill Lane site" width="560" height="240">
<h2>Items for decision</h2>
<ol>
  <li>Mill Lane: 14 new homes and a play area</li>
  <li>Station Road: change of use from shop to café</li>
</ol>
<table>
  <caption>Speakers registered</caption>
  <thead><tr><th scope="col">Item</th><th scope="col">Speakers</th></tr></thead>
  <tbody><tr><td>Mill Lane</td><td>3</td></tr><tr><td>Station Road</td><td>1</td></tr></tbody>
</table>
<blockquote><p>Members are reminded to declare any interests at the start of the meeting.</p></blockquote>
<p>Kind regards,<br>Democratic Services<br><a href="mailto:democratic.services@demo-council.gov.uk">democratic.services@demo-council.gov.uk</a></p>
<img alt="Demo Borough Council" width="120" height="40">
`;

function messageDetail(id: string): MessageDetail {
  const found = inbox.find((message) => message.id === id) ?? inbox[0]!;
  const base = detail({
    ...found,
    to: [{ name: member.displayName, address: member.mail }],
    cc: [{ name: 'Sam Clerk', address: 'sam.clerk@demo-council.gov.uk' }],
    isRead: true,
  });
  if (id === 'm1') {
    // Not on the device, and the device is offline: the header shows, the text comes later.
    return { ...base, bodyState: 'offline', bodyHtml: null };
  }
  if (id !== 'm0') {
    return { ...base, bodyHtml: `<p>${found.preview}</p><p>Best wishes,<br>${found.from}</p>` };
  }
  return {
    ...base,
    bodyHtml: PLANNING_BODY,
    blockedImages: { count: 2, approxBytes: 420_000 },
    attachments: [
      { id: 'a1', name: 'Planning committee agenda.pdf', contentType: 'application/pdf', size: 348_160, saved: false },
      {
        id: 'a2',
        name: 'Mill Lane site plan.docx',
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        size: 2_411_724,
        saved: true,
      },
      { id: 'a3', name: 'Speaker list.xlsx', contentType: 'application/vnd.ms-excel', size: 18_944, saved: false },
    ],
  };
}

const conversation: MessageSummary[] = [
  inbox[0]!,
  summary(100, {
    id: 'm100',
    conversationId: 'conv-planning',
    from: 'Jane Smith',
    fromAddress: 'jane.smith@council.example',
    subject: 'Re: Planning committee agenda',
    receivedDateTime: minutesAgo(60 * 30),
    isRead: false,
  }),
  summary(101, {
    id: 'm101',
    conversationId: 'conv-planning',
    from: 'Democratic Services',
    fromAddress: 'democratic.services@demo-council.gov.uk',
    subject: 'Planning committee: date confirmed',
    receivedDateTime: minutesAgo(60 * 50),
    isRead: true,
  }),
];

const outboxItems: OutboxItem[] = [
  {
    id: 1,
    kind: 'reply',
    summary: 'Reply to ‘Planning committee agenda’',
    state: 'queued',
    reason: null,
    attempts: 0,
    queuedAt: minutesAgo(3),
  },
  {
    id: 2,
    kind: 'send',
    summary: 'New message ‘Casework: 12 Station Road’',
    state: 'sending',
    reason: null,
    attempts: 1,
    queuedAt: minutesAgo(12),
  },
  {
    id: 3,
    kind: 'respond',
    summary: 'Accept ‘Budget scrutiny panel’',
    state: 'failed',
    reason: 'The council’s server turned it down because the meeting had been cancelled.',
    attempts: 3,
    queuedAt: minutesAgo(90),
  },
  { id: 4, kind: 'markRead', summary: 'Mark ‘Room change for Thursday’ as read', state: 'sent', reason: null, attempts: 1, queuedAt: minutesAgo(240) },
];

// ---------------------------------------------------------------- calendar

/** "YYYY-MM-DD" plus a London wall-clock time; the offset is worked out for that day (GMT or BST). */
function londonTime(date: string, time: string): string {
  const guess = new Date(`${date}T${time}:00Z`);
  const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' });
  const offsetHours = (Number(london.format(guess)) - guess.getUTCHours() + 24) % 24;
  return `${date}T${time}:00+0${offsetHours}:00`;
}

function agendaFrom(from: string, days: number): AgendaDay[] {
  const on = (offset: number) => addDays(from, offset);
  const all: AgendaDay[] = [
    {
      date: on(0),
      events: [
        eventSummary({
          id: 'e1',
          subject: 'Planning committee',
          start: londonTime(on(0), '18:30'),
          end: londonTime(on(0), '21:00'),
          responseStatus: 'notResponded',
          canRespond: true,
          onlineMeetingUrl: 'https://teams.demo-council.gov.uk/meet/planning',
        }),
        eventSummary({
          id: 'e2',
          subject: 'Ward surgery',
          start: londonTime(on(0), '10:00'),
          end: londonTime(on(0), '12:00'),
          location: 'Elm Park Library',
          organizer: member.displayName,
          responseStatus: 'organizer',
          canRespond: false,
        }),
      ],
    },
    {
      date: on(1),
      events: [
        eventSummary({
          id: 'e3',
          subject: 'Budget scrutiny panel',
          start: londonTime(on(1), '14:00'),
          end: londonTime(on(1), '16:00'),
          location: 'Committee Room 1',
          isCancelled: true,
          canRespond: false,
        }),
      ],
    },
    {
      date: on(3),
      events: [
        eventSummary({
          id: 'e4',
          subject: 'Full council',
          start: `${on(3)}T00:00:00+00:00`,
          end: `${addDays(on(3), 1)}T00:00:00+00:00`,
          isAllDay: true,
          responseStatus: 'accepted',
          canRespond: true,
        }),
        eventSummary({
          id: 'e5',
          subject: 'Licensing sub-committee',
          start: londonTime(on(3), '09:30'),
          end: londonTime(on(3), '11:00'),
          location: 'Committee Room 2',
          responseStatus: 'tentativelyAccepted',
          canRespond: true,
        }),
      ],
    },
  ];
  return all.filter((day) => day.date < addDays(from, days));
}

function eventDetails(id: string): EventDetail {
  const today = todayInLondon();
  const summaryOf = agendaFrom(today, 14)
    .flatMap((day) => day.events)
    .find((event: EventSummary) => event.id === id);
  return eventDetail({
    ...(summaryOf ?? eventSummary({ id })),
    bodyHtml:
      '<p>The agenda and reports are on the <a href="https://demo-council.gov.uk/committees/planning">council website</a>.</p>' +
      '<p>Please arrive 15 minutes early for the members’ briefing.</p>',
  });
}

// ---------------------------------------------------------------- committee papers

/** The member's committees' meetings, from today: one with a new supplement, one cancelled. */
function committeeMeetings(stored: ReadonlySet<number>): CommitteeMeetingSummary[] {
  const today = todayInLondon();
  const planning = planningAgenda(stored);
  const papers = planning.items.flatMap((item) => item.papers);
  return [
    {
      ...planning.meeting,
      papers: papers.length,
      papersBytes: papers.reduce((sum, each) => sum + (each.size ?? 0), 0),
      storedBytes: papers.filter((each) => each.stored).reduce((sum, each) => sum + (each.size ?? 0), 0),
    },
    meetingSummary({
      id: 42,
      committee: 'Licensing Sub-Committee',
      day: addDays(today, 3),
      time: '10.00 am',
      location: 'Committee Room 2',
      papers: 2,
      papersBytes: 1.5 * MB,
      storedBytes: 1.5 * MB,
    }),
    meetingSummary({
      id: 43,
      committee: 'Overview and Scrutiny Committee',
      day: addDays(today, 10),
      time: '7.00 pm',
      location: 'Committee Room 1',
      agendaPublished: false,
      papers: 0,
      papersBytes: 0,
      storedBytes: 0,
    }),
    meetingSummary({ id: 44, committee: 'Audit Committee', day: addDays(today, 17), cancelled: true, storedBytes: 0 }),
  ];
}

/** The Planning Committee's agenda: a stored paper, a large one, a new supplement, an exempt item. */
function planningAgenda(stored: ReadonlySet<number>): CommitteeMeetingView {
  const view = meetingView({
    meeting: meetingSummary({ day: addDays(todayInLondon(), 3), newPapers: 1 }),
    items: [
      agendaItem({ number: '1.', title: 'Apologies for absence', papers: [paper()] }),
      agendaItem({ number: '2.', title: 'Declarations of interest' }),
      agendaItem({
        number: '4.',
        title: '24/01234/FUL Land at Mill Lane',
        papers: [
          paper({ id: 702, title: 'Report of the Head of Planning', size: 8 * MB, stored: false, storedAt: null }),
          paper({ id: 703, title: 'Late representations', size: null, stored: false, new: true, storedAt: null }),
        ],
      }),
      agendaItem({ number: '7.', title: 'Enforcement update', exempt: true }),
    ],
  });
  return {
    ...view,
    items: view.items.map((item) => ({
      ...item,
      papers: item.papers.map((each) => (stored.has(each.id) ? { ...each, stored: true, storedAt: minutesAgo(1) } : each)),
    })),
  };
}

/**
 * A small, valid PDF with a line of text on each page (Helvetica, which every PDF reader has), for
 * the in-app reader. The cross-reference table is worked out from the objects as written.
 */
function samplePdf(pages: string[]): Uint8Array {
  const objects: string[] = [];
  const pageIds = pages.map((_, index) => 4 + index * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R /Lang (en-GB) >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  pages.forEach((text, index) => {
    const stream = `BT /F1 20 Tf 56 780 Td (${text}) Tj ET`;
    objects[pageIds[index]!] =
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> ' +
      `/Contents ${pageIds[index]! + 1} 0 R >>`;
    objects[pageIds[index]! + 1] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  });
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id += 1) {
    offsets[id] = pdf.length;
    pdf += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id += 1) pdf += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

const agendaPdf = samplePdf(['Planning Committee: agenda', 'Item 1: Apologies for absence']);

/** A piece of a stored paper, as the core reads it (up to 4 MiB from `offset`, in base64). */
function paperPiece(bytes: Uint8Array, offset: number): PaperPiece {
  const piece = bytes.subarray(offset, offset + 4 * MB);
  let binary = '';
  for (const byte of piece) binary += String.fromCharCode(byte);
  return { offset, total: bytes.length, base64: btoa(binary) };
}

/** The member's notes on the agenda frontsheet: one about a page, one about the whole paper. */
function frontsheetNotes(): PaperNoteView[] {
  return [
    {
      id: 1,
      page: 2,
      text: 'Ask about the apologies from Cllr Patel.\nCheck whether a substitute has been named.',
      updated: minutesAgo(60 * 26),
    },
    { id: 2, page: null, text: 'Declare an interest in item 4 (I live on Mill Lane).', updated: minutesAgo(35) },
  ];
}

// ---------------------------------------------------------------- contacts

/** The council's directory, as the phone holds it. */
const directoryPeople = [
  {
    id: 'u1',
    displayName: 'Priya Sharma',
    jobTitle: 'Democratic Services Officer',
    department: 'Democratic Services',
    officeLocation: 'Town Hall',
    officePhone: '01632 960 101',
    mail: 'priya.sharma@demo-council.gov.uk',
  },
  {
    id: 'u2',
    displayName: 'Tom Ashworth',
    jobTitle: 'Senior Planning Officer',
    department: 'Planning and Building Control',
    officeLocation: 'Civic Centre, Floor 2',
    officePhone: '01632 960 202',
    mail: 'tom.ashworth@demo-council.gov.uk',
  },
];

const contactList: ContactDetail[] = [
  contactDetail(),
  contactDetail({
    id: 'c2',
    displayName: 'Sam Clerk',
    jobTitle: 'Committee Clerk',
    companyName: 'Demo Borough Council',
    department: 'Democratic Services',
    emails: ['sam.clerk@demo-council.gov.uk'],
    phones: ['01632 960 456', '07700 900 321'],
  }),
  contactDetail({
    id: 'c3',
    displayName: 'Ade Okafor',
    jobTitle: 'Highways Officer',
    department: 'Environment',
    emails: ['ade.okafor@demo-council.gov.uk'],
    phones: [],
  }),
  contactDetail({
    id: 'c4',
    displayName: 'Elm Park Residents’ Association',
    jobTitle: '',
    companyName: '',
    department: '',
    emails: ['chair@elmpark.example'],
    phones: ['01632 960 789'],
  }),
];

function listContacts(filter: string): ContactSummary[] {
  const words = filter.toLowerCase();
  return contactList
    .filter((contact) => [contact.displayName, contact.jobTitle, contact.companyName].join(' ').toLowerCase().includes(words))
    .map(({ department: _department, ...rest }) => contactSummary(rest));
}

// ---------------------------------------------------------------- search

const MARK = (word: string) => `\u0002${word}\u0003`;

function searchFor(query: string): SearchResults {
  return {
    query,
    mail: [
      { kind: 'mail', id: 'm0', title: 'Planning committee agenda', snippet: `Please find the ${MARK('planning')} agenda attached.`, when: inbox[0]!.receivedDateTime },
      { kind: 'mail', id: 'm100', title: 'Re: Planning committee agenda', snippet: `I will not be able to attend the ${MARK('planning')} site visit.`, when: conversation[1]!.receivedDateTime },
    ],
    events: [
      { kind: 'event', id: 'e1', title: 'Planning committee', snippet: `${MARK('Planning')} committee, Council Chamber`, when: londonTime(todayInLondon(), '18:30') },
    ],
    contacts: [{ kind: 'contact', id: 'c1', title: 'Jane Smith', snippet: `Head of ${MARK('Planning')}`, when: null }],
  };
}

/** Private by default; the council names democratic services as a VIP sender for everyone. */
let notificationSettings: NotificationSettings = {
  newMail: true,
  meetingReminders: true,
  showDetails: false,
  detailsAllowed: true,
  vipSenders: ['leader@demoborough.example'],
  councilVipSenders: ['democratic.services@demoborough.example'],
  quietFrom: '22:00',
  quietUntil: '07:00',
};

/** Older mail the server finds: two messages from last year, and more than it sends. */
function serverSearchFor(query: string): ServerSearchResults {
  return {
    query,
    mail: [
      { kind: 'mail', id: 'old1', title: 'Planning appeal: 14 Mill Lane', snippet: 'Planning Services: The inspector has decided the appeal.', when: '2025-09-12T08:40:00Z' },
      { kind: 'mail', id: 'old2', title: 'Planning committee dates', snippet: 'Democratic Services: The dates for the next municipal year are below.', when: '2025-05-02T15:05:00Z' },
    ],
    more: true,
    bytes: 14_336,
  };
}

// ---------------------------------------------------------------- data allowance

/** This month so far, 62 % of 1 GB used: past the half-way mark, so the Saver level is on. */
function dataOverview(): DataOverview {
  const today = todayInLondon();
  const cycleStart = `${today.slice(0, 8)}01`;
  const cycleEnd = addDays(`${addDays(`${today.slice(0, 8)}28`, 5).slice(0, 8)}01`, -1);
  const dates: string[] = [];
  for (let day = cycleStart; day <= today; day = addDays(day, 1)) dates.push(day);
  // Every fifth day is a heavier one, so the chart is not a straight line.
  const weights = dates.map((_, index) => (index % 5 === 4 ? 2 : 1));
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const daily = dates.map((date, index) => ({ date, bytes: Math.round((0.62 * GB * (weights[index] ?? 1)) / totalWeight) }));
  return overviewFixture({
    cycleStart,
    cycleEnd,
    capBytes: GB,
    appMobileBytes: daily.reduce((sum, day) => sum + day.bytes, 0),
    daily,
    deviceBytes: 820 * MB,
    projection: {
      expectedBytes: 940 * MB,
      lowBytes: 860 * MB,
      highBytes: 1100 * MB,
      sentence: 'At this rate you will use about 940 MB by the end of the month.',
    },
    level: 'saver',
    levelReason: 'More than half of your allowance is used, so the app saves data where it can.',
    override: { level: null, extraBytesLeft: 12 * MB },
    networkSource: 'system',
    networkSettable: true,
  });
}

// ---------------------------------------------------------------- trial evidence

/** The baseline survey, due now; its answers branch as the core's do (see fakeSurvey). */
const dueSurvey: SurveyDue = { surveyId: 'baseline', key: 'baseline:2026-11', title: 'Before you start' };

// ---------------------------------------------------------------- the command table

const syncStatus: SyncStatus = { online: true, lastSyncedAt: minutesAgo(4), running: false, lastError: null, planNote: null };

function fail(message: string, kind: BackendError['kind'] = 'unavailable'): never {
  const error: BackendError = { kind, message };
  throw error;
}

/** Commands the harness was asked for but does not know: the audit reports them. */
export const unknownCommands: string[] = [];

export function createCore(options: HarnessOptions) {
  let account: AccountStatus = options.signedOut
    ? { state: 'signedOut', demo: true, problem: null }
    : { state: 'signedIn', demo: true, member };
  let consent: Consent | null = options.consentNeeded ? null : consentFixture();
  let due: SurveyDue | null = dueSurvey;
  const survey = fakeSurvey();
  let protection = startingLock(options.lock);
  /** Committee papers on the "phone"; more arrive when the member agrees to a download. */
  const storedPapers = new Set<number>([701]);
  /** The member's notes on papers, by paper; they keep them in their OneDrive too. */
  const notesByPaper = new Map<number, PaperNoteView[]>([[701, frontsheetNotes()]]);
  let notesToOneDrive = true;
  let notesSavedAt = minutesAgo(35);
  let nextNoteId = 3;

  /** A paper's notes as the core answers every notes command with them. */
  function paperNotes(paperId: number): PaperNotesView {
    const title = planningAgenda(storedPapers)
      .items.flatMap((item) => item.papers)
      .find((each) => each.id === paperId)?.title;
    return {
      notes: notesByPaper.get(paperId) ?? [],
      toOneDrive: notesToOneDrive,
      backup: notesToOneDrive
        ? { state: 'saved', at: notesSavedAt, file: `Planning Committee – ${title ?? 'paper'} – notes.txt` }
        : { state: 'off' },
    };
  }

  /** Changes a paper's notes; where they are kept in OneDrive, they are saved there at once. */
  function changeNotes(paperId: number, change: (notes: PaperNoteView[]) => PaperNoteView[]): PaperNotesView {
    if (!storedPapers.has(paperId)) fail('That paper is not on this device.', 'notFound');
    notesByPaper.set(paperId, change(notesByPaper.get(paperId) ?? []));
    if (notesToOneDrive) notesSavedAt = new Date().toISOString();
    return paperNotes(paperId);
  }

  /** A wrong PIN: one try fewer; from the third in a row, a minute's wait before the next. */
  function wrongPin(): ProtectionStatus {
    const wrongPins = protection.state === 'locked' ? protection.wrongPins + 1 : 1;
    return locked(wrongPins, wrongPins >= 3 ? 60 : 0);
  }

  return function handle(command: string, args: Record<string, unknown> = {}): unknown {
    const text = (name: string) => String(args[name] ?? '');
    switch (command) {
      case 'account_status':
        return account;
      case 'sign_in':
        account = { state: 'signedIn', demo: true, member };
        return account;
      case 'sign_out':
        account = { state: 'signedOut', demo: true, problem: null };
        return account;

      case 'protection_status':
        return protection;
      case 'protection_choose_pin':
      case 'protection_unlock':
        protection = command === 'protection_choose_pin' || text('pin') === HARNESS_PIN ? unlocked : wrongPin();
        return protection;
      case 'protection_lock':
        protection = locked();
        return protection;
      case 'protection_change_pin':
        return text('current') === HARNESS_PIN ? null : fail('That PIN is not right.', 'invalid');
      case 'protection_forget_pin':
        protection = choosePin({
          at: new Date().toISOString(),
          reason: 'forgottenPin',
          message: 'You chose to reset your PIN, so Member Companion removed your council email, calendar and contacts from this device.',
        });
        return protection;
      case 'protection_touch':
        return null;
      case 'protection_settings':
        // A Linux desktop without a Secret Service, so the restart warning is checked too.
        return settingsFixture({ keysSurviveRestart: false });

      case 'sync_status':
      case 'sync_now':
        return syncStatus;

      case 'mail_folders':
        return folders;
      case 'mail_page':
        return page(text('folderId'), (args.after as MessageCursor | null) ?? null, Number(args.limit ?? 100));
      case 'mail_open':
      case 'mail_fetch_body':
        return messageDetail(text('id'));
      case 'mail_show_images':
        return { ...messageDetail(text('id')), imagesShown: true };
      case 'mail_conversation':
        return conversation;
      case 'mail_mark_read':
      case 'mail_flag':
      case 'mail_move':
      case 'mail_delete':
      case 'mail_reply':
      case 'mail_send':
      case 'mail_forward':
      case 'mail_unstage_attachment':
      case 'calendar_respond':
      case 'open_external':
        return null;
      case 'mail_outbox':
        return outboxItems;
      case 'mail_download_attachment':
        return { state: 'confirm', size: 2_411_724, network: 'mobile', reason: 'You are on mobile data.' };

      case 'calendar_agenda':
        return agendaFrom(text('from'), Number(args.days ?? 14));
      case 'calendar_event':
        return eventDetails(text('id'));

      case 'mail_stage_attachment':
        return { id: 'f1', name: text('name'), contentType: text('contentType'), size: 5_242_880 };
      case 'mail_send_cost':
        return {
          bytes: 5_242_880,
          network: 'mobile',
          note: 'You are on mobile data: sending these files uses about 5.0 MB of your allowance.',
        };
      case 'directory_search':
        return {
          people: directoryPeople.filter((p) =>
            `${p.displayName} ${p.jobTitle ?? ''} ${p.department ?? ''}`.toLowerCase().includes(text('query').toLowerCase()),
          ),
          held: 612,
          refreshedAt: '2026-12-03T09:12:00Z',
        };
      case 'directory_person':
        return directoryPeople.find((p) => p.id === text('id')) ?? fail('That person is not in the directory.');
      case 'address_suggestions':
        return [
          { name: 'Sam Clerk', address: 'sam.clerk@demo-council.gov.uk', source: 'contact', detail: 'Democratic Services Officer' },
          { name: 'Sam Patel', address: 'sam.patel@demo-council.gov.uk', source: 'directory', detail: 'Highways Engineer' },
        ];
      case 'help_requests':
        return [
          {
            id: 'r1',
            category: 'Signing in',
            createdAt: '2026-12-01T09:00:00Z',
            waiting: false,
            status: 'Resolved',
            resolvedOn: '2026-12-02',
            answer: 'Your phone’s clock was wrong; we have set it to update itself.',
          },
        ];

      case 'contacts_list':
        return listContacts(text('filter'));
      case 'contacts_get':
        return contactList.find((contact) => contact.id === text('id')) ?? fail('That contact is not saved on this device.');

      case 'search':
        return searchFor(text('query'));
      case 'search_server':
        return serverSearchFor(text('query'));

      case 'notifications_settings':
        return notificationSettings;
      case 'notifications_set_settings':
        notificationSettings = { ...notificationSettings, ...(args.settings as Partial<NotificationSettings>) };
        return notificationSettings;

      case 'evidence_consent':
        return consent;
      case 'evidence_set_consent':
        consent = consentFixture({
          givenAt: new Date().toISOString(),
          surveys: Boolean(args.surveys),
          usageReports: Boolean(args.usageReports),
        });
        return consent;
      case 'evidence_what_we_collect':
        return collected;
      case 'display_settings_seen':
        return null;
      case 'survey_due':
        return consent?.surveys ? due : null;
      case 'survey_open':
        return text('surveyId') === dueSurvey.surveyId ? survey.view() : fail('That survey is not on this device.');
      case 'survey_answer':
        return survey.answer(text('responseId'), text('questionId'), (args.answer as SurveyAnswer | null) ?? null);
      case 'survey_submit':
      case 'survey_dismiss':
        due = null;
        return null;
      case 'help_diagnostics':
        return diagnosticsFixture;
      case 'help_send':
        return 'help-1';

      case 'papers_meetings':
        return committeeMeetings(storedPapers);
      case 'papers_meeting': {
        const meetingId = Number(args.meetingId);
        if (meetingId === 41) return planningAgenda(storedPapers);
        const meeting = committeeMeetings(storedPapers).find((each) => each.id === meetingId);
        return meeting ? { meeting, items: [] } : fail('That meeting is not on this device.', 'notFound');
      }
      case 'papers_fetch': {
        const paperId = Number(args.paperId);
        const size = paperId === 703 ? null : 8 * MB;
        if (storedPapers.has(paperId) || args.confirmed === true) {
          storedPapers.add(paperId);
          return { state: 'stored', size: size ?? 120 * 1024 } satisfies PaperDownload;
        }
        return {
          state: 'confirm',
          size,
          network: 'mobile',
          reason: 'Committee papers wait for Wi-Fi while you are on mobile data.',
        } satisfies PaperDownload;
      }
      case 'papers_read':
        return storedPapers.has(Number(args.paperId))
          ? paperPiece(agendaPdf, Number(args.offset))
          : fail('That paper is not on this device.', 'notFound');
      case 'papers_notes':
        return paperNotes(Number(args.paperId));
      case 'papers_note_save': {
        const noteId = typeof args.noteId === 'number' ? args.noteId : null;
        const page = typeof args.page === 'number' ? args.page : null;
        const note: PaperNoteView = { id: noteId ?? nextNoteId++, page, text: text('text'), updated: new Date().toISOString() };
        return changeNotes(Number(args.paperId), (notes) =>
          noteId === null ? [...notes, note] : notes.map((each) => (each.id === noteId ? note : each)),
        );
      }
      case 'papers_note_delete':
        return changeNotes(Number(args.paperId), (notes) => notes.filter((each) => each.id !== Number(args.noteId)));
      case 'papers_notes_to_onedrive':
        notesToOneDrive = args.on === true;
        if (notesToOneDrive) notesSavedAt = new Date().toISOString();
        return paperNotes(Number(args.paperId));

      case 'data_overview':
      case 'data_set_device_usage':
      case 'data_set_level':
      case 'data_spend_anyway':
      case 'data_set_network':
        return dataOverview();

      default:
        unknownCommands.push(command);
        return fail(`The audit harness has no answer for "${command}".`);
    }
  };
}
