// Types for the Rust commands, in the camelCase JSON the core sends.
// Hand-written for now; a later step will generate this file from the Rust types.

/** The signed-in council member. */
export type Member = {
  displayName: string;
  mail: string;
};

/** A mail folder with its message counts. */
export type MailFolder = {
  id: string;
  displayName: string;
  unreadItemCount: number;
  totalItemCount: number;
};

/** One message in a folder listing (headers only, no body). */
export type MessageSummary = {
  id: string;
  subject: string;
  from: string;
  /** ISO 8601 date and time, in UTC. */
  receivedDateTime: string;
  isRead: boolean;
};

/** What the `demo_overview` command returns. */
export type DemoOverview = {
  member: Member;
  /** Where the local council simulator listens, e.g. "http://127.0.0.1:43123". */
  simulatorUrl: string;
  folders: MailFolder[];
  /** Newest first, at most 50. */
  inbox: MessageSummary[];
};

/** How every command reports a failure. */
export type BackendError = {
  kind: string;
  message: string;
};
