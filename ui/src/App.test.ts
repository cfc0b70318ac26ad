import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import { demoOverview, type DemoOverview } from './lib/ipc';

// Mock the one door to the Rust core; everything else in it stays real.
vi.mock('./lib/ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./lib/ipc')>()),
  demoOverview: vi.fn(),
}));

const mockedDemoOverview = vi.mocked(demoOverview);

const overview: DemoOverview = {
  member: { displayName: 'Cllr Priya Shah', mail: 'priya.shah@demo-council.gov.uk' },
  simulatorUrl: 'http://127.0.0.1:43123',
  folders: [
    { id: 'inbox', displayName: 'Inbox', unreadItemCount: 2, totalItemCount: 40 },
    { id: 'sent', displayName: 'Sent Items', unreadItemCount: 0, totalItemCount: 12 },
    { id: 'casework', displayName: 'Casework', unreadItemCount: 5, totalItemCount: 9 },
  ],
  inbox: [
    {
      id: 'm1',
      subject: 'Planning committee agenda',
      from: 'Democratic Services',
      receivedDateTime: '2025-07-01T08:05:00Z',
      isRead: false,
    },
    {
      id: 'm2',
      subject: 'Pothole on Mill Lane',
      from: 'Sam Resident',
      receivedDateTime: '2025-06-30T23:30:00Z',
      isRead: true,
    },
  ],
};

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function messageItem(subject: string): HTMLElement {
  const item = screen.getByText(subject).closest('li');
  if (!item) throw new Error(`No list item holds "${subject}".`);
  return item;
}

describe('App', () => {
  beforeEach(() => {
    mockedDemoOverview.mockReset();
  });

  it('shows a busy loading status while the overview is on its way', () => {
    mockedDemoOverview.mockReturnValue(new Promise<DemoOverview>(() => {}));
    render(App);

    expect(screen.getByRole('status').textContent).toContain('Loading your council mail');
    expect(screen.getByRole('main').getAttribute('aria-busy')).toBe('true');
    expect(screen.getByRole('heading', { level: 1, name: 'Member Companion' })).toBeTruthy();
    expect(screen.getByText('Demo council')).toBeTruthy();
  });

  it('shows the member, the folders with unread counts and the newest messages once loaded', async () => {
    mockedDemoOverview.mockResolvedValue(overview);
    render(App);

    expect(await screen.findByText('Cllr Priya Shah')).toBeTruthy();
    expect(screen.getByRole('main').getAttribute('aria-busy')).toBe('false');
    expect(screen.getByRole('status').textContent).not.toContain('Loading');

    const folders = screen.getByRole('navigation', { name: 'Mail folders' });
    const inboxButton = within(folders).getByRole('button', { name: 'Inbox, 2 unread' });
    expect(inboxButton.textContent?.replace(/\s+/g, ' ').trim()).toBe('Inbox 2');
    expect(within(folders).getByRole('button', { name: 'Casework, 5 unread' })).toBeTruthy();
    expect(within(folders).getByRole('button', { name: 'Sent Items' })).toBeTruthy();

    const inbox = screen.getByRole('list', { name: 'Inbox' });
    const items = within(inbox).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]?.textContent).toContain('Democratic Services');
    expect(items[0]?.textContent).toContain('Planning committee agenda');
    expect(items[1]?.textContent).toContain('Pothole on Mill Lane');
  });

  it('shows each message time in UK time', async () => {
    mockedDemoOverview.mockResolvedValue(overview);
    render(App);
    await screen.findByText('Cllr Priya Shah');

    expect(within(messageItem('Planning committee agenda')).getByText('1 Jul, 09:05')).toBeTruthy();
    expect(within(messageItem('Pothole on Mill Lane')).getByText('1 Jul, 00:30')).toBeTruthy();
  });

  it('announces an unread message as unread and a read one not at all', async () => {
    mockedDemoOverview.mockResolvedValue(overview);
    render(App);
    await screen.findByText('Cllr Priya Shah');

    const unread = messageItem('Planning committee agenda');
    expect(within(unread).getByText('Unread').classList.contains('visually-hidden')).toBe(true);
    expect(unread.classList.contains('unread')).toBe(true);

    const read = messageItem('Pothole on Mill Lane');
    expect(within(read).queryByText('Unread')).toBeNull();
    expect(read.classList.contains('unread')).toBe(false);
  });

  it('marks the Inbox as the current folder and explains other folders when chosen', async () => {
    mockedDemoOverview.mockResolvedValue(overview);
    render(App);
    await screen.findByText('Cllr Priya Shah');

    const inboxButton = screen.getByRole('button', { name: 'Inbox, 2 unread' });
    expect(inboxButton.getAttribute('aria-current')).toBe('true');

    const casework = screen.getByRole('button', { name: 'Casework, 5 unread' });
    await fireEvent.click(casework);

    expect(casework.getAttribute('aria-current')).toBe('true');
    expect(inboxButton.getAttribute('aria-current')).toBeNull();
    expect(screen.getByRole('heading', { level: 2, name: 'Casework' })).toBeTruthy();
    expect(screen.getByText(/The demo shows the Inbox only/)).toBeTruthy();
  });

  it('shows a plain error message in an alert when the core fails', async () => {
    mockedDemoOverview.mockRejectedValue({ kind: 'simulator', message: 'The demo council is not answering' });
    render(App);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The demo council is not answering.');
    expect(screen.getByRole('main').getAttribute('aria-busy')).toBe('false');
  });

  it('hides a technical error behind a generic message', async () => {
    mockedDemoOverview.mockRejectedValue(new TypeError('window.__TAURI_INTERNALS__ is undefined'));
    render(App);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Something went wrong. Please try again.');
    expect(alert.textContent).not.toContain('__TAURI_INTERNALS__');
  });

  it('tries again when "Try again" is pressed and then shows the mail', async () => {
    const second = deferred<DemoOverview>();
    mockedDemoOverview
      .mockRejectedValueOnce({ kind: 'simulator', message: 'The demo council is not answering.' })
      .mockReturnValueOnce(second.promise);
    render(App);

    await fireEvent.click(await screen.findByRole('button', { name: 'Try again' }));

    expect(mockedDemoOverview).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('Loading your council mail');
    expect(document.activeElement).toBe(screen.getByRole('main'));

    second.resolve(overview);
    expect(await screen.findByText('Cllr Priya Shah')).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Inbox' })).toBeTruthy();
  });
});
