import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mailPage, type MessageSummary } from '../../ipc';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import VirtualMessageList from './VirtualMessageList.svelte';
import { pagedFolder, summary } from './testing';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  mailPage: vi.fn(),
}));

const mockedMailPage = vi.mocked(mailPage);

function serve(count: number) {
  const folder = pagedFolder(count);
  mockedMailPage.mockImplementation(async (_folderId, after, limit) => folder(after, limit));
}

let app: AppState;

/** The Inbox's list, once the mail state has been asked to show the Inbox. */
function renderList(props: { selectedId?: string; onopen?: () => void } = {}) {
  app = new AppState();
  void app.mail.messages.show('f-inbox');
  return render(VirtualMessageList, { props: { label: 'Inbox', onopen: vi.fn(), ...props }, context: appContext(app) });
}

function rows(): HTMLElement[] {
  return within(screen.getByRole('list', { name: 'Inbox' })).queryAllByRole('listitem');
}

function scroller(): HTMLElement {
  const list = screen.getByRole('list', { name: 'Inbox' });
  const element = list.parentElement;
  if (!element) throw new Error('The list has no scroller.');
  return element;
}

/** Scrolls the list as if the member had dragged it to `top` pixels. */
async function scrollTo(top: number): Promise<void> {
  const element = scroller();
  element.scrollTop = top;
  await fireEvent.scroll(element);
}

function listHeight(): number {
  return parseFloat(screen.getByRole('list', { name: 'Inbox' }).style.height);
}

