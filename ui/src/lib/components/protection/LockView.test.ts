import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accountStatus, evidenceConsent, protectionForgetPin, protectionStatus, protectionUnlock, type ProtectionStatus } from '../../ipc';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import LockView from './LockView.svelte';
import { choosePin, locked, unlocked } from './fixtures';
import { announced, expectPinBox, type } from './testing';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  protectionStatus: vi.fn(),
  protectionUnlock: vi.fn(),
  protectionForgetPin: vi.fn(),
  accountStatus: vi.fn(),
  evidenceConsent: vi.fn(),
}));

let app: AppState;

async function renderLock(status: ProtectionStatus = locked()) {
  vi.mocked(protectionStatus).mockResolvedValue(status);
  app = new AppState();
  await app.open();
  return render(LockView, { context: appContext(app) });
}

const pinBox = () => screen.getByLabelText('PIN');
const unlockButton = () => screen.getByRole('button', { name: 'Unlock' });

describe('LockView', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    vi.mocked(accountStatus).mockResolvedValue({
      state: 'signedIn',
      demo: false,
      member: { displayName: 'Cllr Priya Shah', mail: 'priya.shah@council.example' },
    });
    vi.mocked(evidenceConsent).mockResolvedValue(null);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks for the PIN in a box that hides it, with its heading in focus and nothing of the member’s', async () => {
    const { container } = await renderLock();

    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Enter your PIN' })));
    expectPinBox(pinBox());
    expect(announced(pinBox())).toBe('');
    expect(unlockButton().getAttribute('aria-disabled')).toBeNull();
    expect(container.textContent).not.toContain('Priya');
    expect(accountStatus).not.toHaveBeenCalled();
  });

  it('says so when Unlock is pressed with nothing typed, without asking the core', async () => {
    await renderLock();

    await fireEvent.click(unlockButton());

    await waitFor(() => expect(announced(pinBox())).toBe('Error: Enter your PIN.'));
    expect(document.activeElement).toBe(pinBox());
    expect(protectionUnlock).not.toHaveBeenCalled();
  });

  it('opens the app with the right PIN', async () => {
    vi.mocked(protectionUnlock).mockResolvedValue(unlocked);
    await renderLock();
    await type('PIN', '482915');

    await fireEvent.click(unlockButton());

    await waitFor(() => expect(app.account.member?.displayName).toBe('Cllr Priya Shah'));
    expect(protectionUnlock).toHaveBeenCalledExactlyOnceWith('482915');
  });

  it('says how many tries are left after a wrong PIN, empties the box and puts focus back in it', async () => {
    vi.mocked(protectionUnlock).mockResolvedValue(locked(1));
    await renderLock();
    await type('PIN', '111111');

    await fireEvent.click(unlockButton());

    await waitFor(() =>
      expect(announced(pinBox())).toBe(
        'Error: That PIN is wrong. You have 4 more tries. After that, Member Companion removes your council email, calendar and contacts from this device.',
      ),
    );
    expect(pinBox().getAttribute('aria-invalid')).toBe('true');
    expect((pinBox() as HTMLInputElement).value).toBe('');
    await waitFor(() => expect(document.activeElement).toBe(pinBox()));
    expect(app.protection.unlocked).toBe(false);
  });

  it('counts down the wait after too many wrong PINs, with Unlock unavailable and the wait said in words', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.mocked(protectionUnlock).mockResolvedValue(locked(3, 65));
    await renderLock(locked(2));
    await type('PIN', '222222');

    await fireEvent.click(unlockButton());
    await vi.waitFor(() => expect(unlockButton().getAttribute('aria-disabled')).toBe('true'));

    const wait = screen.getByRole('timer');
    expect(wait.textContent?.trim()).toBe('Too many wrong PINs. You can try again in 1 minute and 5 seconds.');
    expect(unlockButton().getAttribute('aria-describedby')).toBe(wait.id);
    await vi.waitFor(() => expect(document.activeElement).toBe(wait));
    expect((pinBox() as HTMLInputElement).disabled).toBe(true);
    // Said once as it starts, not every second.
    expect(screen.getByText('You can try again in 1 minute and 5 seconds.').getAttribute('role')).toBe('status');

    // Pressing Unlock during the wait does nothing.
    await fireEvent.click(unlockButton());
    expect(protectionUnlock).toHaveBeenCalledOnce();

    await vi.advanceTimersByTimeAsync(6_000);
    await tick();
    expect(screen.getByRole('timer').textContent?.trim()).toBe('Too many wrong PINs. You can try again in 59 seconds.');

    await vi.advanceTimersByTimeAsync(59_000);
    await tick();
    expect(screen.queryByRole('timer')).toBeNull();
    expect(unlockButton().getAttribute('aria-disabled')).toBeNull();
    expect((pinBox() as HTMLInputElement).disabled).toBe(false);
    expect(screen.getByText('You can enter your PIN again.').getAttribute('role')).toBe('status');
  });

  it('shows the wait the core gives when a PIN arrives too soon', async () => {
    vi.mocked(protectionUnlock).mockRejectedValue({ kind: 'locked', message: 'Please wait 20 seconds before trying your PIN again.' });
    await renderLock(locked(3));
    vi.mocked(protectionStatus).mockResolvedValue(locked(3, 20));
    await type('PIN', '333333');

    await fireEvent.click(unlockButton());

    await waitFor(() => expect(screen.getByRole('timer').textContent).toContain('You can try again in 20 seconds.'));
    expect(unlockButton().getAttribute('aria-disabled')).toBe('true');
  });

  describe('a forgotten PIN', () => {
    it('asks first, explaining that everything on the device goes and the member signs in again', async () => {
      await renderLock();
      const forgot = screen.getByRole('button', { name: 'Forgotten your PIN?' });

      await fireEvent.click(forgot);

      const dialog = screen.getByRole('dialog', { name: 'Forgotten your PIN?' });
      expect(dialog.textContent).toContain(
        'Member Companion will remove your council email, calendar and contacts from this device. You will then choose a new PIN, and you will need to sign in with your council account again.',
      );
      await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Keep trying' })));

      await fireEvent.click(within(dialog).getByRole('button', { name: 'Keep trying' }));

      expect(protectionForgetPin).not.toHaveBeenCalled();
      expect(document.activeElement).toBe(forgot);
      expect(screen.queryByRole('dialog')).toBeNull();
    });

    it('removes everything once confirmed, and the app asks for a new PIN', async () => {
      vi.mocked(protectionForgetPin).mockResolvedValue(
        choosePin({ at: '2026-11-02T09:15:00Z', reason: 'forgottenPin', message: 'You chose to reset your PIN.' }),
      );
      await renderLock();

      await fireEvent.click(screen.getByRole('button', { name: 'Forgotten your PIN?' }));
      await fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove everything' }));

      await waitFor(() => expect(app.protection.status.current?.state).toBe('choosePin'));
      expect(protectionForgetPin).toHaveBeenCalledOnce();
    });

    it('keeps the question open and says why when removing fails', async () => {
      vi.mocked(protectionForgetPin).mockRejectedValue({ kind: 'storage', message: 'The device’s storage could not be used.' });
      await renderLock();

      await fireEvent.click(screen.getByRole('button', { name: 'Forgotten your PIN?' }));
      await fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove everything' }));

      const dialog = screen.getByRole('dialog');
      await waitFor(() => expect(within(dialog).getByRole('alert').textContent).toContain('The device’s storage could not be used.'));
      expect(app.protection.status.current?.state).toBe('locked');
    });
  });
});
