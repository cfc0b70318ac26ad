// The mail screens' view of the core: folders, the chosen folder's messages a page at a time,
// the open message and what can be done to it, writing, and the outbox.
import {
  conversation,
  deleteMessage,
  downloadAttachment,
  fetchBody,
  mailFolders,
  mailPage,
  markRead,
  moveMessage,
  openExternal,
  openMessage,
  openMessageFull,
  outbox,
  reply,
  sendMessage,
  forwardMessage,
  stageAttachment,
  unstageAttachment,
  sendCost,
  setFlag,
  showImages,
  type AttachmentDownload,
  type AttachmentInfo,
  type ChangedCollection,
  type MailFolder,
  type MessageCursor,
  type MessageDetail,
  type MessagePage,
  type MessageSummary,
  type NewMessage,
  type ForwardMessage,
  type StagedAttachment,
  type SendCost,
  type OutboxItem,
} from '../ipc';
import { Resource, type ErrorReport, type LoadOptions } from './resource.svelte';
import { Task } from './task.svelte';

/** Messages asked for at a time. */
export const PAGE_SIZE = 100;

/** The folder a member lands in: the Inbox, or the first folder if there is none. */
export function defaultFolder(folders: readonly MailFolder[]): MailFolder | null {
  return folders.find((folder) => folder.wellKnownName?.toLowerCase() === 'inbox') ?? folders[0] ?? null;
}

/** `page` added to what is loaded, without repeating a message that moved between pages. */
function appendPage(loaded: MessagePage, page: MessagePage): MessagePage {
  const known = new Set(loaded.items.map((message) => message.id));
  return { items: loaded.items.concat(page.items.filter((message) => !known.has(message.id))), total: page.total, next: page.next };
}

/** A folder's first pages, until at least `wanted` messages (or the whole folder) are loaded. */
async function firstPages(folderId: string, wanted: number): Promise<MessagePage> {
  let loaded: MessagePage = { items: [], total: 0, next: null };
  let after: MessageCursor | null = null;
  do {
    const page: MessagePage = await mailPage(folderId, after, PAGE_SIZE);
    loaded = appendPage(loaded, page);
    after = page.next;
  } while (after !== null && loaded.items.length < wanted);
  return loaded;
}

/** The messages of one folder, loaded a page at a time with the core's keyset cursor. */
export class FolderMessages {
  readonly list: Resource<MessagePage>;
  folderId = $state<string | null>(null);
  /** A further page is on its way (not the first page, nor a reload). */
  loadingMore = $state(false);

  constructor(report: ErrorReport) {
    this.list = new Resource(report);
  }

  /** Shows a folder from its first page. */
  show(folderId: string | null): Promise<boolean> {
    this.folderId = folderId;
    this.loadingMore = false;
    if (folderId === null) {
      this.list.clear();
      return Promise.resolve(false);
    }
    return this.list.load(() => mailPage(folderId, null, PAGE_SIZE), { clear: true });
  }

  /** Loads the next page, unless there is none or something is already on its way. */
  async more(): Promise<void> {
    const folderId = this.folderId;
    const loaded = this.list.current;
    if (folderId === null || !loaded?.next || this.list.loading || this.list.error) return;
    const after = loaded.next;
    this.loadingMore = true;
    try {
      await this.list.load(async () => appendPage(this.list.current ?? loaded, await mailPage(folderId, after, PAGE_SIZE)));
    } finally {
      this.loadingMore = false;
    }
  }

  /**
   * Loads the folder again after the cache changed, as far as the member had scrolled, and swaps
   * it in at once: the place in the list, the selection and keyboard focus stay where they were.
   */
  reload(): Promise<boolean> {
    const folderId = this.folderId;
    const loaded = this.list.current;
    if (folderId === null) return Promise.resolve(false);
    if (!loaded) return this.show(folderId);
    const wanted = Math.max(loaded.items.length, PAGE_SIZE);
    return this.list.load(() => firstPages(folderId, wanted));
  }

  /** Changes one row at once (read, flagged) without waiting for the cache to report. */
  patch(id: string, changes: Partial<MessageSummary>): void {
    this.list.update((loaded) => ({
      ...loaded,
      items: loaded.items.map((message) => (message.id === id ? { ...message, ...changes } : message)),
    }));
  }

  /**
   * Takes a moved or deleted message out of the list. Returns the id of the message that takes
   * its place (the next one, or the one before at the end), so focus has somewhere to go.
   */
  remove(id: string): string | null {
    const items = this.list.current?.items ?? [];
    const index = items.findIndex((message) => message.id === id);
    if (index < 0) return null;
    const rest = items.filter((message) => message.id !== id);
    this.list.update((loaded) => ({ ...loaded, items: rest, total: Math.max(0, loaded.total - 1) }));
    return (rest[index] ?? rest[index - 1])?.id ?? null;
  }
}

