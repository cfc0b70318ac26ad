import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { accountStatus, evidenceConsent, protectionStatus, syncNow, type ProtectionStatus, type SyncStatus } from '../../ipc';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import ReachCouncilView from './ReachCouncilView.svelte';
import { reachCouncil, unlocked } from './fixtures';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  protectionStatus: vi.fn(),
  syncNow: vi.fn(),
  accountStatus: vi.fn(),
  evidenceConsent: vi.fn(),
}));

let app: AppState;

async function renderReachCouncil(status: ProtectionStatus = reachCouncil) {
  vi.mocked(protectionStatus).mockResolvedValue(status);
  app = new AppState();
  await app.open();
  return render(ReachCouncilView, { context: appContext(app) });
}

const reached: SyncStatus = { online: true, lastSyncedAt: '2026-11-02T09:00:00Z', running: false, lastError: null, planNote: null };
const tryAgain = () => screen.getByRole('button', { name: 'Try again' });

describe('ReachCouncilView', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    vi.mocked(accountStatus).mockResolvedValue({ state: 'signedOut', demo: false, problem: null });
    vi.mocked(evidenceConsent).mockResolvedValue(null);
  });

  it('says how long the app has been out of touch, what to do, and when it will clear itself', async () => {
    const { container } = await renderReachCouncil();

    const heading = screen.getByRole('heading', { level: 2, name: 'Member Companion needs to reach the council' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    const text = container.textContent?.replace(/\s+/g, ' ') ?? '';
    expect(text).toContain('Member Companion has not connected to the council for 80 hours.');
    expect(text).toContain('Check that this device is connected to the internet (Wi-Fi or mobile data), then try again.');
    expect(text).toContain('it will clear itself from this device in 4 days');
  });

  it('says the app clears itself later today when no days are left', async () => {
    const { container } = await renderReachCouncil({ state: 'reachCouncil', offlineHours: 335, wipeInDays: 0 });

    expect(container.textContent).toContain('it will clear itself from this device later today');
  });

  it('runs an update when Try again is pressed, then asks the lock again, which opens', async () => {
    vi.mocked(syncNow).mockResolvedValue(reached);
    await renderReachCouncil();
    vi.mocked(protectionStatus).mockResolvedValue(unlocked);

    await fireEvent.click(tryAgain());

    await waitFor(() => expect(app.protection.unlocked).toBe(true));
    expect(syncNow).toHaveBeenCalledOnce();
    expect(vi.mocked(syncNow).mock.invocationCallOrder[0]).toBeLessThan(
      vi.mocked(protectionStatus).mock.invocationCallOrder[1] ?? 0,
    );
  });

  it('says why when the council still cannot be reached', async () => {
    vi.mocked(syncNow).mockRejectedValue({ kind: 'offline', message: 'The council could not be reached. Check your connection.' });
    await renderReachCouncil();

    await fireEvent.click(tryAgain());

    await waitFor(() =>
      expect(screen.getByRole('alert').textContent?.replace(/\s+/g, ' ').trim()).toBe(
        'Member Companion still could not reach the council. The council could not be reached. Check your connection.',
      ),
    );
    expect(protectionStatus).toHaveBeenCalledTimes(2);
    expect(tryAgain().getAttribute('aria-busy')).toBeNull();
  });
});
