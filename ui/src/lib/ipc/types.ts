// Types for the Rust commands, in the camelCase JSON the core sends.
// This file is the contract between `src-tauri/src/commands/*` and the UI: change both together.
// Dates are ISO 8601 strings in UTC unless a comment says otherwise; sizes are bytes.

/** The signed-in council member. */
export type Member = {
  displayName: string;
  mail: string;
};

// ---------------------------------------------------------------- account

export type AccountStatus =
  | { state: 'signedOut'; demo: boolean; problem: string | null }
  | { state: 'signedIn'; demo: boolean; member: Member };

// ---------------------------------------------------------------- sync

export type SyncStatus = {
  /** False when the last attempt could not reach the council (shows the offline indicator). */
  online: boolean;
  /** When the cache last finished a full update, or null before the first. */
  lastSyncedAt: string | null;
  running: boolean;
  /** A plain sentence about the last failure, if the last update failed. */
  lastError: string | null;
};

/** Event `sync-progress`, several times a second while an update runs. */
export type SyncProgress = {
  collection: 'mailFolders' | 'mail' | 'calendar' | 'contacts' | 'bodies' | 'outbox';
  done: number;
  bytes: number;
};

/** Event `data-changed`: the cache changed; views showing these collections should reload. */
export type DataChanged = {
  collections: Array<'mail' | 'calendar' | 'contacts' | 'outbox' | 'allowance'>;
};

// ---------------------------------------------------------------- mail

/** A mail folder with its message counts. */
export type MailFolder = {
  id: string;
  displayName: string;
  /** Well-known name ("inbox", "sentitems", "deleteditems", "drafts", "archive") or null. */
  wellKnownName: string | null;
  unreadItemCount: number;
  totalItemCount: number;
};

/** One message in a folder listing (headers only, no body). */
export type MessageSummary = {
  id: string;
  conversationId: string | null;
  subject: string;
  /** Sender's display name (or address when there is no name). */
  from: string;
  fromAddress: string;
  receivedDateTime: string;
  preview: string;
  isRead: boolean;
  flagged: boolean;
  hasAttachments: boolean;
  importance: 'low' | 'normal' | 'high';
};

/** Keyset cursor: pass the last page's `next` to get the following page. */
export type MessageCursor = { receivedDateTime: string; id: string };

export type MessagePage = {
  items: MessageSummary[];
  next: MessageCursor | null;
  /** Messages in the folder in the cache. */
  total: number;
};

export type Recipient = { name: string; address: string };

export type AttachmentInfo = {
  id: string;
  name: string;
  contentType: string;
  size: number;
  /** Already downloaded to the device. */
  saved: boolean;
};

/**
 * How the body stands: `ready` (html is set), `notDownloaded` (offline or not fetched yet),
 * `heldBack` (the data saver held it back: `heldBackReason` says why and the UI offers to fetch).
 */
export type BodyState = 'ready' | 'notDownloaded' | 'heldBack';

export type MessageDetail = MessageSummary & {
  to: Recipient[];
  cc: Recipient[];
  bodyState: BodyState;
  heldBackReason: string | null;
  /**
   * Sanitised in Rust: no script, no event handlers, no forms; remote images are replaced by
   * placeholders unless `imagesShown`. Safe to put into a sandboxed iframe's `srcdoc`.
   */
  bodyHtml: string | null;
  /** Remote images blocked in this body, and their approximate total size in bytes (null when unknown). */
  blockedImages: { count: number; approxBytes: number | null };
  imagesShown: boolean;
  attachments: AttachmentInfo[];
};

export type OutboxItem = {
  id: number;
  /** e.g. "reply", "send", "markRead", "flag", "move", "delete", "respond". */
  kind: string;
  /** A short plain description, e.g. "Reply to ‘Planning committee agenda’". */
  summary: string;
  state: 'queued' | 'sending' | 'failed' | 'sent';
  /** Why it failed, in plain words. */
  reason: string | null;
  attempts: number;
  queuedAt: string;
};

export type NewMessage = {
  to: string[];
  cc: string[];
  subject: string;
  body: string;
};

/** The answer to a download request: either saved, or the size to confirm first on mobile data. */
export type AttachmentDownload =
  | { state: 'saved'; path: string }
  | { state: 'confirm'; size: number; network: 'mobile' | 'wifi'; reason: string };

// ---------------------------------------------------------------- calendar

export type ResponseStatus = 'none' | 'organizer' | 'tentativelyAccepted' | 'accepted' | 'declined' | 'notResponded';

export type EventSummary = {
  id: string;
  subject: string;
  /** ISO 8601 with the Europe/London offset, e.g. "2026-11-23T09:30:00+00:00". */
  start: string;
  end: string;
  isAllDay: boolean;
  location: string;
  organizer: string;
  responseStatus: ResponseStatus;
  isCancelled: boolean;
  onlineMeetingUrl: string | null;
  /** True when the member is invited (not the organiser) and may accept, tentatively accept or decline. */
  canRespond: boolean;
};

export type AgendaDay = {
  /** Local date in Europe/London, "YYYY-MM-DD". */
  date: string;
  events: EventSummary[];
};

export type Attendee = { name: string; address: string; response: ResponseStatus };

