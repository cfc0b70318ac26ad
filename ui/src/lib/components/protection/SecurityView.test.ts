import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  accountStatus,
  evidenceConsent,
  protectionChangePin,
  protectionLock,
  protectionSettings,
  protectionStatus,
  type ProtectionSettings,
} from '../../ipc';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import SecurityView from './SecurityView.svelte';
import { locked, settingsFixture, unlocked } from './fixtures';
import { announced, description, expectPinBox, type } from './testing';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  protectionStatus: vi.fn(),
  protectionSettings: vi.fn(),
  protectionLock: vi.fn(),
  protectionChangePin: vi.fn(),
  accountStatus: vi.fn(),
  evidenceConsent: vi.fn(),
}));

let app: AppState;

async function renderSecurity(settings: ProtectionSettings = settingsFixture(), onclose = vi.fn()) {
  vi.mocked(protectionSettings).mockResolvedValue(settings);
  app = new AppState();
  await app.open();
  const result = render(SecurityView, { props: { backLabel: 'Back to Mail', onclose }, context: appContext(app) });
  await screen.findByText(settings.deviceCode);
  return result;
}

const changePin = () => fireEvent.click(screen.getByRole('button', { name: 'Change PIN' }));
const box = (label: string) => screen.getByLabelText(label);

describe('SecurityView', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    vi.mocked(protectionStatus).mockResolvedValue(unlocked);
    vi.mocked(accountStatus).mockResolvedValue({
      state: 'signedIn',
      demo: false,
      member: { displayName: 'Cllr Priya Shah', mail: 'priya.shah@council.example' },
    });
    vi.mocked(evidenceConsent).mockResolvedValue(null);
  });

  it('shows the device code and what it is for, with its heading in focus', async () => {
    await renderSecurity();

    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Security' }));
    expect(screen.getByRole('heading', { level: 3, name: 'Device code' })).toBeTruthy();
    expect(screen.getByText('MC-7F3K-92QD')).toBeTruthy();
    expect(
      screen.getByText(
        'If this device is lost, give this code to the ICT service desk so the council can clear Member Companion from it.',
      ),
    ).toBeTruthy();
  });

  it('puts the council’s rules in plain words', async () => {
    await renderSecurity(settingsFixture({ idleLockSeconds: 600, wrongPinLimit: 5, offlineLockHours: 72, offlineWipeDays: 14 }));

    const rules = within(screen.getByRole('list'))
      .getAllByRole('listitem')
      .map((item) => item.textContent?.replace(/\s+/g, ' ').trim());
    expect(rules).toEqual([
      'Your PIN is 6 numbers long.',
      'Member Companion locks after 10 minutes without being used.',
      'After 5 wrong PINs in a row, it clears your council email, calendar and contacts from this device.',
      'If it cannot reach the council for 72 hours, it locks until it can. If it still cannot after 14 days, it clears itself from this device.',
      'Your PIN and sign-in are kept when this device restarts.',
    ]);
    expect(screen.queryByText('Restarting this computer clears Member Companion')).toBeNull();
  });

  it('warns that restarting this computer clears the app when its keyring keeps the keys only until then', async () => {
    const { container } = await renderSecurity(settingsFixture({ keysSurviveRestart: false }));

    expect(screen.getByText('Restarting this computer clears Member Companion')).toBeTruthy();
    const text = container.textContent?.replace(/\s+/g, ' ') ?? '';
    expect(text).toContain('the keyring (where Member Companion keeps the keys to your saved mail) only keeps them until the computer restarts');
    expect(text).toContain('you will need to choose a new PIN and sign in again');
    expect(text).not.toContain('kept when this device restarts');
  });

  it('locks the app at once from Lock now', async () => {
    vi.mocked(protectionLock).mockResolvedValue(locked());
    await renderSecurity();

    await fireEvent.click(screen.getByRole('button', { name: 'Lock now' }));

    await waitFor(() => expect(app.protection.status.current?.state).toBe('locked'));
    expect(protectionLock).toHaveBeenCalledOnce();
    // Nothing of the member's is kept once locked.
    expect(app.account.member).toBeNull();
  });

  it('goes back from its Back button', async () => {
    const onclose = vi.fn();
    await renderSecurity(settingsFixture(), onclose);

    await fireEvent.click(screen.getByRole('button', { name: 'Back to Mail' }));

    expect(onclose).toHaveBeenCalledOnce();
  });

  describe('changing the PIN', () => {
    it('asks for the current PIN and the new one twice, in boxes that hide them', async () => {
      await renderSecurity();

      for (const label of ['Current PIN', 'New PIN', 'New PIN again']) expectPinBox(box(label));
      expect(description(box('New PIN'))).toBe('6 numbers. Do not use numbers that are easy to guess.');
    });

    it('says what is wrong with each empty box and moves focus to the first', async () => {
      await renderSecurity();

      await changePin();

      await waitFor(() => expect(document.activeElement).toBe(box('Current PIN')));
      expect(announced(box('Current PIN'))).toBe('Error: Enter your current PIN.');
      expect(announced(box('New PIN'))).toBe('Error: Enter a new PIN of 6 numbers.');
      expect(announced(box('New PIN again'))).toBe('Error: Enter the same new PIN again.');
      expect(box('Current PIN').getAttribute('aria-invalid')).toBe('true');
      expect(protectionChangePin).not.toHaveBeenCalled();
    });

    it('moves focus to the new PIN when only it is wrong, and to the last box when the two differ', async () => {
      await renderSecurity();
      await type('Current PIN', '482915');
      await type('New PIN', '1234');
      await type('New PIN again', '1234');

      await changePin();

      await waitFor(() => expect(document.activeElement).toBe(box('New PIN')));
      expect(announced(box('New PIN'))).toBe('Error: Your new PIN must be 6 numbers long.');
      expect(box('Current PIN').getAttribute('aria-invalid')).toBeNull();

      await type('New PIN', '730164');
      await type('New PIN again', '730165');
      await changePin();

      await waitFor(() => expect(document.activeElement).toBe(box('New PIN again')));
      expect(announced(box('New PIN again'))).toBe(
        'Error: The two new PINs are not the same. Enter the same new PIN in both boxes.',
      );
      expect(protectionChangePin).not.toHaveBeenCalled();
    });

    it('changes the PIN with the core, empties the boxes and says it is done', async () => {
      vi.mocked(protectionChangePin).mockResolvedValue();
      await renderSecurity();
      await type('Current PIN', '482915');
      await type('New PIN', '730164');
      await type('New PIN again', '730164');

      await changePin();

      await waitFor(() =>
        expect(screen.getByText('Your PIN has been changed. Use your new PIN next time Member Companion asks for it.').getAttribute('role')).toBe(
          'status',
        ),
      );
      expect(protectionChangePin).toHaveBeenCalledExactlyOnceWith('482915', '730164');
      for (const label of ['Current PIN', 'New PIN', 'New PIN again']) expect((box(label) as HTMLInputElement).value).toBe('');
    });

    it('says when the current PIN is wrong and moves focus back to it', async () => {
      vi.mocked(protectionChangePin).mockRejectedValue({ kind: 'invalid', message: 'that PIN is not right' });
      await renderSecurity();
      await type('Current PIN', '111111');
      await type('New PIN', '730164');
      await type('New PIN again', '730164');

      await changePin();

      await waitFor(() => expect(announced(box('Current PIN'))).toBe('Error: That PIN is not right.'));
      await waitFor(() => expect(document.activeElement).toBe(box('Current PIN')));
      expect(screen.queryByText(/Your PIN has been changed/)).toBeNull();
      // A wrong PIN counts: the lock is asked where it stands.
      expect(protectionStatus).toHaveBeenCalledTimes(2);
    });
  });
});
