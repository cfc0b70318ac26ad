// The types that cross to the Rust core. They are generated from the Rust views into
// `bindings.ts` (do not edit that file; a Rust test fails when it is out of date). This module
// only gives the UI's names to a few of them.
export type {
  AccountStatus,
  AgendaDay,
  AllowanceAlert,
  AllowanceLevel,
  AttachmentDownload,
  AttachmentInfo,
  Attendee,
  AttendeeKind,
  BodyState,
  CollectedItem,
  Consent,
  ContactDetail,
  DataChanged,
  DataOverview,
  DiagnosticLine,
  ErrorKind,
  EventDetail,
  EventResponse,
  EventSummary,
  HelpCategory,
  Importance,
  LinkRequestedEvent,
  MailFolder,
  Member,
  MessageCursor,
  MessageDetail,
  MessagePage,
  MessageSummary,
  NetworkChoice,
  NetworkKind,
  NetworkSource,
  NewMessage,
  OutboxItem,
  OutboxItemState,
  ProgressCollection,
  ProtectionSettings,
  ProtectionStatus,
  Recipient,
  ResponseStatus,
  SearchHit,
  SearchHitKind,
  NotificationSettings,
  SearchResults,
  ServerSearchResults,
  SurveyAnswer,
  SurveyDue,
  SurveyQuestion,
  SurveyQuestionKind,
  SurveyView,
  SyncProgress,
  SyncStatus,
  WipeNotice,
  WipeReason,
} from './bindings';

import type { AppError, Collection, ContactDetail } from './bindings';

/** How every command reports a failure: a kind the UI acts on, and a plain message. */
export type BackendError = AppError;
/** A part of what the app shows that changed. */
export type ChangedCollection = Collection;
/** A contact as a list shows it (the core sends the whole contact). */
export type ContactSummary = Pick<ContactDetail, 'id' | 'displayName' | 'jobTitle' | 'companyName' | 'emails' | 'phones'>;
