import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  conversation,
  mailFolders,
  mailPage,
  moveMessage,
  onDataChanged,
  openMessage,
  outbox,
  sendMessage,
  type DataChanged,
} from '../../ipc';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import MailView from './MailView.svelte';
import { detail, folders, pagedFolder, summary } from './testing';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  mailFolders: vi.fn(),
  mailPage: vi.fn(),
  openMessage: vi.fn(),
  conversation: vi.fn(),
  moveMessage: vi.fn(),
  outbox: vi.fn(),
  sendMessage: vi.fn(),
  onDataChanged: vi.fn(),
}));

const mocked = {
  mailFolders: vi.mocked(mailFolders),
  mailPage: vi.mocked(mailPage),
  openMessage: vi.mocked(openMessage),
  conversation: vi.mocked(conversation),
  moveMessage: vi.mocked(moveMessage),
  outbox: vi.mocked(outbox),
  sendMessage: vi.mocked(sendMessage),
  onDataChanged: vi.mocked(onDataChanged),
};

let dataChanged: ((changed: DataChanged) => void) | null = null;

/** The mail screen in an app whose state hears the core's (mocked) change events. */
function renderMail(props: { openRequest?: { id: string; seq: number } | null } = {}) {
  const app = new AppState();
  app.listen();
  return render(MailView, { props, context: appContext(app) });
}

function picker(): HTMLSelectElement {
  return screen.getByLabelText('Folder') as HTMLSelectElement;
}

function useWideScreen(wide: boolean): void {
  Object.defineProperty(window, 'matchMedia', {
    configurable: true,
    value: (query: string) => ({
      matches: wide,
      media: query,
      addEventListener: () => {},
      removeEventListener: () => {},
    }),
  });
}

