import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  accountStatus,
  agenda,
  contacts,
  dataOverview,
  displaySettingsSeen,
  evidenceConsent,
  mailFolders,
  mailPage,
  onAllowanceAlert,
  onDataChanged,
  onLinkRequested,
  onSyncProgress,
  onSyncStatus,
  outbox,
  protectionStatus,
  protectionUnlock,
  search,
  surveyDue,
  type AccountStatus,
  type DataChanged,
  type LinkRequestedEvent,
  type ProtectionStatus,
} from '../ipc';
import { overviewFixture } from '../components/data/fixtures';
import { folders } from '../components/mail/testing';
import { AppState } from './app.svelte';

vi.mock('../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../ipc')>()),
  accountStatus: vi.fn(),
  evidenceConsent: vi.fn(),
  agenda: vi.fn(),
  contacts: vi.fn(),
  dataOverview: vi.fn(),
  displaySettingsSeen: vi.fn(),
  mailFolders: vi.fn(),
  mailPage: vi.fn(),
  outbox: vi.fn(),
  protectionStatus: vi.fn(),
  protectionUnlock: vi.fn(),
  search: vi.fn(),
  surveyDue: vi.fn(),
  onDataChanged: vi.fn(),
  onSyncStatus: vi.fn(),
  onSyncProgress: vi.fn(),
  onAllowanceAlert: vi.fn(),
  onLinkRequested: vi.fn(),
}));

const signedIn: AccountStatus = {
  state: 'signedIn',
  demo: false,
  member: { displayName: 'Cllr Priya Shah', mail: 'priya.shah@council.example' },
};

const unlocked: ProtectionStatus = { state: 'unlocked', idleLockSeconds: 300 };

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

let dataChanged: (changed: DataChanged) => void = () => {};
let linkRequested: (request: LinkRequestedEvent) => void = () => {};
const stops = { data: vi.fn(), status: vi.fn(), progress: vi.fn(), alert: vi.fn(), link: vi.fn() };

