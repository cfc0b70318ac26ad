// The one door to the Rust core. No other module may import `@tauri-apps/api`: the state
// classes in `../state` call the functions here, and tests mock this module. The commands and
// their types are generated from the Rust side (`bindings.ts`); this module unwraps their
// results, so a failure arrives as a thrown `AppError` whose `kind` the UI branches on.
import { isTauri } from '@tauri-apps/api/core';
import type { UnlistenFn } from '@tauri-apps/api/event';
import { commands, events } from './bindings';
import type {
  AccountStatus,
  AgendaDay,
  AllowanceAlert,
  AllowanceLevel,
  AttachmentDownload,
  BackendError,
  CollectedItem,
  Consent,
  ContactDetail,
  ContactSummary,
  DataChanged,
  DataOverview,
  DiagnosticLine,
  DisplaySettings,
  EventDetail,
  EventResponse,
  HelpCategory,
  LinkRequestedEvent,
  NoticeTarget,
  MailFolder,
  MessageCursor,
  MessageDetail,
  MessagePage,
  MessageSummary,
  NetworkChoice,
  NotificationSettings,
  NewMessage,
  OutboxItem,
  ProtectionSettings,
  ProtectionStatus,
  SearchResults,
  ServerSearchResults,
  SurveyAnswer,
  SurveyDue,
  SurveyView,
  SyncProgress,
  SyncStatus,
  DirectoryPage,
  DirectoryPerson,
  AddressSuggestion,
  ForwardMessage,
  StagedAttachment,
  SendCost,
  HelpRequestItem,
  CommitteeMeetingSummary,
  CommitteeMeetingView,
  PaperDownload,
  PaperPiece,
  PaperNotesView,
} from './types';
import { decodeBase64Into } from './base64';

export type * from './types';
export {
  errorAction,
  errorMessage,
  isBackendError,
  toBackendError,
  GENERIC_ERROR_MESSAGE,
  OFFLINE_NOTICE,
  type ErrorAction,
} from './errors';

type Answer<T> = { status: 'ok'; data: T } | { status: 'error'; error: BackendError };

/** Runs a generated command: its data, or its `AppError` thrown for the caller to branch on. */
async function call<T>(command: () => Promise<Answer<T>>): Promise<T> {
  requireCore();
  const answer = await command();
  if (answer.status === 'error') throw answer.error;
  return answer.data;
}

// app lock
/** Where the app lock stands: choose a PIN, locked, needs to reach the council, or open. */
export const protectionStatus = () => call<ProtectionStatus>(commands.protectionStatus);
/** Only while choosing a PIN; a PIN of the wrong form fails with kind "invalid". */
export const protectionChoosePin = (pin: string) => call<ProtectionStatus>(() => commands.protectionChoosePin(pin));
/**
 * A wrong PIN is not a failure: the answer is the locked status with the tries left (or, at the
 * limit, `choosePin` with a wipe notice). A PIN sent while a wait runs fails with kind "locked".
 */
export const protectionUnlock = (pin: string) => call<ProtectionStatus>(() => commands.protectionUnlock(pin));
export const protectionLock = () => call<ProtectionStatus>(commands.protectionLock);
/** A wrong current PIN fails with kind "invalid", and counts as a wrong PIN. */
export const protectionChangePin = (current: string, next: string) =>
  call<null>(() => commands.protectionChangePin(current, next)).then(() => {});
/** "Forgotten your PIN?": removes everything from the device; the answer is `choosePin`. */
export const protectionForgetPin = () => call<ProtectionStatus>(commands.protectionForgetPin);
/** The member did something: the core starts its idle timer again. */
export const protectionTouch = () => call<null>(commands.protectionTouch).then(() => {});
export const protectionSettings = () => call<ProtectionSettings>(commands.protectionSettings);

// account
export const accountStatus = () => call<AccountStatus>(commands.accountStatus);
/** Opens the system browser at the council's sign-in page and waits for it to come back. */
export const signIn = () => call<AccountStatus>(commands.signIn);
export const signOut = () => call<AccountStatus>(commands.signOut);

// updates
export const syncStatus = (): Promise<SyncStatus> => {
  requireCore();
  return commands.syncStatus();
};
/** Starts an update now (pull to refresh); resolves when it has finished. */
export const syncNow = () => call<SyncStatus>(commands.syncNow);