/** The message open for reading, the rest of its conversation, and what can be done to it. */
export class MessageReader {
  readonly detail: Resource<MessageDetail>;
  readonly thread: Resource<MessageSummary[]>;
  /** One action at a time, named: read, flag, move, delete, images, body or attachment-<id>. */
  readonly action: Task;
  /** Where the open message's attachments were saved this time, by attachment id. */
  savedPaths = $state.raw<Record<string, string>>({});
  readonly #mail: MailState;

  constructor(report: ErrorReport, mail: MailState) {
    this.detail = new Resource(report);
    this.thread = new Resource(report);
    this.action = new Task(report);
    this.#mail = mail;
  }

  /** Opens a message (the core fetches its body if allowed, and marks it read). */
  async open(id: string): Promise<boolean> {
    this.savedPaths = {};
    this.action.dismiss();
    this.thread.clear();
    const opened = await this.detail.load(() => openMessage(id), { clear: true });
    const message = this.detail.current;
    if (!opened || !message) return false;
    this.#mail.messageChanged(message);
    void this.loadThread();
    return true;
  }

  /** The other messages of the open message's conversation, oldest first. */
  loadThread(): Promise<boolean> {
    const message = this.detail.current;
    const conversationId = message?.conversationId;
    if (!message || !conversationId) return Promise.resolve(false);
    return this.thread.load(async () =>
      (await conversation(conversationId))
        .filter((other) => other.id !== message.id)
        .sort((a, b) => a.receivedDateTime.localeCompare(b.receivedDateTime)),
    );
  }

  toggleRead(): Promise<boolean> {
    return this.#act('read', async (message) => {
      const isRead = !message.isRead;
      await markRead(message.id, isRead);
      this.#changed(message.id, { isRead });
    });
  }

  toggleFlag(): Promise<boolean> {
    return this.#act('flag', async (message) => {
      const flagged = !message.flagged;
      await setFlag(message.id, flagged);
      this.#changed(message.id, { flagged });
    });
  }

  move(folder: MailFolder): Promise<boolean> {
    return this.#act('move', (message) => moveMessage(message.id, folder.id));
  }

  delete(): Promise<boolean> {
    return this.#act('delete', (message) => deleteMessage(message.id));
  }

  /** Downloads the blocked pictures (metered) and shows the body with them. */
  showImages(): Promise<boolean> {
    return this.#act('images', async (message) => {
      await this.detail.change(() => showImages(message.id));
    });
  }

  /** Shows in full a message shown as its text because it is too large or too complex. */
  openFull(): Promise<boolean> {
    return this.#act('full', async (message) => {
      await this.detail.change(() => openMessageFull(message.id));
    });
  }

  /** Fetches a body that was not downloaded, or that the data saver held back. */
  fetchBody(): Promise<boolean> {
    return this.#act('body', async (message) => {
      await this.detail.change(() => fetchBody(message.id));
    });
  }

  /**
   * Saves an attachment, or answers with the size to confirm first on mobile data. Null when it
   * failed, or when another message was opened meanwhile.
   */
  async download(attachment: AttachmentInfo, confirmed: boolean): Promise<AttachmentDownload | null> {
    let answer = null as AttachmentDownload | null;
    await this.#act(`attachment-${attachment.id}`, async (message) => {
      const result = await downloadAttachment(message.id, attachment.id, confirmed);
      if (this.detail.current?.id !== message.id) return;
      if (result.state === 'saved') this.savedPaths = { ...this.savedPaths, [attachment.id]: result.path };
      answer = result;
    });
    return answer;
  }

  /** Opens a link from the body outside the app, once the member has seen where it goes. */
  openLink(url: string): Promise<boolean> {
    return this.action.run(() => openExternal(url), 'link');
  }

  clear(): void {
    this.detail.clear();
    this.thread.clear();
    this.action.dismiss();
    this.savedPaths = {};
  }

  #act(name: string, work: (message: MessageDetail) => Promise<void>): Promise<boolean> {
    const message = this.detail.current;
    return message ? this.action.run(() => work(message), name) : Promise.resolve(false);
  }

  #changed(id: string, changes: Partial<MessageDetail>): void {
    this.detail.update((message) => (message.id === id ? { ...message, ...changes } : message));
    const message = this.detail.current;
    if (message?.id === id) this.#mail.messageChanged(message);
  }
}

