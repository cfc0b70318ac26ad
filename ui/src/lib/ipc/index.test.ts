import { invoke, isTauri } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  accountStatus,
  agenda,
  contacts,
  errorMessage,
  mailPage,
  onAllowanceAlert,
  onLinkRequested,
  onSyncProgress,
  openExternal,
  respondToEvent,
  search,
  type AccountStatus,
  type AllowanceAlert,
  type SyncProgress,
} from './index';

// Only this module's own test stands in for the Tauri bridge; components mock `./index` instead.
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn(), isTauri: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

const mockedInvoke = vi.mocked(invoke);
const mockedIsTauri = vi.mocked(isTauri);
const mockedListen = vi.mocked(listen);

describe('the IPC wrappers', () => {
  beforeEach(() => {
    mockedInvoke.mockReset();
    mockedIsTauri.mockReset();
    mockedListen.mockReset();
  });

  it('asks the core for account_status and returns its answer', async () => {
    const answer: AccountStatus = {
      state: 'signedIn',
      demo: true,
      member: { displayName: 'Cllr Priya Shah', mail: 'priya.shah@demo-council.gov.uk' },
    };
    mockedIsTauri.mockReturnValue(true);
    mockedInvoke.mockResolvedValue(answer);

    await expect(accountStatus()).resolves.toEqual(answer);
    expect(mockedInvoke).toHaveBeenCalledWith('account_status');
  });

  it('passes named arguments in camelCase', async () => {
    mockedIsTauri.mockReturnValue(true);
    mockedInvoke.mockResolvedValue(undefined);

    await mailPage('inbox', { receivedDateTime: '2026-11-23T09:00:00Z', id: 'm9' }, 50);
    await agenda('2026-11-23', 14);
    await respondToEvent('e1', 'tentativelyAccept', 'I may be late');
    await contacts('smith');
    await search('planning');
    await openExternal('tel:01632960123');

    expect(mockedInvoke.mock.calls).toEqual([
      ['mail_page', { folderId: 'inbox', after: { receivedDateTime: '2026-11-23T09:00:00Z', id: 'm9' }, limit: 50 }],
      ['calendar_agenda', { from: '2026-11-23', days: 14 }],
      ['calendar_respond', { id: 'e1', response: 'tentativelyAccept', comment: 'I may be late' }],
      ['contacts_list', { filter: 'smith' }],
      ['search', { query: 'planning' }],
      ['open_external', { url: 'tel:01632960123' }],
    ]);
  });

  it('explains plainly when the page is opened outside the app', async () => {
    mockedIsTauri.mockReturnValue(false);

    const failure: unknown = await accountStatus().catch((error: unknown) => error);

    expect(mockedInvoke).not.toHaveBeenCalled();
    expect(errorMessage(failure)).toBe(
      'Member Companion is not running. Open it from its app icon, not in a web browser.',
    );
  });

  it('hands event payloads to the handler inside the app', async () => {
    mockedIsTauri.mockReturnValue(true);
    const unlisten = vi.fn();
    mockedListen.mockResolvedValue(unlisten);
    const handler = vi.fn();

    await expect(onSyncProgress(handler)).resolves.toBe(unlisten);
    expect(mockedListen).toHaveBeenCalledWith('sync-progress', expect.any(Function));

    const progress: SyncProgress = { collection: 'mail', done: 1200, bytes: 340_000 };
    const listener = mockedListen.mock.calls[0]?.[1];
    listener?.({ event: 'sync-progress', id: 1, payload: progress });
    expect(handler).toHaveBeenCalledWith(progress);
  });

  it('hands allowance-alert payloads to the handler', async () => {
    mockedIsTauri.mockReturnValue(true);
    const unlisten = vi.fn();
    mockedListen.mockResolvedValue(unlisten);
    const handler = vi.fn();

    await expect(onAllowanceAlert(handler)).resolves.toBe(unlisten);
    expect(mockedListen).toHaveBeenCalledWith('allowance-alert', expect.any(Function));

    const alert: AllowanceAlert = { percent: 75, title: '75% of your mobile data used', body: 'You have used 768 MB.' };
    mockedListen.mock.calls[0]?.[1]?.({ event: 'allowance-alert', id: 2, payload: alert });
    expect(handler).toHaveBeenCalledWith(alert);
  });

  it('hands link-requested payloads, the address the shell refused to follow, to the handler', async () => {
    mockedIsTauri.mockReturnValue(true);
    const unlisten = vi.fn();
    mockedListen.mockResolvedValue(unlisten);
    const handler = vi.fn();

    await expect(onLinkRequested(handler)).resolves.toBe(unlisten);
    expect(mockedListen).toHaveBeenCalledWith('link-requested', expect.any(Function));

    mockedListen.mock.calls[0]?.[1]?.({ event: 'link-requested', id: 3, payload: { url: 'https://council.example/agenda' } });
    expect(handler).toHaveBeenCalledWith({ url: 'https://council.example/agenda' });
  });

  it('listens to nothing outside the app and still gives a way to stop', async () => {
    mockedIsTauri.mockReturnValue(false);

    const unlisten = await onSyncProgress(vi.fn());
    const stopAlerts = await onAllowanceAlert(vi.fn());
    const stopLinks = await onLinkRequested(vi.fn());

    expect(mockedListen).not.toHaveBeenCalled();
    expect(() => unlisten()).not.toThrow();
    expect(() => stopAlerts()).not.toThrow();
    expect(() => stopLinks()).not.toThrow();
  });
});