// mail
export const mailFolders = () => call<MailFolder[]>(commands.mailFolders);
export const mailPage = (folderId: string, after: MessageCursor | null, limit: number) =>
  call<MessagePage>(() => commands.mailPage(folderId, after, limit));
/** Opens a message: fetches its body if needed (and allowed), and marks it read. */
export const openMessage = (id: string) => call<MessageDetail>(() => commands.mailOpen(id));
/** Shows in full a message that was shown as text (too large or too deeply nested). */
export const openMessageFull = (id: string) => call<MessageDetail>(() => commands.mailOpenFull(id));
/** Downloads the blocked remote images (metered) and returns the body with them shown. */
export const showImages = (id: string) => call<MessageDetail>(() => commands.mailShowImages(id));
/** Fetches a body the data saver held back, because the member asked. */
export const fetchBody = (id: string) => call<MessageDetail>(() => commands.mailFetchBody(id));
export const conversation = (conversationId: string) => call<MessageSummary[]>(() => commands.mailConversation(conversationId));
export const markRead = (id: string, read: boolean) => call<null>(() => commands.mailMarkRead(id, read)).then(() => {});
export const setFlag = (id: string, flagged: boolean) => call<null>(() => commands.mailFlag(id, flagged)).then(() => {});
export const moveMessage = (id: string, folderId: string) => call<null>(() => commands.mailMove(id, folderId)).then(() => {});
export const deleteMessage = (id: string) => call<null>(() => commands.mailDelete(id)).then(() => {});
export const reply = (id: string, body: string, replyAll: boolean) =>
  call<null>(() => commands.mailReply(id, body, replyAll)).then(() => {});
export const sendMessage = (message: NewMessage) => call<null>(() => commands.mailSend(message)).then(() => {});
/** Forwards a message with its own files (and any staged ones); queued until online. */
export const forwardMessage = (forward: ForwardMessage) =>
  call<null>(() => commands.mailForward(forward)).then(() => {});
/** Keeps a chosen file (its bytes in base64) until the message is sent; too large or empty is "invalid". */
export const stageAttachment = (name: string, contentType: string, contentBase64: string) =>
  call<StagedAttachment>(() => commands.mailStageAttachment(name, contentType, contentBase64));
export const unstageAttachment = (id: string) => call<null>(() => commands.mailUnstageAttachment(id)).then(() => {});
/** What sending these staged files costs on the network in use now (a note on mobile data). */
export const sendCost = (attachments: string[]) => call<SendCost>(() => commands.mailSendCost(attachments));
export const outbox = () => call<OutboxItem[]>(commands.mailOutbox);
/** `confirmed` is true once the member has agreed to the size shown by a `confirm` answer. */
export const downloadAttachment = (messageId: string, attachmentId: string, confirmed: boolean) =>
  call<AttachmentDownload>(() => commands.mailDownloadAttachment(messageId, attachmentId, confirmed));

// calendar
/** `from` is a local date "YYYY-MM-DD"; days with no events are left out. */
export const agenda = (from: string, days: number) => call<AgendaDay[]>(() => commands.calendarAgenda(from, days));
export const eventDetails = (id: string) => call<EventDetail>(() => commands.calendarEvent(id));
export const respondToEvent = (id: string, response: EventResponse, comment: string) =>
  call<null>(() => commands.calendarRespond(id, response, comment)).then(() => {});

// committee papers
/** The member's committees' meetings in the coming weeks, soonest first, from the phone's copy. */
export const papersMeetings = () => call<CommitteeMeetingSummary[]>(() => commands.papersMeetings());
/** One meeting's agenda with its papers; opening it marks its papers as seen. */
export const papersMeeting = (meetingId: number) => call<CommitteeMeetingView>(() => commands.papersMeeting(meetingId));
/**
 * Puts a paper on the phone (`stored`), or answers with its size to agree to first (`confirm`);
 * `confirmed` is true once the member has agreed.
 */
export const fetchPaper = (meetingId: number, paperId: number, confirmed: boolean) =>
  call<PaperDownload>(() => commands.papersFetch(meetingId, paperId, confirmed));

