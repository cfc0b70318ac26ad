import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { accountStatus, protectionChoosePin, protectionStatus, type WipeNotice } from '../../ipc';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import PinSetupView from './PinSetupView.svelte';
import { choosePin, unlocked, wipedForWrongPins } from './fixtures';
import { announced, description, expectPinBox, type } from './testing';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  protectionStatus: vi.fn(),
  protectionChoosePin: vi.fn(),
  accountStatus: vi.fn(),
}));

let app: AppState;

async function renderPinSetup(wiped: WipeNotice | null = null) {
  vi.mocked(protectionStatus).mockResolvedValue(choosePin(wiped));
  app = new AppState();
  await app.open();
  return render(PinSetupView, { context: appContext(app) });
}

const pinBox = () => screen.getByLabelText('PIN');
const againBox = () => screen.getByLabelText('PIN again');
const save = () => fireEvent.click(screen.getByRole('button', { name: 'Save PIN' }));

describe('PinSetupView', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    vi.mocked(accountStatus).mockResolvedValue({ state: 'signedOut', demo: false, problem: null });
  });

  it('asks for a PIN of the council’s length twice, in boxes that hide it and are never remembered', async () => {
    await renderPinSetup();

    const heading = screen.getByRole('heading', { level: 2, name: 'Choose a PIN' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expectPinBox(pinBox());
    expectPinBox(againBox());
    expect(description(pinBox())).toBe(
      '6 numbers. Do not use numbers that are easy to guess, such as 1234 or your date of birth.',
    );
    // Nothing wrong yet: the live regions are there, empty, so that what comes later is heard.
    expect(announced(pinBox())).toBe('');
    expect(pinBox().getAttribute('aria-invalid')).toBeNull();
    expect(screen.queryByText(/cleared from this device/)).toBeNull();
  });

  it('says what is wrong with each empty box and moves focus to the first', async () => {
    await renderPinSetup();

    await save();

    await waitFor(() => expect(document.activeElement).toBe(pinBox()));
    expect(pinBox().getAttribute('aria-invalid')).toBe('true');
    expect(announced(pinBox())).toBe('Error: Enter a PIN of 6 numbers.');
    expect(description(pinBox())).toContain('Enter a PIN of 6 numbers.');
    expect(announced(againBox())).toBe('Error: Enter the same PIN again.');
    expect(protectionChoosePin).not.toHaveBeenCalled();
  });

  it('says when the PIN is too short, or has more than numbers in it', async () => {
    await renderPinSetup();
    await type('PIN', '4829');
    await type('PIN again', '4829');

    await save();

    await waitFor(() => expect(announced(pinBox())).toBe('Error: Your PIN must be 6 numbers long.'));
    expect(document.activeElement).toBe(pinBox());

    await type('PIN', '48 29a5');
    await save();

    await waitFor(() =>
      expect(announced(pinBox())).toBe('Error: Your PIN can only have numbers in it, with no letters or spaces.'),
    );
    expect(protectionChoosePin).not.toHaveBeenCalled();
  });

  it('says when the two PINs are not the same, empties the second box and moves focus to it', async () => {
    await renderPinSetup();
    await type('PIN', '482915');
    await type('PIN again', '482916');

    await save();

    await waitFor(() => expect(document.activeElement).toBe(againBox()));
    expect(announced(againBox())).toBe('Error: The two PINs are not the same. Enter the same PIN in both boxes.');
    expect((againBox() as HTMLInputElement).value).toBe('');
    expect(pinBox().getAttribute('aria-invalid')).toBeNull();
    expect(protectionChoosePin).not.toHaveBeenCalled();
  });

  it('saves the PIN with the core, and the app then asks who is signed in', async () => {
    vi.mocked(protectionChoosePin).mockResolvedValue(unlocked);
    await renderPinSetup();
    await type('PIN', '482915');
    await type('PIN again', '482915');

    await save();

    await waitFor(() => expect(app.protection.unlocked).toBe(true));
    expect(protectionChoosePin).toHaveBeenCalledExactlyOnceWith('482915');
    expect(accountStatus).toHaveBeenCalledOnce();
  });

  it('shows the core’s reason when the PIN is too easy to guess, and starts again at the first box', async () => {
    vi.mocked(protectionChoosePin).mockRejectedValue({
      kind: 'invalid',
      message: 'That PIN is too easy to guess (all the same digit, or a run such as 123456). Please choose another.',
    });
    await renderPinSetup();
    await type('PIN', '123456');
    await type('PIN again', '123456');

    await save();

    await waitFor(() =>
      expect(announced(pinBox())).toBe(
        'Error: That PIN is too easy to guess (all the same digit, or a run such as 123456). Please choose another.',
      ),
    );
    expect(document.activeElement).toBe(pinBox());
    expect((pinBox() as HTMLInputElement).value).toBe('');
    expect((againBox() as HTMLInputElement).value).toBe('');
    expect(app.protection.unlocked).toBe(false);
  });

  it('first says what was removed from the device and why, then asks for a new PIN', async () => {
    await renderPinSetup(wipedForWrongPins);

    const notice = screen.getByRole('heading', { level: 2, name: 'Member Companion was cleared from this device' });
    await waitFor(() => expect(document.activeElement).toBe(notice));
    expect(screen.getByText(wipedForWrongPins.message)).toBeTruthy();
    // When, in words: Monday 2 November 2026 at 09:15 in London.
    const when = screen.getByText(/2 November 2026/, { selector: 'time' });
    expect(when.getAttribute('datetime')).toBe(wipedForWrongPins.at);
    expect(when.parentElement?.textContent).toMatch(/^This happened on .*2 November 2026 at 09:15\.$/);
    // The notice comes before the new PIN is asked for.
    const choose = screen.getByRole('heading', { level: 2, name: 'Choose a PIN' });
    expect(notice.compareDocumentPosition(choose) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});