describe('AppState', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    vi.mocked(onDataChanged).mockImplementation(async (handler) => {
      dataChanged = (changed) => handler(changed);
      return stops.data;
    });
    vi.mocked(onSyncStatus).mockResolvedValue(stops.status);
    vi.mocked(onSyncProgress).mockResolvedValue(stops.progress);
    vi.mocked(onAllowanceAlert).mockResolvedValue(stops.alert);
    vi.mocked(onLinkRequested).mockImplementation(async (handler) => {
      linkRequested = handler;
      return stops.link;
    });
    vi.mocked(protectionStatus).mockResolvedValue(unlocked);
    vi.mocked(accountStatus).mockResolvedValue(signedIn);
    vi.mocked(evidenceConsent).mockResolvedValue(null);
    vi.mocked(agenda).mockResolvedValue([]);
    vi.mocked(contacts).mockResolvedValue([]);
    vi.mocked(dataOverview).mockResolvedValue(overviewFixture());
    vi.mocked(mailFolders).mockResolvedValue(folders);
    vi.mocked(mailPage).mockResolvedValue({ items: [], next: null, total: 0 });
    vi.mocked(outbox).mockResolvedValue([]);
    vi.mocked(surveyDue).mockResolvedValue(null);
    vi.mocked(displaySettingsSeen).mockResolvedValue(undefined);
  });

  it('tells the core the display settings once it listens, and lets a failure to go unremarked', async () => {
    vi.mocked(displaySettingsSeen).mockRejectedValue({ kind: 'invalid', message: 'not a text size' });
    const app = new AppState();

    const stop = app.listen();
    await Promise.resolve();

    expect(displaySettingsSeen).toHaveBeenCalledExactlyOnceWith(
      expect.objectContaining({ textPercent: expect.any(Number), reducedMotion: expect.any(Boolean) }),
    );
    expect(app.trial.consent.error).toBeNull();
    stop();
  });

  it('listens to each of the core’s events once for the whole app, and stops them all', async () => {
    const app = new AppState();

    const stop = app.listen();
    await Promise.resolve();
    stop();

    for (const subscribe of [onDataChanged, onSyncStatus, onSyncProgress, onAllowanceAlert, onLinkRequested]) {
      expect(subscribe).toHaveBeenCalledOnce();
    }
    for (const unlisten of Object.values(stops)) expect(unlisten).toHaveBeenCalledOnce();
  });

  it('hands a link the shell caught to the message or event view on screen', async () => {
    const app = new AppState();
    const frame = document.body.appendChild(document.createElement('iframe'));
    const show = vi.fn();
    const unregister = app.links.register({ element: () => frame, show });
    app.listen();
    await Promise.resolve();

    linkRequested({ url: 'https://council.example/agenda' });

    expect(show).toHaveBeenCalledExactlyOnceWith('https://council.example/agenda');
    unregister();
    frame.remove();
  });

  it('does nothing with a link the shell caught when no message or event is shown', async () => {
    const app = new AppState();
    app.listen();
    await Promise.resolve();

    expect(() => linkRequested({ url: 'https://council.example/agenda' })).not.toThrow();
    expect(app.linkRequested('https://council.example/agenda')).toBe(false);
  });

  it('shows no link the shell caught while the app is locked', async () => {
    vi.mocked(protectionStatus).mockResolvedValue({ state: 'locked', wrongPins: 0, triesLeft: 5, waitSeconds: 0, biometricsAllowed: false });
    const app = new AppState();
    await app.protection.load();
    const frame = document.body.appendChild(document.createElement('iframe'));
    const show = vi.fn();
    app.links.register({ element: () => frame, show });

    expect(app.linkRequested('https://council.example/agenda')).toBe(false);
    expect(show).not.toHaveBeenCalled();
    frame.remove();
  });

  it('tells only the features whose data changed, and only what they had asked for', async () => {
    const app = new AppState();
    app.listen();
    await Promise.resolve();
    await app.calendar.load();
    await app.data.load();
    vi.mocked(agenda).mockClear();
    vi.mocked(dataOverview).mockClear();

    dataChanged({ collections: ['allowance'] });

    expect(dataOverview).toHaveBeenCalledOnce();
    expect(agenda).not.toHaveBeenCalled();
    // Never opened, so nothing to bring up to date.
    expect(contacts).not.toHaveBeenCalled();
    expect(mailFolders).not.toHaveBeenCalled();

    dataChanged({ collections: ['calendar', 'trial'] });

    expect(agenda).toHaveBeenCalledOnce();
    expect(dataOverview).toHaveBeenCalledOnce();
  });

  it('asks who is signed in again when the core says the account changed (a session it ended)', async () => {
    const app = new AppState();
    app.listen();
    await app.open();
    vi.mocked(accountStatus).mockResolvedValue({ state: 'signedOut', demo: false, problem: 'Your council sign-in has ended.' });

    dataChanged({ collections: ['account'] });

    await vi.waitFor(() => expect(app.account.member).toBeNull());
  });

  it('opens by asking where the lock stands, then who is signed in and whether they answered the consent screen', async () => {
    const app = new AppState();

    await app.open();

    expect(protectionStatus).toHaveBeenCalledOnce();
    expect(vi.mocked(protectionStatus).mock.invocationCallOrder[0]).toBeLessThan(
      vi.mocked(accountStatus).mock.invocationCallOrder[0] ?? 0,
    );
    expect(accountStatus).toHaveBeenCalledOnce();
    expect(app.account.member?.displayName).toBe('Cllr Priya Shah');
    expect(app.trial.consentChecked).toBe(true);
    expect(app.trial.consentNeeded).toBe(true);
  });

  it('goes to the sign-in screen when any command finds the sign-in has ended, and forgets what it showed', async () => {
    const app = new AppState();
    await app.open();
    await app.data.load();
    vi.mocked(agenda).mockRejectedValue({ kind: 'signInRequired', message: 'Your sign-in has expired.' });

    await app.calendar.load();

    expect(app.account.member).toBeNull();
    expect(app.account.status.current).toEqual({ state: 'signedOut', demo: false, problem: 'Your sign-in has expired.' });
    expect(app.data.overview.loaded).toBe(false);
    expect(app.trial.consentChecked).toBe(false);
    expect(app.calendar.days.error).toBeNull();
  });

  it('shows the app is offline when a command cannot reach the council, keeping what it showed', async () => {
    const app = new AppState();
    await app.contacts.find('');
    vi.mocked(contacts).mockRejectedValue({ kind: 'offline', message: 'No connection.' });

    await app.contacts.find('jan');

    expect(app.updates.online).toBe(false);
    expect(app.contacts.list.offline).toBe(true);
    expect(app.contacts.list.error).toBeNull();
    expect(app.contacts.list.current).toEqual({ filter: '', items: [] });
  });

  it('keeps a locked app’s failure as a message, without signing out', async () => {
    const app = new AppState();
    await app.open();
    vi.mocked(search).mockRejectedValue({ kind: 'locked', message: 'Member Companion is locked.' });

    await app.search.run('planning');

    expect(app.search.results.error?.kind).toBe('locked');
    expect(app.account.member).not.toBeNull();
  });

  it('drops everything of the member’s when the app locks, and asks for none of it while locked', async () => {
    const app = new AppState();
    app.listen();
    await app.open();
    await app.data.load();
    vi.mocked(protectionStatus).mockResolvedValue({ state: 'locked', wrongPins: 0, triesLeft: 5, waitSeconds: 0, biometricsAllowed: false });

    dataChanged({ collections: ['protection'] });

    await vi.waitFor(() => expect(app.protection.unlocked).toBe(false));
    expect(app.account.member).toBeNull();
    expect(app.account.status.loaded).toBe(false);
    expect(app.data.overview.loaded).toBe(false);
    expect(app.trial.consentChecked).toBe(false);

    vi.mocked(accountStatus).mockClear();
    vi.mocked(dataOverview).mockClear();
    dataChanged({ collections: ['account', 'allowance'] });
    await Promise.resolve();

    expect(accountStatus).not.toHaveBeenCalled();
    expect(dataOverview).not.toHaveBeenCalled();
  });

  it('asks for the consent after unlocking even when the core’s event asks who is signed in again meanwhile', async () => {
    vi.mocked(protectionStatus).mockResolvedValue({ state: 'locked', wrongPins: 0, triesLeft: 5, waitSeconds: 0, biometricsAllowed: false });
    const app = new AppState();
    app.listen();
    await app.open();
    expect(accountStatus).not.toHaveBeenCalled();
    const first = deferred<AccountStatus>();
    const second = deferred<AccountStatus>();
    vi.mocked(accountStatus).mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    vi.mocked(protectionUnlock).mockResolvedValue(unlocked);
    vi.mocked(protectionStatus).mockResolvedValue(unlocked);

    await app.protection.unlock('482915');
    // The core says the lock and the account changed: who is signed in is asked again.
    dataChanged({ collections: ['protection', 'account'] });
    expect(accountStatus).toHaveBeenCalledTimes(2);
    second.resolve(signedIn);
    first.resolve(signedIn);

    await vi.waitFor(() => expect(app.trial.consentChecked).toBe(true));
    expect(app.account.member?.displayName).toBe('Cllr Priya Shah');
    expect(evidenceConsent).toHaveBeenCalledOnce();
  });
});