/**
 * A stored paper's bytes, read from the core in pieces (each up to 4 MiB, in base64) and
 * decoded one by one into their place in a single buffer.
 */
export async function readPaper(meetingId: number, paperId: number): Promise<Uint8Array> {
  let bytes: Uint8Array | null = null;
  let offset = 0;
  for (;;) {
    const piece = await call<PaperPiece>(() => commands.papersRead(meetingId, paperId, offset));
    // Each piece must start where the last ended, and the paper must not change meanwhile.
    if (piece.offset !== offset || !Number.isSafeInteger(piece.total) || piece.total < 0) throw unreadablePaper();
    if (bytes !== null && piece.total !== bytes.length) throw unreadablePaper();
    bytes ??= new Uint8Array(piece.total);
    let written: number;
    try {
      written = decodeBase64Into(piece.base64, bytes, offset);
    } catch {
      throw unreadablePaper();
    }
    if (offset + written >= piece.total) return bytes;
    // A piece with nothing in it before the end would ask for the same piece for ever.
    if (written === 0) throw unreadablePaper();
    offset += written;
  }
}

function unreadablePaper(): BackendError {
  return { kind: 'storage', message: 'The paper saved on this phone could not be read. Please try again' };
}

// the member's notes on papers: each answer is the paper's notes as they now stand
/** The member's notes on a paper, from the phone, with where they stand with their OneDrive. */
export const paperNotes = (meetingId: number, paperId: number) =>
  call<PaperNotesView>(() => commands.papersNotes(meetingId, paperId));
/**
 * Writes a note (a new one when `noteId` is null; `page` null is about the whole paper), and saves
 * the paper's notes to the member's OneDrive where they keep them there.
 */
export const savePaperNote = (meetingId: number, paperId: number, noteId: number | null, page: number | null, text: string) =>
  call<PaperNotesView>(() => commands.papersNoteSave(meetingId, paperId, noteId, page, text));
export const deletePaperNote = (meetingId: number, paperId: number, noteId: number) =>
  call<PaperNotesView>(() => commands.papersNoteDelete(meetingId, paperId, noteId));
/** Whether the member keeps their notes on papers (all of them, not only this one's) in their OneDrive too. */
export const setNotesToOneDrive = (meetingId: number, paperId: number, on: boolean) =>
  call<PaperNotesView>(() => commands.papersNotesToOnedrive(meetingId, paperId, on));

// contacts
export const contacts = (filter: string) => call<ContactSummary[]>(() => commands.contactsList(filter));
export const contactDetails = (id: string) => call<ContactDetail>(() => commands.contactsGet(id));

// the council's directory
/** People matching `query`, or everyone by name; from the phone's copy (refreshed on Wi-Fi). */
export const directorySearch = (query: string) => call<DirectoryPage>(() => commands.directorySearch(query));
export const directoryPerson = (id: string) => call<DirectoryPerson>(() => commands.directoryPerson(id));
/** Addresses for what has been typed: contacts first, then the directory; works offline. */
export const addressSuggestions = (typed: string) =>
  call<AddressSuggestion[]>(() => commands.addressSuggestions(typed));

// search
export const search = (query: string) => call<SearchResults>(() => commands.search(query));
// notifications
export const notificationSettings = () => call<NotificationSettings>(commands.notificationsSettings);
export const setNotificationSettings = (settings: NotificationSettings) =>
  call<NotificationSettings>(() => commands.notificationsSetSettings(settings));

export const searchServer = (query: string) =>
  call<ServerSearchResults>(() => commands.searchServer(query));

// links
/** Opens a web, mail or phone link outside the app, after the UI has shown its real address. */
export const openExternal = (url: string) => call<null>(() => commands.openExternal(url)).then(() => {});

// data allowance
export const dataOverview = () => call<DataOverview>(commands.dataOverview);
export const setDeviceUsage = (bytes: number | null) => call<DataOverview>(() => commands.dataSetDeviceUsage(bytes));
/** Null returns the level to automatic. */
export const setLevel = (level: AllowanceLevel | null) => call<DataOverview>(() => commands.dataSetLevel(level));
/** "Spend 20 MB anyway": lets the saver pass this many more bytes. */
export const spendAnyway = (bytes: number) => call<DataOverview>(() => commands.dataSpendAnyway(bytes));
export const setNetwork = (network: NetworkChoice) => call<DataOverview>(() => commands.dataSetNetwork(network));

