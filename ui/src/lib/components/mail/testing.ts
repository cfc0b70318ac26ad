// Shared test data for the mail components' tests.
import type { MailFolder, MessageCursor, MessageDetail, MessagePage, MessageSummary } from '../../ipc';

export const folders: MailFolder[] = [
  { id: 'f-sent', displayName: 'Sent Items', wellKnownName: 'sentitems', unreadItemCount: 0, totalItemCount: 12 },
  { id: 'f-casework', displayName: 'Casework', wellKnownName: null, unreadItemCount: 5, totalItemCount: 9 },
  { id: 'f-inbox', displayName: 'Inbox', wellKnownName: 'inbox', unreadItemCount: 2, totalItemCount: 10000 },
  { id: 'f-archive', displayName: 'Archive', wellKnownName: 'archive', unreadItemCount: 0, totalItemCount: 400 },
  { id: 'f-deleted', displayName: 'Deleted Items', wellKnownName: 'deleteditems', unreadItemCount: 0, totalItemCount: 3 },
];

export function summary(n: number, overrides: Partial<MessageSummary> = {}): MessageSummary {
  // Newest first, one minute apart.
  const received = new Date(Date.UTC(2025, 6, 1, 8, 5) - n * 60_000).toISOString();
  return {
    id: `m${n}`,
    conversationId: null,
    subject: `Message number ${n}`,
    from: `Sender ${n}`,
    fromAddress: `sender${n}@example.gov.uk`,
    receivedDateTime: received,
    preview: `Preview of message ${n}`,
    isRead: n % 3 !== 0,
    flagged: false,
    hasAttachments: false,
    importance: 'normal',
    ...overrides,
  };
}

/** A folder of `count` messages served by keyset pages, like the core's mail_page. */
export function pagedFolder(count: number) {
  const all = Array.from({ length: count }, (_, index) => summary(index));
  return (after: MessageCursor | null, limit: number): MessagePage => {
    const start = after === null ? 0 : all.findIndex((message) => message.id === after.id) + 1;
    const items = all.slice(start, start + limit);
    const last = items[items.length - 1];
    const more = start + limit < all.length && last !== undefined;
    return {
      items,
      next: more ? { receivedDateTime: last.receivedDateTime, id: last.id } : null,
      total: all.length,
    };
  };
}

export function detail(overrides: Partial<MessageDetail> = {}): MessageDetail {
  return {
    ...summary(1),
    id: 'm1',
    subject: 'Planning committee agenda',
    from: 'Democratic Services',
    fromAddress: 'democratic.services@demo-council.gov.uk',
    receivedDateTime: '2025-07-01T08:05:00Z',
    preview: 'Please find the agenda attached.',
    isRead: true,
    to: [{ name: 'Cllr Priya Shah', address: 'priya.shah@demo-council.gov.uk' }],
    cc: [{ name: 'Sam Clerk', address: 'sam.clerk@demo-council.gov.uk' }],
    bodyState: 'ready',
    heldBackReason: null,
    bodyHtml: '<p>Please find the agenda attached. <a href="https://demo-council.gov.uk/agenda">Agenda</a></p>',
    textForm: null,
    blockedImages: { count: 0, approxBytes: null },
    imagesShown: false,
    attachments: [],
    ...overrides,
  };
}

export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