describe('MailView', () => {
  beforeEach(() => {
    for (const mock of Object.values(mocked)) mock.mockReset();
    dataChanged = null;
    const inbox = pagedFolder(250);
    mocked.mailFolders.mockResolvedValue(folders);
    mocked.mailPage.mockImplementation(async (folderId, after, limit) =>
      folderId === 'f-inbox' ? inbox(after, limit) : { items: [summary(500, { id: 'a1', subject: 'Archived thing' })], next: null, total: 1 },
    );
    mocked.openMessage.mockImplementation(async (id) => detail({ id, subject: `Opened ${id}` }));
    mocked.conversation.mockResolvedValue([]);
    mocked.moveMessage.mockResolvedValue(undefined);
    mocked.sendMessage.mockResolvedValue(undefined);
    mocked.outbox.mockResolvedValue([
      { id: 1, kind: 'reply', summary: 'Reply to ‘Budget’', state: 'queued', reason: null, attempts: 0, queuedAt: '2025-07-01T08:05:00Z' },
      { id: 2, kind: 'flag', summary: 'Flag ‘Budget’', state: 'sent', reason: null, attempts: 1, queuedAt: '2025-07-01T08:05:00Z' },
    ]);
    mocked.onDataChanged.mockImplementation(async (handler) => {
      dataChanged = handler;
      return () => {};
    });
  });

  afterEach(() => {
    Reflect.deleteProperty(window, 'matchMedia');
  });

  it('lists the folders Inbox first, in plain English with unread counts, and an Outbox entry', async () => {
    renderMail();

    await waitFor(() => expect(picker().disabled).toBe(false));
    const options = within(picker()).getAllByRole('option').map((option) => option.textContent);
    expect(options).toEqual(['Inbox (2 unread)', 'Sent', 'Archive', 'Deleted', 'Casework (5 unread)', 'Outbox (1 waiting)']);
    expect(picker().value).toBe('f-inbox');
    expect(await screen.findByRole('heading', { name: 'Inbox' })).toBeTruthy();
    expect(mocked.mailPage).toHaveBeenCalledWith('f-inbox', null, 100);
  });

  it('shows another folder’s messages when it is chosen', async () => {
    renderMail();
    await screen.findByRole('heading', { name: 'Inbox' });

    await fireEvent.change(picker(), { target: { value: 'f-archive' } });

    expect(await screen.findByRole('heading', { name: 'Archive' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: /Archived thing/ })).toBeTruthy();
  });

  it('on a phone, replaces the list with the message and Back returns focus to its row', async () => {
    renderMail();
    const row = await screen.findByRole('button', { name: /Sender 2\b/ });

    await fireEvent.click(row);

    expect(await screen.findByRole('heading', { name: 'Opened m2' })).toBeTruthy();
    expect(mocked.openMessage).toHaveBeenCalledWith('m2');
    const list = screen.getByRole('list', { name: 'Inbox', hidden: true });
    expect(list.closest('[hidden]')).not.toBeNull();
    expect(screen.queryByRole('button', { name: /Sender 2\b/ })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Opened m2' })));

    await fireEvent.click(screen.getByRole('button', { name: 'Back to Inbox' }));

    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: /Sender 2\b/ })));
    expect(screen.getByRole('list', { name: 'Inbox' }).closest('[hidden]')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Opened m2' })).toBeNull();
  });

  it('opens a message asked for from search, even one in no folder on screen', async () => {
    const { rerender } = renderMail({ openRequest: { id: 'old-1', seq: 1 } });

    expect(await screen.findByRole('heading', { name: 'Opened old-1' })).toBeTruthy();
    expect(mocked.openMessage).toHaveBeenCalledWith('old-1');

    await rerender({ openRequest: { id: 'old-2', seq: 2 } });
    expect(await screen.findByRole('heading', { name: 'Opened old-2' })).toBeTruthy();
  });

  it('on a wide screen, shows the list and the message side by side with no Back button', async () => {
    useWideScreen(true);
    renderMail();
    expect(await screen.findByText('Choose a message to read it.')).toBeTruthy();

    await fireEvent.click(await screen.findByRole('button', { name: /Sender 1\b/ }));

    expect(await screen.findByRole('heading', { name: 'Opened m1' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Inbox' }).closest('[hidden]')).toBeNull();
    expect(screen.queryByRole('button', { name: /Back to/ })).toBeNull();
  });

  it('announces a move, takes the message out of the list and focuses the next one', async () => {
    renderMail();
    await fireEvent.click(await screen.findByRole('button', { name: /Sender 2\b/ }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Move' }));
    await fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Archive' }));

    expect(mocked.moveMessage).toHaveBeenCalledWith('m2', 'f-archive');
    await waitFor(() =>
      expect(screen.getAllByRole('status').some((status) => status.textContent === 'Message moved to Archive')).toBe(true),
    );
    expect(screen.queryByRole('button', { name: /Sender 2\b/ })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: /Sender 3\b/ })));
  });

  it('reloads the list when the core reports a mail change, keeping the open message', async () => {
    useWideScreen(true);
    renderMail();
    await fireEvent.click(await screen.findByRole('button', { name: /Sender 1\b/ }));
    await screen.findByRole('heading', { name: 'Opened m1' });
    mocked.mailPage.mockClear();
    mocked.mailFolders.mockClear();

    dataChanged?.({ collections: ['mail'] });

    await waitFor(() => expect(mocked.mailPage).toHaveBeenCalledWith('f-inbox', null, 100));
    expect(mocked.mailFolders).toHaveBeenCalled();
    expect(screen.getByRole('heading', { name: 'Opened m1' })).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('button', { name: /Sender 1\b/ }).getAttribute('aria-current')).toBe('true'));
    expect(mocked.openMessage).toHaveBeenCalledTimes(1);
  });

  it('ignores changes to other collections', async () => {
    renderMail();
    await screen.findByRole('button', { name: /Sender 1\b/ });
    mocked.mailPage.mockClear();

    dataChanged?.({ collections: ['calendar', 'contacts'] });

    expect(mocked.mailPage).not.toHaveBeenCalled();
  });

  it('reloads the outbox count when the core reports an outbox change', async () => {
    renderMail();
    await waitFor(() => expect(within(picker()).getByRole('option', { name: 'Outbox (1 waiting)' })).toBeTruthy());
    mocked.outbox.mockResolvedValue([]);

    dataChanged?.({ collections: ['outbox'] });

    await waitFor(() => expect(within(picker()).getByRole('option', { name: 'Outbox' })).toBeTruthy());
    expect(mocked.mailPage).toHaveBeenCalledTimes(1);
  });

  it('opens the compose form from New message and returns focus to it when closed', async () => {
    renderMail();
    const button = await screen.findByRole('button', { name: 'New message' });

    await fireEvent.click(button);

    expect(screen.getByRole('heading', { name: 'New message' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByLabelText('To')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(button));
  });

  it('shows the outbox when it is chosen from the folder picker', async () => {
    renderMail();
    await screen.findByRole('heading', { name: 'Inbox' });

    await fireEvent.change(picker(), { target: { value: ' outbox' } });

    expect(await screen.findByRole('heading', { name: 'Outbox' })).toBeTruthy();
    expect(await screen.findByText('Reply to ‘Budget’')).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Inbox' })).toBeNull();
  });

  it('shows why the folders could not be loaded, with Try again', async () => {
    mocked.mailFolders.mockRejectedValueOnce({ kind: 'storage', message: 'The mail store is locked' });
    renderMail();

    expect((await screen.findByRole('alert')).textContent).toContain('The mail store is locked.');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('heading', { name: 'Inbox' })).toBeTruthy();
  });
});