// trial evidence
/** Null until the member has answered the first-run consent screen. */
export const evidenceConsent = () => call<Consent | null>(commands.evidenceConsent);
export const setEvidenceConsent = (surveys: boolean, usageReports: boolean) =>
  call<Consent>(() => commands.evidenceSetConsent(surveys, usageReports));
export const whatWeCollect = (): Promise<CollectedItem[]> => {
  requireCore();
  return commands.evidenceWhatWeCollect();
};
export const surveyDue = () => call<SurveyDue | null>(commands.surveyDue);
/** Opens a survey, or resumes the member's unfinished answers to it. */
export const openSurvey = (surveyId: string) => call<SurveyView>(() => commands.surveyOpen(surveyId));
/** Saves one answer at once (null clears it); the questions asked may change with it. */
export const answerSurvey = (responseId: string, questionId: string, answer: SurveyAnswer | null) =>
  call<SurveyView>(() => commands.surveyAnswer(responseId, questionId, answer));
/** `key` comes from `surveyDue`. Fails (kind "invalid") naming required questions still unanswered. */
export const submitSurvey = (responseId: string, key: string) =>
  call<null>(() => commands.surveySubmit(responseId, key)).then(() => {});
/** "Not now": the survey is not offered again. */
export const dismissSurvey = (key: string) => call<null>(() => commands.surveyDismiss(key)).then(() => {});
/** What a help request carries besides the member's words, to show them before sending. */
export const helpDiagnostics = () => call<DiagnosticLine[]>(commands.helpDiagnostics);
/** Queues a help request (delivered with the next update); returns its id. */
/** The member's requests for help, newest first, with the service desk's answers. */
export const helpRequests = () => call<HelpRequestItem[]>(commands.helpRequests);
/** The display and assistive settings the screen is shown with, for the trial's figures. */
export const displaySettingsSeen = (settings: DisplaySettings) =>
  call<null>(() => commands.displaySettingsSeen(settings)).then(() => {});
export const sendHelp = (category: HelpCategory, description: string) =>
  call<string>(() => commands.helpSend(category, description));

// events (outside the app there are none)
export function onSyncProgress(handler: (progress: SyncProgress) => void): Promise<UnlistenFn> {
  return isTauri() ? events.syncProgress.listen((e) => handler(e.payload)) : Promise.resolve(() => {});
}
export function onDataChanged(handler: (changed: DataChanged) => void): Promise<UnlistenFn> {
  return isTauri() ? events.dataChanged.listen((e) => handler(e.payload)) : Promise.resolve(() => {});
}
export function onSyncStatus(handler: (status: SyncStatus) => void): Promise<UnlistenFn> {
  return isTauri() ? events.syncStatus.listen((e) => handler(e.payload)) : Promise.resolve(() => {});
}
/**
 * A link in a message or event body was clicked: the shell refused to follow it and asks the UI
 * to show where it goes. Nothing is opened until the member agrees (see `openExternal`).
 */
export function onLinkRequested(handler: (request: LinkRequestedEvent) => void): Promise<UnlistenFn> {
  return isTauri() ? events.linkRequested.listen((e) => handler(e.payload)) : Promise.resolve(() => {});
}
/** The member clicked one of the app's notifications (the Linux desktop's, for now). */
export function onNoticeOpened(handler: (target: NoticeTarget) => void): Promise<UnlistenFn> {
  return isTauri() ? events.noticeOpened.listen((e) => handler(e.payload)) : Promise.resolve(() => {});
}
/** A data-allowance threshold was crossed (once per threshold per cycle). */
export function onAllowanceAlert(handler: (alert: AllowanceAlert) => void): Promise<UnlistenFn> {
  return isTauri() ? events.allowanceAlert.listen((e) => handler(e.payload)) : Promise.resolve(() => {});
}

/** Fails plainly when the page is opened in a web browser instead of the app. */
function requireCore(): void {
  if (!isTauri()) {
    const error: BackendError = {
      kind: 'unavailable',
      message: 'Member Companion is not running. Open it from its app icon, not in a web browser',
    };
    throw error;
  }
}