describe('VirtualMessageList', () => {
  beforeEach(() => {
    mockedMailPage.mockReset();
  });

  it('asks for the first page of 100 and shows each message’s sender, time, subject and preview', async () => {
    serve(3);
    renderList();

    const first = await screen.findByRole('button', { name: /Sender 0/ });
    expect(mockedMailPage).toHaveBeenCalledWith('f-inbox', null, 100);
    expect(first.textContent).toContain('Sender 0');
    expect(first.textContent).toContain('1 Jul, 09:05');
    expect(first.textContent).toContain('Message number 0');
    expect(first.textContent).toContain('Preview of message 0');
    expect(screen.getByText('3 messages')).toBeTruthy();
  });

  it('shows "(No subject)" for a blank subject', async () => {
    mockedMailPage.mockResolvedValue({ items: [summary(1, { subject: '   ' })], next: null, total: 1 });
    renderList();

    expect((await screen.findByRole('button', { name: /Sender 1/ })).textContent).toContain('(No subject)');
  });

  it('marks unread messages in bold with a hidden "Unread" and gives every icon a text alternative', async () => {
    mockedMailPage.mockResolvedValue({
      items: [
        summary(1, { isRead: false, flagged: true, hasAttachments: true, importance: 'high' }),
        summary(2, { isRead: true }),
      ],
      next: null,
      total: 2,
    });
    renderList();

    const unread = await screen.findByRole('button', { name: /Sender 1/ });
    expect(unread.classList.contains('unread')).toBe(true);
    for (const words of ['Unread', 'Flagged', 'Has attachments', 'High importance']) {
      expect(within(unread).getByText(words).classList.contains('visually-hidden')).toBe(true);
    }
    expect(unread.querySelectorAll('svg[aria-hidden="true"]')).toHaveLength(3);

    const read = screen.getByRole('button', { name: /Sender 2/ });
    expect(read.classList.contains('unread')).toBe(false);
    expect(within(read).queryByText('Unread')).toBeNull();
    expect(within(read).queryByText('Flagged')).toBeNull();
  });

  it('draws far fewer than 10,000 rows for a 10,000-message folder and gives each its place in the whole', async () => {
    serve(10_000);
    renderList();
    await screen.findByRole('button', { name: /Sender 0/ });

    const drawn = rows();
    expect(drawn.length).toBeGreaterThan(5);
    expect(drawn.length).toBeLessThan(40);
    expect(drawn[0]?.getAttribute('aria-setsize')).toBe('10000');
    expect(drawn[0]?.getAttribute('aria-posinset')).toBe('1');
    expect(screen.getByText('10,000 messages')).toBeTruthy();
  });

  it('loads the next page with the keyset cursor when the member scrolls near the end', async () => {
    serve(10_000);
    renderList();
    await screen.findByRole('button', { name: /Sender 0/ });
    expect(mockedMailPage).toHaveBeenCalledTimes(1);
    const heightOfFirstPage = listHeight();

    await scrollTo(heightOfFirstPage - window.innerHeight);

    await waitFor(() => expect(mockedMailPage).toHaveBeenCalledTimes(2));
    const last = summary(99);
    expect(mockedMailPage).toHaveBeenLastCalledWith('f-inbox', { receivedDateTime: last.receivedDateTime, id: 'm99' }, 100);
    await waitFor(() => expect(listHeight()).toBeCloseTo(heightOfFirstPage * 2));

    // Only the rows around the new position are drawn, numbered within the whole folder.
    const positions = rows().map((row) => Number(row.getAttribute('aria-posinset')));
    expect(positions.length).toBeLessThan(40);
    expect(Math.min(...positions)).toBeGreaterThan(80);
    expect(screen.getByRole('button', { name: /Sender 95\b/ })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Sender 0\b/ })).toBeNull();
  });

  it('does not load another page while the member is still near the top', async () => {
    serve(10_000);
    renderList();
    await screen.findByRole('button', { name: /Sender 0/ });

    await scrollTo(200);

    expect(mockedMailPage).toHaveBeenCalledTimes(1);
  });

  it('opens a message when its row is pressed and marks the selected one as current', async () => {
    serve(5);
    const onopen = vi.fn();
    renderList({ selectedId: 'm2', onopen });

    const row = await screen.findByRole('button', { name: /Sender 1\b/ });
    await fireEvent.click(row);

    expect(onopen).toHaveBeenCalledWith(expect.objectContaining({ id: 'm1' }));
    expect(screen.getByRole('button', { name: /Sender 2\b/ }).getAttribute('aria-current')).toBe('true');
    expect(row.getAttribute('aria-current')).toBeNull();
  });

  it('moves between rows with the arrow keys, Home and End', async () => {
    serve(5);
    renderList();
    const first = await screen.findByRole('button', { name: /Sender 0\b/ });
    first.focus();

    await fireEvent.keyDown(first, { key: 'ArrowDown' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: /Sender 1\b/ })));

    await fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'End' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: /Sender 4\b/ })));

    await fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'ArrowDown' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: /Sender 4\b/ })));

    await fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'ArrowUp' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: /Sender 3\b/ })));

    await fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Home' });
    await waitFor(() => expect(document.activeElement).toBe(first));
  });

  it('keeps every row reachable with Tab, as ordinary buttons in list order', async () => {
    serve(5);
    renderList();
    await screen.findByRole('button', { name: /Sender 0\b/ });

    const buttons = rows().map((row) => within(row).getByRole('button'));
    expect(buttons.map((button) => button.getAttribute('tabindex'))).toEqual([null, null, null, null, null]);
    expect(buttons.map((button) => button.textContent?.match(/Sender \d+/)?.[0])).toEqual([
      'Sender 0',
      'Sender 1',
      'Sender 2',
      'Sender 3',
      'Sender 4',
    ]);
  });

  it('reloads as far as the member had scrolled and keeps the selection', async () => {
    serve(10_000);
    const { rerender } = renderList({ selectedId: 'm3' });
    await screen.findByRole('button', { name: /Sender 0/ });
    await scrollTo(listHeight() - window.innerHeight);
    await waitFor(() => expect(mockedMailPage).toHaveBeenCalledTimes(2));
    await scrollTo(0);
    mockedMailPage.mockClear();

    await app.mail.messages.reload();

    // Two pages again (200 rows), from the top, in pages of 100.
    expect(mockedMailPage).toHaveBeenCalledTimes(2);
    expect(mockedMailPage.mock.calls[0]).toEqual(['f-inbox', null, 100]);
    await rerender({ selectedId: 'm3' });
    expect(screen.getByRole('button', { name: /Sender 3\b/ }).getAttribute('aria-current')).toBe('true');
    expect(scroller().scrollTop).toBe(0);
  });

  it('updates and removes rows without a reload, and says which message takes a removed one’s place', async () => {
    serve(3);
    renderList();
    await screen.findByRole('button', { name: /Sender 0/ });

    app.mail.messages.patch('m0', { isRead: false, flagged: true });
    await waitFor(() =>
      expect(within(screen.getByRole('button', { name: /Sender 0\b/ })).queryByText('Flagged')).toBeTruthy(),
    );

    expect(app.mail.messages.remove('m1')).toBe('m2');
    await waitFor(() => expect(screen.queryByRole('button', { name: /Sender 1\b/ })).toBeNull());
    expect(screen.getByText('2 messages')).toBeTruthy();
    expect(app.mail.messages.remove('m2')).toBe('m0');
  });

  it('says so when the folder is empty', async () => {
    mockedMailPage.mockResolvedValue({ items: [] as MessageSummary[], next: null, total: 0 });
    renderList();

    expect(await screen.findByText('There are no messages in this folder.')).toBeTruthy();
  });

  it('shows a plain error with a Try again button that loads the list again', async () => {
    mockedMailPage.mockRejectedValueOnce({ kind: 'storage', message: 'The mail store could not be read' });
    serve(2);
    renderList();

    expect((await screen.findByRole('alert')).textContent).toContain('The mail store could not be read.');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('button', { name: /Sender 1/ })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('starts again from the top when the folder changes', async () => {
    serve(3);
    const { rerender } = renderList();
    await screen.findByRole('button', { name: /Sender 0/ });

    void app.mail.messages.show('f-archive');
    await rerender({ label: 'Archive' });

    await waitFor(() => expect(mockedMailPage).toHaveBeenLastCalledWith('f-archive', null, 100));
    expect(await screen.findByRole('heading', { name: 'Archive' })).toBeTruthy();
  });
});