export class MailState {
  readonly folders: Resource<MailFolder[]>;
  readonly outbox: Resource<OutboxItem[]>;
  /** The chosen folder's messages. */
  readonly messages: FolderMessages;
  readonly reader: MessageReader;
  /** A new message or a reply on its way to the outbox. */
  readonly sending: Task;
  /** The Outbox is shown instead of a folder. */
  showingOutbox = $state(false);

  constructor(report: ErrorReport) {
    this.folders = new Resource(report);
    this.outbox = new Resource(report);
    this.messages = new FolderMessages(report);
    this.reader = new MessageReader(report, this);
    this.sending = new Task(report);
  }

  get currentFolder(): MailFolder | null {
    return this.folders.current?.find((folder) => folder.id === this.messages.folderId) ?? null;
  }

  /** Items in the outbox not yet sent. */
  get waitingInOutbox(): number {
    return (this.outbox.current ?? []).filter((item) => item.state !== 'sent').length;
  }

  /** Loads what the mail screen needs first, unless it is loaded or on its way. */
  open(): void {
    if (!this.folders.loaded && !this.folders.loading) void this.loadFolders();
    if (!this.outbox.loaded && !this.outbox.loading) void this.loadOutbox();
  }

  /** Loads the folders; if the chosen one has gone (or none is chosen yet), shows the Inbox. */
  async loadFolders(options?: LoadOptions): Promise<void> {
    const loaded = await this.folders.load(mailFolders, options);
    const folders = this.folders.current;
    if (!loaded || !folders || this.showingOutbox) return;
    if (!folders.some((folder) => folder.id === this.messages.folderId)) {
      void this.messages.show(defaultFolder(folders)?.id ?? null);
    }
  }

  loadOutbox(): Promise<boolean> {
    return this.outbox.load(outbox);
  }

  chooseFolder(folderId: string): void {
    this.showingOutbox = false;
    void this.messages.show(folderId);
  }

  chooseOutbox(): void {
    this.showingOutbox = true;
    void this.loadOutbox();
  }

  /** The core's saved mail or outbox changed. */
  changed(collections: readonly ChangedCollection[]): void {
    if (collections.includes('mail')) {
      if (this.folders.loaded) void this.loadFolders({ quiet: true });
      void this.messages.reload();
    }
    if (collections.includes('mail') || collections.includes('outbox')) void this.outbox.refresh();
  }

  /** The open message changed (opening marks it read): keep its row and the unread counts in step. */
  messageChanged(message: MessageDetail): void {
    const row = this.messages.list.current?.items.find((item) => item.id === message.id);
    this.messages.patch(message.id, { isRead: message.isRead, flagged: message.flagged });
    if (row && row.isRead !== message.isRead) void this.loadFolders({ quiet: true });
  }

  /** A message was moved or deleted. Returns the id of the one that takes its place in the list. */
  removed(id: string): string | null {
    const neighbour = this.messages.remove(id);
    this.reader.clear();
    void this.loadFolders({ quiet: true });
    void this.outbox.refresh();
    return neighbour;
  }

  /** Queues a new message; the core sends it when the device is online. */
  send(message: NewMessage): Promise<boolean> {
    return this.sending.run(async () => {
      await sendMessage(message);
      void this.outbox.refresh();
    });
  }

  /** Queues a forward of `forward.messageId` with its own files and any staged ones. */
  forward(forward: ForwardMessage): Promise<boolean> {
    return this.sending.run(async () => {
      await forwardMessage(forward);
      void this.outbox.refresh();
    });
  }

  /** Keeps a chosen file until the message goes; its id and size, or the core's refusal. */
  stage(name: string, contentType: string, contentBase64: string): Promise<StagedAttachment> {
    return stageAttachment(name, contentType, contentBase64);
  }

  /** Takes a staged file off again (failures are not the member's to handle). */
  unstage(id: string): Promise<void> {
    return unstageAttachment(id).catch(() => {});
  }

  /** What sending these staged files costs on the network in use now. */
  sendCost(ids: string[]): Promise<SendCost> {
    return sendCost(ids);
  }

  /** Queues a reply; the core works out who it goes to from the original. */
  reply(original: MessageDetail, body: string, replyAll: boolean): Promise<boolean> {
    return this.sending.run(async () => {
      await reply(original.id, body, replyAll);
      void this.outbox.refresh();
    });
  }

  /** Signed out: nothing of the last member's mail stays in memory. */
  reset(): void {
    this.folders.clear();
    this.outbox.clear();
    void this.messages.show(null);
    this.reader.clear();
    this.sending.dismiss();
    this.showingOutbox = false;
  }
}
