import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import StatusBar from './StatusBar.svelte';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import {
  onSyncProgress,
  onSyncStatus,
  syncNow,
  syncStatus,
  type SyncProgress,
  type SyncStatus,
} from '../../ipc';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  syncStatus: vi.fn(),
  syncNow: vi.fn(),
  onSyncProgress: vi.fn(),
  onSyncStatus: vi.fn(),
}));

const NOW = new Date('2026-11-25T10:00:00Z');

function status(overrides: Partial<SyncStatus> = {}): SyncStatus {
  return { online: true, lastSyncedAt: '2026-11-25T09:57:00Z', running: false, lastError: null, planNote: null, ...overrides };
}

/** Lets pending promises and Svelte updates finish (timers other than intervals stay real). */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await tick();
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function announcer(): HTMLElement {
  const region = document.querySelector<HTMLElement>('[aria-live="polite"]');
  if (!region) throw new Error('No polite live region.');
  return region;
}

let progressHandler: ((progress: SyncProgress) => void) | null = null;
let statusHandler: ((next: SyncStatus) => void) | null = null;
let app: AppState;

/** The status bar inside an app whose state follows the core's (mocked) events. */
function renderStatusBar(props: { pullTarget?: HTMLElement } = {}) {
  app = new AppState();
  app.listen();
  return render(StatusBar, { props, context: appContext(app) });
}

