import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import {
  accountStatus,
  agenda,
  contacts,
  eventDetails,
  evidenceConsent,
  onAllowanceAlert,
  onDataChanged,
  onNoticeOpened,
  onSyncProgress,
  onSyncStatus,
  protectionChoosePin,
  protectionLock,
  protectionSettings,
  protectionStatus,
  protectionUnlock,
  search,
  setEvidenceConsent,
  signIn,
  signOut,
  syncStatus,
  type AccountStatus,
  type AllowanceAlert,
  type Consent,
  type DataChanged,
  type NoticeTarget,
  type ProtectionStatus,
  type SearchResults,
} from './lib/ipc';
import { choosePin, locked, settingsFixture } from './lib/components/protection/fixtures';

// Mock the one door to the Rust core; everything else in it stays real.
vi.mock('./lib/ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./lib/ipc')>()),
  protectionStatus: vi.fn(),
  protectionUnlock: vi.fn(),
  protectionChoosePin: vi.fn(),
  protectionLock: vi.fn(),
  protectionTouch: vi.fn(),
  protectionSettings: vi.fn(),
  accountStatus: vi.fn(),
  signIn: vi.fn(),
  signOut: vi.fn(),
  syncStatus: vi.fn(),
  syncNow: vi.fn(),
  agenda: vi.fn(),
  contacts: vi.fn(),
  search: vi.fn(),
  onSyncProgress: vi.fn(),
  onSyncStatus: vi.fn(),
  onDataChanged: vi.fn(),
  onAllowanceAlert: vi.fn(),
  onNoticeOpened: vi.fn(),
  eventDetails: vi.fn(),
  evidenceConsent: vi.fn(),
  setEvidenceConsent: vi.fn(),
  whatWeCollect: vi.fn(),
}));

// The mail and data screens are other components with their own tests: stand-ins here.
function standIn(heading: string) {
  return (anchor: Node) => {
    const section = document.createElement('section');
    const title = document.createElement('h2');
    title.textContent = heading;
    section.append(title);
    anchor.parentNode?.insertBefore(section, anchor);
  };
}
vi.mock('./lib/components/mail/MailView.svelte', () => ({ default: standIn('Inbox') }));
vi.mock('./lib/components/data/DataView.svelte', () => ({ default: standIn('Your data allowance') }));
vi.mock('./lib/components/trial/TrialView.svelte', () => ({ default: standIn('Trial') }));

const member = { displayName: 'Cllr Priya Shah', mail: 'priya.shah@demo-council.gov.uk' };
const unlocked: ProtectionStatus = { state: 'unlocked', idleLockSeconds: 300 };
const signedIn: AccountStatus = { state: 'signedIn', demo: true, member };
const signedOut: AccountStatus = { state: 'signedOut', demo: true, problem: null };
const consent: Consent = { givenAt: '2026-11-02T09:00:00Z', surveys: true, usageReports: false, memberCode: 'M-7F3K' };

const ninety: AllowanceAlert = {
  percent: 90,
  title: '90% of your mobile data used',
  body: 'You have used 922 MB of your 1 GB this month (to 30 November). Open Member Companion to see where it went.',
};
const allUsed: AllowanceAlert = {
  percent: 100,
  title: 'You have used all your mobile data',
  body: 'You have used 1 GB of 1 GB before 30 November. Member Companion now downloads only what you ask for.',
};

/** The handler App gave `onNoticeOpened`: calling it is the member clicking a notification. */
let noticeHandler: ((target: NoticeTarget) => void) | null = null;

/** The handler App gave `onAllowanceAlert`: calling it is the core emitting `allowance-alert`. */
let allowanceAlertHandler: ((alert: AllowanceAlert) => void) | null = null;
const stopAllowanceAlerts = vi.fn();

function sectionsNav(): HTMLElement {
  return screen.getByRole('navigation', { name: 'Sections' });
}

