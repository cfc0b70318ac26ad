// The one door to the Rust core. No other module may import `@tauri-apps/api`:
// components call the typed functions here, and tests mock this module.
// Command names and argument names match `src-tauri/src/commands/*` (Tauri turns the Rust
// snake_case arguments into camelCase).
import { invoke, isTauri } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
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
  EventDetail,
  EventResponse,
  HelpCategory,
  MailFolder,
  MessageCursor,
  MessageDetail,
  MessagePage,
  MessageSummary,
  NewMessage,
  OutboxItem,
  SearchResults,
  SurveyAnswer,
  SurveyDue,
  SurveyView,
  SyncProgress,
  SyncStatus,
} from './types';

export type * from './types';
export { errorMessage, isBackendError, GENERIC_ERROR_MESSAGE } from './errors';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  requireCore();
  return invoke<T>(command, args);
}

// account
export const accountStatus = () => call<AccountStatus>('account_status');
/** Opens the system browser at the council's sign-in page and waits for it to come back. */
export const signIn = () => call<AccountStatus>('sign_in');
export const signOut = () => call<AccountStatus>('sign_out');

// sync
export const syncStatus = () => call<SyncStatus>('sync_status');
/** Starts an update now (pull to refresh); resolves when it has finished. */
export const syncNow = () => call<SyncStatus>('sync_now');

// mail
export const mailFolders = () => call<MailFolder[]>('mail_folders');
export const mailPage = (folderId: string, after: MessageCursor | null, limit: number) =>
  call<MessagePage>('mail_page', { folderId, after, limit });
/** Opens a message: fetches its body if needed (and allowed), and marks it read. */
export const openMessage = (id: string) => call<MessageDetail>('mail_open', { id });
/** Downloads the blocked remote images (metered) and returns the body with them shown. */
export const showImages = (id: string) => call<MessageDetail>('mail_show_images', { id });
/** Fetches a body the data saver held back, because the member asked. */
export const fetchBody = (id: string) => call<MessageDetail>('mail_fetch_body', { id });
export const conversation = (conversationId: string) => call<MessageSummary[]>('mail_conversation', { conversationId });
export const markRead = (id: string, read: boolean) => call<void>('mail_mark_read', { id, read });
export const setFlag = (id: string, flagged: boolean) => call<void>('mail_flag', { id, flagged });
export const moveMessage = (id: string, folderId: string) => call<void>('mail_move', { id, folderId });
export const deleteMessage = (id: string) => call<void>('mail_delete', { id });
export const reply = (id: string, body: string, replyAll: boolean) => call<void>('mail_reply', { id, body, replyAll });
export const sendMessage = (message: NewMessage) => call<void>('mail_send', { message });
export const outbox = () => call<OutboxItem[]>('mail_outbox');
/** `confirmed` is true once the member has agreed to the size shown by a `confirm` answer. */
export const downloadAttachment = (messageId: string, attachmentId: string, confirmed: boolean) =>
  call<AttachmentDownload>('mail_download_attachment', { messageId, attachmentId, confirmed });

// calendar
/** `from` is a local date "YYYY-MM-DD"; days with no events are left out. */
export const agenda = (from: string, days: number) => call<AgendaDay[]>('calendar_agenda', { from, days });
export const eventDetails = (id: string) => call<EventDetail>('calendar_event', { id });
export const respondToEvent = (id: string, response: EventResponse, comment: string) =>
  call<void>('calendar_respond', { id, response, comment });

// contacts
export const contacts = (filter: string) => call<ContactSummary[]>('contacts_list', { filter });
export const contactDetails = (id: string) => call<ContactDetail>('contacts_get', { id });

// search
export const search = (query: string) => call<SearchResults>('search', { query });

// links
/** Opens a web, mail or phone link outside the app, after the UI has shown its real address. */
export const openExternal = (url: string) => call<void>('open_external', { url });

// data allowance
export const dataOverview = () => call<DataOverview>('data_overview');
export const setDeviceUsage = (bytes: number | null) => call<DataOverview>('data_set_device_usage', { bytes });
/** Null returns the level to automatic. */
export const setLevel = (level: AllowanceLevel | null) => call<DataOverview>('data_set_level', { level });
/** "Spend 20 MB anyway": lets the saver pass this many more bytes. */
export const spendAnyway = (bytes: number) => call<DataOverview>('data_spend_anyway', { bytes });
export const setNetwork = (network: 'mobile' | 'wifi') => call<DataOverview>('data_set_network', { network });

// trial evidence
/** Null until the member has answered the first-run consent screen. */
export const evidenceConsent = () => call<Consent | null>('evidence_consent');
export const setEvidenceConsent = (surveys: boolean, usageReports: boolean) =>
  call<Consent>('evidence_set_consent', { surveys, usageReports });
export const whatWeCollect = () => call<CollectedItem[]>('evidence_what_we_collect');
export const surveyDue = () => call<SurveyDue | null>('survey_due');
/** Opens a survey, or resumes the member's unfinished answers to it. */
export const openSurvey = (surveyId: string) => call<SurveyView>('survey_open', { surveyId });
/** Saves one answer at once (null clears it); the questions asked may change with it. */
export const answerSurvey = (responseId: string, questionId: string, answer: SurveyAnswer | null) =>
  call<SurveyView>('survey_answer', { responseId, questionId, answer });
/** `key` comes from `surveyDue`. Fails (kind "invalid") naming required questions still unanswered. */
export const submitSurvey = (responseId: string, key: string) => call<void>('survey_submit', { responseId, key });
/** "Not now": the survey is not offered again. */
export const dismissSurvey = (key: string) => call<void>('survey_dismiss', { key });
/** What a help request carries besides the member's words, to show them before sending. */
export const helpDiagnostics = () => call<DiagnosticLine[]>('help_diagnostics');
/** Queues a help request (delivered with the next update); returns its id. */
export const sendHelp = (category: HelpCategory, description: string) =>
  call<string>('help_send', { category, description });

// events
export function onSyncProgress(handler: (progress: SyncProgress) => void): Promise<UnlistenFn> {
  return isTauri() ? listen<SyncProgress>('sync-progress', (e) => handler(e.payload)) : Promise.resolve(() => {});
}
export function onDataChanged(handler: (changed: DataChanged) => void): Promise<UnlistenFn> {
  return isTauri() ? listen<DataChanged>('data-changed', (e) => handler(e.payload)) : Promise.resolve(() => {});
}
export function onSyncStatus(handler: (status: SyncStatus) => void): Promise<UnlistenFn> {
  return isTauri() ? listen<SyncStatus>('sync-status', (e) => handler(e.payload)) : Promise.resolve(() => {});
}
/** A data-allowance threshold was crossed (once per threshold per cycle). */
export function onAllowanceAlert(handler: (alert: AllowanceAlert) => void): Promise<UnlistenFn> {
  return isTauri() ? listen<AllowanceAlert>('allowance-alert', (e) => handler(e.payload)) : Promise.resolve(() => {});
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