describe('StatusBar', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
    progressHandler = null;
    statusHandler = null;
    vi.mocked(onSyncProgress).mockImplementation(async (handler) => {
      progressHandler = handler;
      return () => {};
    });
    vi.mocked(onSyncStatus).mockImplementation(async (handler) => {
      statusHandler = handler;
      return () => {};
    });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('says how long ago the mail was updated, with the full time as a title', async () => {
    vi.mocked(syncStatus).mockResolvedValue(status());
    renderStatusBar();
    await settle();

    const updated = screen.getByText('Updated 3 minutes ago');
    expect(updated.getAttribute('title')).toBe('Last updated Wednesday, 25 November 2026 at 09:57');
    expect(screen.queryByText(/Offline/)).toBeNull();
  });

  it('keeps the relative time fresh every 30 seconds', async () => {
    vi.mocked(syncStatus).mockResolvedValue(status());
    renderStatusBar();
    await settle();
    expect(screen.getByText('Updated 3 minutes ago')).toBeTruthy();

    vi.advanceTimersByTime(60_000);
    await tick();

    expect(screen.getByText('Updated 4 minutes ago')).toBeTruthy();
  });

  it('says when it has never updated', async () => {
    vi.mocked(syncStatus).mockResolvedValue(status({ lastSyncedAt: null }));
    renderStatusBar();
    await settle();

    expect(screen.getByText('Not updated yet')).toBeTruthy();
  });

  it('shows the offline indicator and tells other screens when the council cannot be reached', async () => {
    vi.mocked(syncStatus).mockResolvedValue(status({ online: false }));
    renderStatusBar();
    await settle();

    expect(screen.getByText('Offline: showing saved mail')).toBeTruthy();
    expect(app.updates.online).toBe(false);
  });

  it('shows the offline indicator when any command finds the council cannot be reached', async () => {
    vi.mocked(syncStatus).mockResolvedValue(status());
    renderStatusBar();
    await settle();
    expect(screen.queryByText('Offline: showing saved mail')).toBeNull();

    await app.data.overview.load(() => Promise.reject({ kind: 'offline', message: 'No connection.' }));
    await tick();

    expect(screen.getByText('Offline: showing saved mail')).toBeTruthy();
  });

  it('shows the progress of an update as it runs', async () => {
    vi.mocked(syncStatus).mockResolvedValue(status({ running: true }));
    renderStatusBar();
    await settle();

    progressHandler?.({ collection: 'mail', done: 1200, bytes: 340_000 });
    await tick();

    // Sizes are in the core's units: 340,000 bytes is 332 KB of 1,024 bytes (before the unit, a
    // no-break space, which the query reads as a space).
    expect(screen.getByText('Updating mail… 1,200 items, 332 KB')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Refresh' }).getAttribute('aria-disabled')).toBe('true');
  });

  it.each<[SyncProgress['collection'], string]>([
    ['mailFolders', 'Updating folders…'],
    ['calendar', 'Updating calendar…'],
    ['contacts', 'Updating contacts…'],
    ['bodies', 'Downloading your newest messages…'],
  ])('says what an update of %s is doing', async (collection, words) => {
    vi.mocked(syncStatus).mockResolvedValue(status({ running: true }));
    renderStatusBar();
    await settle();

    progressHandler?.({ collection, done: 3, bytes: 2 * 1024 * 1024 });
    await tick();

    expect(screen.getByText(`${words} 3 items, 2 MB`)).toBeTruthy();
  });

  it('says what a first download on mobile data leaves for Wi-Fi while it runs, and not after', async () => {
    const note = 'First download on mobile data: your newest messages come first; attachments wait for Wi-Fi.';
    vi.mocked(syncStatus).mockResolvedValue(status({ running: true, planNote: note }));
    renderStatusBar();
    await settle();
    expect(screen.getByText(note)).toBeTruthy();

    statusHandler?.(status({ running: false, planNote: null, lastSyncedAt: '2026-11-25T10:00:00Z' }));
    await settle();
    expect(screen.queryByText(note)).toBeNull();
  });

  it('follows status events and announces when an update finishes', async () => {
    vi.mocked(syncStatus).mockResolvedValue(status({ running: true }));
    renderStatusBar();
    await settle();

    statusHandler?.(status({ running: false, lastSyncedAt: '2026-11-25T10:00:00Z' }));
    await settle();

    expect(screen.getByText('Updated just now')).toBeTruthy();
    expect(announcer().textContent).toBe('Update finished. Everything is up to date.');
  });

  it('shows the last error in plain words and announces the failure', async () => {
    vi.mocked(syncStatus).mockResolvedValue(status({ running: true }));
    renderStatusBar();
    await settle();

    statusHandler?.(status({ online: false, lastError: 'The council could not be reached.' }));
    await settle();

    expect(screen.getByText('The council could not be reached.')).toBeTruthy();
    expect(screen.getByText('Offline: showing saved mail')).toBeTruthy();
    expect(announcer().textContent).toBe('Update failed. The council could not be reached.');
  });

  it('refreshes when the Refresh button is pressed and announces the outcome', async () => {
    vi.mocked(syncStatus).mockResolvedValue(status({ lastSyncedAt: '2026-11-25T09:00:00Z' }));
    const answer = deferred<SyncStatus>();
    vi.mocked(syncNow).mockReturnValue(answer.promise);
    renderStatusBar();
    await settle();
    expect(screen.getByText('Updated 1 hour ago')).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(syncNow).toHaveBeenCalledOnce();
    expect(screen.getByText('Updating…')).toBeTruthy();

    // A second press while it runs does nothing.
    await fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(syncNow).toHaveBeenCalledOnce();

    answer.resolve(status({ lastSyncedAt: '2026-11-25T10:00:00Z' }));
    await settle();

    expect(screen.getByText('Updated just now')).toBeTruthy();
    await waitFor(() => expect(announcer().textContent).toBe('Update finished. Everything is up to date.'));
  });

  it('explains when the refresh itself fails', async () => {
    vi.mocked(syncStatus).mockResolvedValue(status());
    vi.mocked(syncNow).mockRejectedValue({ kind: 'internal', message: 'An update is already running' });
    renderStatusBar();
    await settle();

    await fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await settle();

    expect(screen.getByText('An update is already running.')).toBeTruthy();
    expect(announcer().textContent).toBe('Update failed. An update is already running.');
  });

  describe('pull to refresh', () => {
    let scrollArea: HTMLElement;

    function touch(type: string, y?: number): void {
      const event = new Event(type, { bubbles: true });
      Object.defineProperty(event, 'touches', { value: y === undefined ? [] : [{ clientY: y }] });
      scrollArea.dispatchEvent(event);
    }

    beforeEach(() => {
      scrollArea = document.createElement('div');
      document.body.append(scrollArea);
      vi.mocked(syncStatus).mockResolvedValue(status());
      vi.mocked(syncNow).mockResolvedValue(status({ lastSyncedAt: '2026-11-25T10:00:00Z' }));
    });

    afterEach(() => {
      scrollArea.remove();
    });

    it('refreshes when the top of the page is pulled down far enough', async () => {
      renderStatusBar({ pullTarget: scrollArea });
      await settle();

      touch('touchstart', 100);
      touch('touchmove', 180);
      await tick();
      expect(screen.getByText('Pull down to refresh')).toBeTruthy();

      touch('touchmove', 260);
      await tick();
      expect(screen.getByText('Release to refresh')).toBeTruthy();

      touch('touchend');
      await settle();

      expect(syncNow).toHaveBeenCalledOnce();
      expect(screen.queryByText('Release to refresh')).toBeNull();
    });

    it('does nothing for a short pull', async () => {
      renderStatusBar({ pullTarget: scrollArea });
      await settle();

      touch('touchstart', 100);
      touch('touchmove', 150);
      touch('touchend');
      await settle();

      expect(syncNow).not.toHaveBeenCalled();
    });

    it('leaves ordinary scrolling alone when the page is not at the top', async () => {
      Object.defineProperty(scrollArea, 'scrollTop', { value: 200, configurable: true });
      renderStatusBar({ pullTarget: scrollArea });
      await settle();

      touch('touchstart', 100);
      touch('touchmove', 400);
      touch('touchend');
      await settle();

      expect(syncNow).not.toHaveBeenCalled();
    });

    it('leaves a list of its own alone when that list is scrolled down', async () => {
      const list = document.createElement('div');
      const row = document.createElement('p');
      list.append(row);
      scrollArea.append(list);
      Object.defineProperty(list, 'scrollTop', { value: 120, configurable: true });
      renderStatusBar({ pullTarget: scrollArea });
      await settle();

      const start = new Event('touchstart', { bubbles: true });
      Object.defineProperty(start, 'touches', { value: [{ clientY: 100 }] });
      row.dispatchEvent(start);
      touch('touchmove', 400);
      touch('touchend');
      await settle();

      expect(syncNow).not.toHaveBeenCalled();
    });

    it('hides the gesture hint from screen readers, which have the Refresh button', async () => {
      renderStatusBar({ pullTarget: scrollArea });
      await settle();

      touch('touchstart', 100);
      touch('touchmove', 180);
      await tick();

      expect(screen.getByText('Pull down to refresh').closest('[aria-hidden="true"]')).toBeTruthy();
    });
  });
});