function tab(name: string): HTMLElement {
  return within(sectionsNav()).getByRole('button', { name });
}

describe('App', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    // The app lock is open: these tests are about the app behind it (see "the app lock" below).
    vi.mocked(protectionStatus).mockResolvedValue(unlocked);
    vi.mocked(syncStatus).mockResolvedValue({
      online: true,
      lastSyncedAt: new Date().toISOString(),
      running: false,
      lastError: null,
      planNote: null,
    });
    vi.mocked(agenda).mockResolvedValue([]);
    vi.mocked(contacts).mockResolvedValue([]);
    vi.mocked(onSyncProgress).mockResolvedValue(() => {});
    vi.mocked(onSyncStatus).mockResolvedValue(() => {});
    vi.mocked(onDataChanged).mockResolvedValue(() => {});
    vi.mocked(evidenceConsent).mockResolvedValue(consent);
    noticeHandler = null;
    vi.mocked(onNoticeOpened).mockImplementation(async (handler) => {
      noticeHandler = handler;
      return () => {};
    });
    vi.mocked(eventDetails).mockReturnValue(new Promise(() => {}));
    allowanceAlertHandler = null;
    vi.mocked(onAllowanceAlert).mockImplementation(async (handler) => {
      allowanceAlertHandler = handler;
      return stopAllowanceAlerts;
    });
  });

  it('shows a busy loading status while it asks whether the member is signed in', () => {
    vi.mocked(accountStatus).mockReturnValue(new Promise<AccountStatus>(() => {}));
    render(App);

    expect(screen.getByRole('status').textContent).toContain('Opening Member Companion');
    expect(screen.getByRole('main').getAttribute('aria-busy')).toBe('true');
    expect(screen.getByRole('heading', { level: 1, name: 'Member Companion' })).toBeTruthy();
  });

  it('offers to sign in when signed out, with the reason the core gave', async () => {
    vi.mocked(accountStatus).mockResolvedValue({
      state: 'signedOut',
      demo: false,
      problem: 'Your sign-in has expired. Please sign in again.',
    });
    render(App);

    expect(await screen.findByRole('button', { name: 'Sign in with your council account' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('Your sign-in has expired. Please sign in again.');
    expect(screen.queryByRole('navigation', { name: 'Sections' })).toBeNull();
    expect(screen.queryByText('Demo council')).toBeNull();
  });

  it('opens on the mail section with the member named in the header once signed in', async () => {
    vi.mocked(accountStatus).mockResolvedValue(signedIn);
    const { container } = render(App);

    expect(await screen.findByText('Cllr Priya Shah')).toBeTruthy();
    expect(container.querySelector('.member .name')?.textContent).toBe('Cllr Priya Shah');
    expect(screen.getByText('Demo council')).toBeTruthy();
    expect(screen.getByRole('banner')).toBeTruthy();
    expect(screen.getByRole('main')).toBeTruthy();
    expect(tab('Mail').getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('heading', { level: 2, name: 'Inbox' })).toBeTruthy();
    expect(within(sectionsNav()).getAllByRole('button').map((button) => button.textContent?.trim())).toEqual([
      'Mail',
      'Calendar',
      'Contacts',
      'Search',
      'Data',
      'Trial',
    ]);
  });

  it('signs in from the sign-in screen and moves focus into the app', async () => {
    vi.mocked(accountStatus).mockResolvedValue(signedOut);
    vi.mocked(signIn).mockResolvedValue(signedIn);
    render(App);

    await fireEvent.click(await screen.findByRole('button', { name: 'Sign in with your council account' }));

    expect(await screen.findByText('Cllr Priya Shah')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Inbox' })));
  });

  it('marks the chosen section as current and moves focus to its heading', async () => {
    vi.mocked(accountStatus).mockResolvedValue(signedIn);
    render(App);
    await screen.findByText('Cllr Priya Shah');

    await fireEvent.click(tab('Calendar'));

    expect(tab('Calendar').getAttribute('aria-current')).toBe('page');
    expect(tab('Mail').getAttribute('aria-current')).toBeNull();
    // The section's code loads the first time it is shown; focus then goes on to its heading.
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Calendar' })),
    );
    // The mail section is kept but hidden, so it keeps its place.
    expect(screen.queryByRole('heading', { name: 'Inbox' })).toBeNull();

    await fireEvent.click(tab('Data'));
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Your data allowance' })),
    );

    await fireEvent.click(tab('Mail'));
    expect(tab('Mail').getAttribute('aria-current')).toBe('page');
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Inbox' }));
  });

  it('switches to the mail section when a mail search result is chosen', async () => {
    vi.mocked(accountStatus).mockResolvedValue(signedIn);
    const results: SearchResults = {
      query: 'agenda',
      mail: [{ kind: 'mail', id: 'm1', title: 'Planning agenda', snippet: 'The \u0002agenda\u0003', when: null }],
      events: [],
      contacts: [],
    };
    vi.mocked(search).mockResolvedValue(results);
    render(App);
    await screen.findByText('Cllr Priya Shah');

    await fireEvent.click(tab('Search'));
    await fireEvent.input(await screen.findByLabelText('Search mail, calendar and contacts'), {
      target: { value: 'agenda' },
    });
    await fireEvent.click(await screen.findByRole('button', { name: /Planning agenda/ }));

    expect(tab('Mail').getAttribute('aria-current')).toBe('page');
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Inbox' }));
  });

  it('asks before signing out and puts focus back when the member stays', async () => {
    vi.mocked(accountStatus).mockResolvedValue(signedIn);
    render(App);
    await screen.findByText('Cllr Priya Shah');

    const signOutButton = screen.getByRole('button', { name: 'Sign out' });
    await fireEvent.click(signOutButton);

    const dialog = screen.getByRole('dialog', { name: 'Sign out of Member Companion?' });
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Stay signed in' })));
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Stay signed in' }));

    expect(signOut).not.toHaveBeenCalled();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(signOutButton);
  });

  it('signs out when confirmed and shows the sign-in screen', async () => {
    vi.mocked(accountStatus).mockResolvedValue(signedIn);
    vi.mocked(signOut).mockResolvedValue(signedOut);
    render(App);
    await screen.findByText('Cllr Priya Shah');

    await fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    const dialog = screen.getByRole('dialog', { name: 'Sign out of Member Companion?' });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Sign out' }));

    expect(signOut).toHaveBeenCalledOnce();
    expect(await screen.findByRole('button', { name: 'Sign in with your council account' })).toBeTruthy();
    expect(screen.queryByText('Cllr Priya Shah')).toBeNull();
    expect(document.activeElement).toBe(
      screen.getByRole('heading', { level: 2, name: 'Your council email, calendar and contacts' }),
    );
  });

  it('keeps the question open and explains when signing out fails', async () => {
    vi.mocked(accountStatus).mockResolvedValue(signedIn);
    vi.mocked(signOut).mockRejectedValue({ kind: 'storage', message: 'The saved mail could not be removed' });
    render(App);
    await screen.findByText('Cllr Priya Shah');

    await fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    const dialog = screen.getByRole('dialog');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Sign out' }));

    await waitFor(() => expect(within(dialog).getByRole('alert').textContent).toContain('The saved mail could not be removed.'));
    expect(screen.getByText('Cllr Priya Shah')).toBeTruthy();
  });

  it('explains a failure to start and tries again', async () => {
    vi.mocked(accountStatus)
      .mockRejectedValueOnce({ kind: 'storage', message: 'The saved data on this device could not be opened' })
      .mockResolvedValueOnce(signedIn);
    render(App);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The saved data on this device could not be opened.');

    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Cllr Priya Shah')).toBeTruthy();
    expect(accountStatus).toHaveBeenCalledTimes(2);
  });

  describe('the app lock', () => {
    /** The handler App gave `onDataChanged`: calling it is the core emitting `data-changed`. */
    let dataChanged: ((changed: DataChanged) => void) | null = null;

    beforeEach(() => {
      dataChanged = null;
      vi.mocked(onDataChanged).mockImplementation(async (handler) => {
        dataChanged = handler;
        return () => {};
      });
    });

    function setVisibility(state: DocumentVisibilityState): void {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
      document.dispatchEvent(new Event('visibilitychange'));
    }

    afterEach(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    });

    it('shows the lock screen before anything of the member’s, and opens the app with the PIN', async () => {
      vi.mocked(protectionStatus).mockResolvedValue(locked());
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      vi.mocked(protectionUnlock).mockResolvedValue(unlocked);
      const { container } = render(App);

      const heading = await screen.findByRole('heading', { level: 2, name: 'Enter your PIN' });
      await waitFor(() => expect(document.activeElement).toBe(heading));
      expect(accountStatus).not.toHaveBeenCalled();
      expect(evidenceConsent).not.toHaveBeenCalled();
      expect(container.textContent).not.toContain('Priya');
      expect(screen.queryByRole('navigation', { name: 'Sections' })).toBeNull();
      expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
      expect(screen.queryByRole('button', { name: 'Security' })).toBeNull();

      await fireEvent.input(screen.getByLabelText('PIN'), { target: { value: '482915' } });
      await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));

      expect(await screen.findByText('Cllr Priya Shah')).toBeTruthy();
      expect(protectionUnlock).toHaveBeenCalledExactlyOnceWith('482915');
      await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Inbox' })));
    });

    it('asks for a PIN on the first start, and the sign-in screen follows once it is chosen', async () => {
      vi.mocked(protectionStatus).mockResolvedValue(choosePin());
      vi.mocked(accountStatus).mockResolvedValue(signedOut);
      vi.mocked(protectionChoosePin).mockResolvedValue(unlocked);
      render(App);

      const heading = await screen.findByRole('heading', { level: 2, name: 'Choose a PIN' });
      await waitFor(() => expect(document.activeElement).toBe(heading));
      expect(accountStatus).not.toHaveBeenCalled();
      expect(screen.queryByRole('button', { name: 'Sign in with your council account' })).toBeNull();

      await fireEvent.input(screen.getByLabelText('PIN'), { target: { value: '482915' } });
      await fireEvent.input(screen.getByLabelText('PIN again'), { target: { value: '482915' } });
      await fireEvent.click(screen.getByRole('button', { name: 'Save PIN' }));

      expect(await screen.findByRole('button', { name: 'Sign in with your council account' })).toBeTruthy();
      expect(protectionChoosePin).toHaveBeenCalledExactlyOnceWith('482915');
      expect(screen.queryByRole('heading', { name: 'Choose a PIN' })).toBeNull();
      await waitFor(() =>
        expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Your council email, calendar and contacts' })),
      );
    });

    it('asks for a new PIN after signing out, saying that everything was removed', async () => {
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      vi.mocked(signOut).mockResolvedValue(signedOut);
      render(App);
      await screen.findByText('Cllr Priya Shah');
      vi.mocked(protectionStatus).mockResolvedValue(
        choosePin({
          at: '2026-11-02T09:15:00Z',
          reason: 'signedOut',
          message: 'You signed out, so Member Companion removed your council email, calendar and contacts from this device.',
        }),
      );

      await fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
      const dialog = screen.getByRole('dialog', { name: 'Sign out of Member Companion?' });
      expect(dialog.textContent).toContain('Signing out removes your council email, calendar and contacts from this device.');
      let signInShown = false;
      const watcher = new MutationObserver(() => {
        signInShown ||= document.body.textContent?.includes('Sign in with your council account') ?? false;
      });
      watcher.observe(document.body, { childList: true, subtree: true, characterData: true });
      await fireEvent.click(within(dialog).getByRole('button', { name: 'Sign out' }));

      const notice = await screen.findByRole('heading', { level: 2, name: 'Member Companion was cleared from this device' });
      await waitFor(() => expect(document.activeElement).toBe(notice));
      expect(screen.getByText(/You signed out, so Member Companion removed/)).toBeTruthy();
      expect(screen.queryByText('Cllr Priya Shah')).toBeNull();
      // The lock is asked before the answer to signing out shows: no sign-in screen in between.
      watcher.disconnect();
      expect(signInShown).toBe(false);
      expect(screen.queryByRole('button', { name: 'Sign in with your council account' })).toBeNull();
    });

    it('shows the lock screen when the core locks by itself, dropping the member’s name', async () => {
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      render(App);
      await screen.findByText('Cllr Priya Shah');
      vi.mocked(protectionStatus).mockResolvedValue(locked());

      dataChanged?.({ collections: ['protection'] });

      const heading = await screen.findByRole('heading', { level: 2, name: 'Enter your PIN' });
      await waitFor(() => expect(document.activeElement).toBe(heading));
      expect(screen.queryByText('Cllr Priya Shah')).toBeNull();
      expect(screen.queryByRole('navigation', { name: 'Sections' })).toBeNull();
    });

    it('locks when the app is hidden, and stops watching once the app goes away', async () => {
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      vi.mocked(protectionLock).mockResolvedValue(locked());
      const { unmount } = render(App);
      await screen.findByText('Cllr Priya Shah');

      setVisibility('hidden');

      expect(await screen.findByRole('heading', { level: 2, name: 'Enter your PIN' })).toBeTruthy();
      expect(protectionLock).toHaveBeenCalledOnce();

      unmount();
      vi.mocked(protectionLock).mockClear();
      setVisibility('visible');
      setVisibility('hidden');
      expect(protectionLock).not.toHaveBeenCalled();
    });

    it('opens Security from the header, in place of the section, and goes back to it', async () => {
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      vi.mocked(protectionSettings).mockResolvedValue(settingsFixture());
      render(App);
      await screen.findByText('Cllr Priya Shah');

      await fireEvent.click(screen.getByRole('button', { name: 'Security' }));

      const heading = screen.getByRole('heading', { level: 2, name: 'Security' });
      await waitFor(() => expect(document.activeElement).toBe(heading));
      expect(await screen.findByText('MC-7F3K-92QD')).toBeTruthy();
      expect(screen.queryByRole('heading', { name: 'Inbox' })).toBeNull();
      expect(tab('Mail').getAttribute('aria-current')).toBeNull();

      await fireEvent.click(screen.getByRole('button', { name: 'Back to Mail' }));

      await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Inbox' })));
      expect(tab('Mail').getAttribute('aria-current')).toBe('page');
      expect(screen.queryByRole('heading', { name: 'Security' })).toBeNull();
    });
  });

  describe('when a command finds the sign-in has ended', () => {
    it('goes back to the sign-in screen, asking the member to sign in again, and focuses it', async () => {
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      vi.mocked(agenda).mockRejectedValue({ kind: 'signInRequired', message: 'Your sign-in has expired.' });
      render(App);
      await screen.findByText('Cllr Priya Shah');

      await fireEvent.click(tab('Calendar'));

      expect(await screen.findByRole('button', { name: 'Sign in with your council account' })).toBeTruthy();
      const problem = screen.getByRole('alert');
      expect(within(problem).getByRole('heading', { name: 'Please sign in again' })).toBeTruthy();
      expect(problem.textContent).toContain('Your sign-in has expired.');
      expect(screen.queryByRole('navigation', { name: 'Sections' })).toBeNull();
      await waitFor(() =>
        expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Your council email, calendar and contacts' })),
      );
    });

    it('opens at Mail again, with nothing of before kept, once signed in again', async () => {
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      vi.mocked(signIn).mockResolvedValue(signedIn);
      vi.mocked(agenda).mockRejectedValueOnce({ kind: 'signInRequired', message: '' }).mockResolvedValue([]);
      render(App);
      await screen.findByText('Cllr Priya Shah');
      await fireEvent.click(tab('Calendar'));

      await fireEvent.click(await screen.findByRole('button', { name: 'Sign in with your council account' }));

      await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Inbox' })));
      expect(tab('Mail').getAttribute('aria-current')).toBe('page');
    });
  });

  describe('when the council cannot be reached', () => {
    it('keeps what is saved on screen and says so politely, not as an error', async () => {
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      vi.mocked(contacts)
        .mockResolvedValueOnce([{ id: 'c1', displayName: 'Jane Smith', jobTitle: '', companyName: '', emails: [], phones: [] }])
        .mockRejectedValue({ kind: 'offline', message: 'The council could not be reached.' });
      render(App);
      await screen.findByText('Cllr Priya Shah');
      await fireEvent.click(tab('Contacts'));
      await screen.findByText('Jane Smith');

      await fireEvent.input(screen.getByLabelText('Find a contact'), { target: { value: 'jan' } });

      expect(await screen.findByText('You’re offline — showing what’s saved on this device.')).toBeTruthy();
      expect(screen.getByText('Jane Smith')).toBeTruthy();
      expect(screen.queryByRole('alert')).toBeNull();
      expect(screen.getByText('Offline: showing saved mail')).toBeTruthy();
    });
  });

  describe('the trial’s consent', () => {
    it('asks for consent before the app when the member has not answered, focusing its heading', async () => {
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      vi.mocked(evidenceConsent).mockResolvedValue(null);
      vi.mocked(setEvidenceConsent).mockResolvedValue({ ...consent, surveys: false, usageReports: false });
      render(App);

      const heading = await screen.findByRole('heading', { level: 2, name: 'Taking part in the trial' });
      await waitFor(() => expect(document.activeElement).toBe(heading));
      expect(screen.queryByRole('navigation', { name: 'Sections' })).toBeNull();
      expect(screen.queryByRole('heading', { name: 'Inbox' })).toBeNull();
      expect((screen.getByLabelText('Ask me to answer short surveys') as HTMLInputElement).checked).toBe(false);
      expect((screen.getByLabelText('Send a monthly usage report') as HTMLInputElement).checked).toBe(false);

      await fireEvent.click(screen.getByRole('button', { name: 'Continue' }));

      expect(setEvidenceConsent).toHaveBeenCalledWith(false, false);
      await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Inbox' })));
      expect(screen.queryByRole('heading', { name: 'Taking part in the trial' })).toBeNull();
      expect(tab('Mail').getAttribute('aria-current')).toBe('page');
    });

    it('asks right after signing in, and lets the member sign out from it', async () => {
      vi.mocked(accountStatus).mockResolvedValue(signedOut);
      vi.mocked(signIn).mockResolvedValue(signedIn);
      vi.mocked(signOut).mockResolvedValue(signedOut);
      vi.mocked(evidenceConsent).mockResolvedValue(null);
      render(App);

      await fireEvent.click(await screen.findByRole('button', { name: 'Sign in with your council account' }));

      const heading = await screen.findByRole('heading', { name: 'Taking part in the trial' });
      await waitFor(() => expect(document.activeElement).toBe(heading));
      expect(screen.queryByRole('navigation', { name: 'Sections' })).toBeNull();

      await fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
      const dialog = screen.getByRole('dialog', { name: 'Sign out of Member Companion?' });
      await fireEvent.click(within(dialog).getByRole('button', { name: 'Sign out' }));
      expect(await screen.findByRole('button', { name: 'Sign in with your council account' })).toBeTruthy();
    });

    it('does not ask again once answered, and adds a Trial section', async () => {
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      render(App);
      await screen.findByText('Cllr Priya Shah');

      expect(screen.queryByRole('heading', { name: 'Taking part in the trial' })).toBeNull();
      await fireEvent.click(tab('Trial'));
      expect(tab('Trial').getAttribute('aria-current')).toBe('page');
      await waitFor(() =>
        expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Trial' })),
      );
    });

    it('opens the app when the consent cannot be read, rather than locking the member out', async () => {
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      vi.mocked(evidenceConsent).mockRejectedValue({ kind: 'storage', message: 'The trial’s records could not be read' });
      render(App);

      expect(await screen.findByRole('heading', { name: 'Inbox' })).toBeTruthy();
      expect(screen.queryByRole('heading', { name: 'Taking part in the trial' })).toBeNull();
    });
  });

  describe('data allowance warnings', () => {
    /** The warning's live region: the one polite status that holds its title. */
    function warningRegion(title: string): HTMLElement {
      const region = screen.getAllByRole('status').find((element) => element.textContent?.includes(title));
      if (!region) throw new Error(`No status region says “${title}”.`);
      return region;
    }

    async function signedInApp() {
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      const result = render(App);
      await screen.findByRole('heading', { name: 'Inbox' });
      await waitFor(() => expect(allowanceAlertHandler).not.toBeNull());
      return result;
    }

    it('shows nothing until the core sends a warning', async () => {
      await signedInApp();

      expect(screen.queryByRole('button', { name: 'See your data use' })).toBeNull();
      expect(screen.queryByRole('button', { name: 'Dismiss' })).toBeNull();
    });

    it('shows the warning’s title and words in a polite status region, without taking focus', async () => {
      await signedInApp();
      const heading = screen.getByRole('heading', { name: 'Inbox' });
      heading.setAttribute('tabindex', '-1');
      heading.focus();

      allowanceAlertHandler?.(ninety);

      const region = await waitFor(() => warningRegion(ninety.title));
      expect(region.getAttribute('aria-live') ?? 'polite').toBe('polite');
      expect(region.getAttribute('aria-atomic')).toBe('true');
      expect(region.textContent).toContain(ninety.body);
      // The buttons are not part of what is read out.
      expect(within(region).queryByRole('button')).toBeNull();
      expect(screen.getByRole('button', { name: 'See your data use' })).toBeTruthy();
      expect(screen.getByRole('button', { name: 'Dismiss' }).getAttribute('aria-describedby')).toBe(
        within(region).getByText(ninety.title).closest('p')?.id,
      );
      expect(document.activeElement).toBe(heading);
      // Under the status bar, before the section.
      const main = screen.getByRole('main');
      const refresh = within(main).getByRole('button', { name: 'Refresh' });
      expect(refresh.compareDocumentPosition(region) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
      expect(region.compareDocumentPosition(heading) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    });

    it('shows only the latest of several warnings', async () => {
      await signedInApp();

      allowanceAlertHandler?.(ninety);
      await waitFor(() => warningRegion(ninety.title));
      allowanceAlertHandler?.(allUsed);

      await waitFor(() => expect(warningRegion(allUsed.title).textContent).toContain(allUsed.body));
      expect(screen.queryByText(ninety.title)).toBeNull();
      expect(screen.getAllByRole('button', { name: 'Dismiss' })).toHaveLength(1);
    });

    it('opens the Data section from “See your data use”, focusing its heading, and puts the warning away', async () => {
      await signedInApp();
      allowanceAlertHandler?.(ninety);

      await fireEvent.click(await screen.findByRole('button', { name: 'See your data use' }));

      expect(tab('Data').getAttribute('aria-current')).toBe('page');
      await waitFor(() =>
        expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Your data allowance' })),
      );
      expect(screen.queryByText(ninety.title)).toBeNull();
      expect(screen.queryByRole('button', { name: 'See your data use' })).toBeNull();
    });

    it('goes when dismissed, keeps focus in the section, and comes back for the next warning', async () => {
      await signedInApp();
      await fireEvent.click(tab('Calendar'));
      await screen.findByRole('heading', { level: 2, name: 'Calendar' });
      allowanceAlertHandler?.(ninety);

      await fireEvent.click(await screen.findByRole('button', { name: 'Dismiss' }));

      expect(screen.queryByText(ninety.title)).toBeNull();
      expect(tab('Calendar').getAttribute('aria-current')).toBe('page');
      expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Calendar' }));

      allowanceAlertHandler?.(allUsed);
      expect(await screen.findByText(allUsed.title)).toBeTruthy();
    });

    it('keeps a warning that came during the consent screen for when the app opens', async () => {
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      vi.mocked(evidenceConsent).mockResolvedValue(null);
      vi.mocked(setEvidenceConsent).mockResolvedValue(consent);
      render(App);
      await screen.findByRole('heading', { name: 'Taking part in the trial' });

      allowanceAlertHandler?.(ninety);
      await fireEvent.click(screen.getByRole('button', { name: 'Continue' }));

      expect(await screen.findByText(ninety.title)).toBeTruthy();
    });

    it('forgets the warning on signing out', async () => {
      vi.mocked(signOut).mockResolvedValue(signedOut);
      vi.mocked(signIn).mockResolvedValue(signedIn);
      await signedInApp();
      allowanceAlertHandler?.(ninety);
      await screen.findByText(ninety.title);

      await fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
      await fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Sign out' }));
      await fireEvent.click(await screen.findByRole('button', { name: 'Sign in with your council account' }));

      await screen.findByRole('heading', { name: 'Inbox' });
      expect(screen.queryByText(ninety.title)).toBeNull();
    });

    it('stops listening when the app goes away', async () => {
      const { unmount } = await signedInApp();

      unmount();

      await waitFor(() => expect(stopAllowanceAlerts).toHaveBeenCalledOnce());
    });
  });
  describe('a clicked notification', () => {
    it('opens the meeting a reminder is about, in the calendar', async () => {
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      render(App);
      await screen.findByText('Cllr Priya Shah');
      await waitFor(() => expect(noticeHandler).not.toBeNull());

      noticeHandler?.({ kind: 'meeting', id: 'event-full-council' });

      await waitFor(() => expect(tab('Calendar').getAttribute('aria-current')).toBe('page'));
      await waitFor(() => expect(eventDetails).toHaveBeenCalledWith('event-full-council'));
    });

    it('goes back to the mail from elsewhere for a new-mail summary', async () => {
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      render(App);
      await screen.findByText('Cllr Priya Shah');
      await fireEvent.click(tab('Calendar'));
      await waitFor(() => expect(noticeHandler).not.toBeNull());

      noticeHandler?.({ kind: 'inbox' });

      await waitFor(() => expect(tab('Mail').getAttribute('aria-current')).toBe('page'));
    });

    it('waits for the PIN when the app is locked, then opens what it is about', async () => {
      vi.mocked(protectionStatus).mockResolvedValue(locked());
      vi.mocked(accountStatus).mockResolvedValue(signedIn);
      vi.mocked(protectionUnlock).mockResolvedValue(unlocked);
      const { container } = render(App);
      await screen.findByRole('heading', { level: 2, name: 'Enter your PIN' });
      await waitFor(() => expect(noticeHandler).not.toBeNull());

      noticeHandler?.({ kind: 'meeting', id: 'event-full-council' });

      // Nothing of the member's shows before the PIN.
      expect(screen.queryByRole('navigation', { name: 'Sections' })).toBeNull();
      expect(eventDetails).not.toHaveBeenCalled();
      expect(container.textContent).not.toContain('Priya');
      await fireEvent.input(screen.getByLabelText('PIN'), { target: { value: '482915' } });
      await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));

      await waitFor(() => expect(tab('Calendar').getAttribute('aria-current')).toBe('page'));
      await waitFor(() => expect(eventDetails).toHaveBeenCalledWith('event-full-council'));
    });
  });
});