export type EventDetail = EventSummary & {
  attendees: Attendee[];
  /** Sanitised like a message body. */
  bodyHtml: string | null;
};

export type EventResponse = 'accept' | 'tentativelyAccept' | 'decline';

// ---------------------------------------------------------------- contacts

export type ContactSummary = {
  id: string;
  displayName: string;
  jobTitle: string;
  companyName: string;
  emails: string[];
  phones: string[];
};

export type ContactDetail = ContactSummary & {
  department: string;
  businessAddress: string;
};

// ---------------------------------------------------------------- search

export type SearchHit = {
  kind: 'mail' | 'event' | 'contact';
  id: string;
  title: string;
  /** Matched words are wrapped in U+0002 (start) and U+0003 (end); everything else is plain text. */
  snippet: string;
  /** Received time or event start, or null for contacts. */
  when: string | null;
};

export type SearchResults = {
  query: string;
  mail: SearchHit[];
  events: SearchHit[];
  contacts: SearchHit[];
};

// ---------------------------------------------------------------- data allowance

export type AllowanceLevel = 'normal' | 'saver' | 'critical';

export type DataOverview = {
  /** The billing cycle, as local dates "YYYY-MM-DD" (end inclusive). */
  cycleStart: string;
  cycleEnd: string;
  capBytes: number;
  /** The app's own use on mobile data this cycle. */
  appMobileBytes: number;
  /** The app's own use on Wi-Fi this cycle (does not count against the cap). */
  appWifiBytes: number;
  /** The whole phone's mobile data this cycle, as entered by the member or read from the OS; null if unknown. */
  deviceBytes: number | null;
  /** Warning thresholds as fractions of the cap, e.g. [0.5, 0.75, 0.9, 1]. */
  thresholds: number[];
  /** Mobile bytes per day of the cycle so far, oldest first. */
  daily: Array<{ date: string; bytes: number }>;
  projection: {
    /** Expected mobile use by the cycle's end, with a likely range. */
    expectedBytes: number;
    lowBytes: number;
    highBytes: number;
    /** e.g. "At this rate you will use about 740 MB by 14 December." */
    sentence: string;
  };
  byFeature: Array<{ feature: string; label: string; mobileBytes: number; wifiBytes: number }>;
  lastSync: { at: string; bytes: number } | null;
  level: AllowanceLevel;
  /** Why the level is what it is, in plain words. */
  levelReason: string;
  /** Set when the member chose the level themselves, or is spending an allowance "anyway". */
  override: { level: AllowanceLevel | null; extraBytesLeft: number | null } | null;
  /** The network the app counts its use against: mobile data or Wi-Fi. */
  network: 'mobile' | 'wifi';
  /**
   * True when the member says which network the device is on (`data_set_network`); false once
   * the core reads it from the system itself. True on every platform today.
   */
  networkSettable: boolean;
};

/**
 * Event `allowance-alert`: a data-allowance threshold was crossed (once per threshold per
 * cycle). Also shown as a system notification; the app shows it too.
 */
export type AllowanceAlert = {
  /** The threshold crossed, in per cent of the allowance, e.g. 75 or 100. */
  percent: number;
  /** e.g. "75% of your mobile data used". */
  title: string;
  /** A plain sentence or two on what it means and what the app does now. */
  body: string;
};

// ---------------------------------------------------------------- trial evidence

/** The member's answer to the first-run consent screen (null from the core until answered). */
export type Consent = {
  givenAt: string;
  /** Surveys may be offered. */
  surveys: boolean;
  /** Monthly usage reports may be sent. */
  usageReports: boolean;
  /** The pseudonymous code the trial's lists show instead of the member's name, e.g. "M-7F3K". */
  memberCode: string;
};

/** One entry of the "what we collect" page. */
export type CollectedItem = { what: string; detail: string };

/** The survey to offer now; `key` is passed back to send or dismiss it. */
export type SurveyDue = { surveyId: string; key: string; title: string };

export type SurveyQuestionKind = 'likert' | 'nps' | 'single' | 'multiple' | 'text';

/** A score 0–10 (nps), one of `choices` (likert, single), several (multiple), or free text. */
export type SurveyAnswer = number | string | string[];

export type SurveyQuestion = {
  id: string;
  text: string;
  kind: SurveyQuestionKind;
  /** The labels to choose from ("0" to "10" for nps; empty for text). */
  choices: string[];
  /** For text: the most characters allowed. */
  maxLength: number | null;
  required: boolean;
  answer: SurveyAnswer | null;
};

export type SurveyView = {
  responseId: string;
  surveyId: string;
  title: string;
  intro: string | null;
  /** Only the questions asked given the answers so far (the core does the branching). */
  questions: SurveyQuestion[];
  /** The first question asked without an answer, or null. */
  next: string | null;
  submitted: boolean;
};

export type HelpCategory = 'signIn' | 'sync' | 'data' | 'device' | 'howTo' | 'other';

/** One line of what a help request carries besides the member's words. */
export type DiagnosticLine = { label: string; value: string };

// ---------------------------------------------------------------- errors

/** How every command reports a failure. */
export type BackendError = {
  kind: string;
  message: string;
};
