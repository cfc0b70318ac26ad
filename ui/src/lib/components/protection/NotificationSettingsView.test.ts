import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { notificationSettings, setNotificationSettings, type NotificationSettings } from '../../ipc';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import NotificationSettingsView from './NotificationSettingsView.svelte';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  notificationSettings: vi.fn(),
  setNotificationSettings: vi.fn(),
}));

function settings(overrides: Partial<NotificationSettings> = {}): NotificationSettings {
  return {
    newMail: true,
    meetingReminders: true,
    showDetails: false,
    detailsAllowed: true,
    vipSenders: [],
    councilVipSenders: ['democratic.services@demoborough.example'],
    quietFrom: null,
    quietUntil: null,
    ...overrides,
  };
}

async function renderSettings(shown: NotificationSettings): Promise<void> {
  vi.mocked(notificationSettings).mockResolvedValue(shown);
  render(NotificationSettingsView, { context: appContext(new AppState()) });
  await screen.findByRole('checkbox', { name: 'Tell me when new email arrives' });
}

const checkbox = (name: string | RegExp) => screen.getByRole('checkbox', { name }) as HTMLInputElement;

describe('NotificationSettingsView', () => {
  beforeEach(() => {
    vi.resetAllMocks();
  });

  it('starts private: new mail notifies without a sender or subject, and says why', async () => {
    await renderSettings(settings());

    expect(screen.getByRole('heading', { level: 3, name: 'Notifications' })).toBeTruthy();
    expect(checkbox('Tell me when new email arrives').checked).toBe(true);
    expect(checkbox('Remind me before meetings, when the invitation asks').checked).toBe(true);
    const details = checkbox(/Show the sender and subject/);
    expect(details.checked).toBe(false);
    expect(details.disabled).toBe(false);
    expect(screen.getByText('Anyone who picks up your phone can read what a notification shows.')).toBeTruthy();
    expect(screen.getByText(/The council also always notifies you about email from: democratic.services@demoborough.example/)).toBeTruthy();
  });

  it('cannot turn details on where the council keeps notifications private', async () => {
    await renderSettings(settings({ detailsAllowed: false }));

    const details = checkbox(/Show the sender and subject/);
    expect(details.disabled).toBe(true);
    expect(details.getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByText(/security policy keeps notifications private/)).toBeTruthy();
  });

  it('saves quiet hours and the senders that always notify, and shows what was kept', async () => {
    await renderSettings(settings());
    vi.mocked(setNotificationSettings).mockImplementation(async (next) => ({
      ...next,
      vipSenders: next.vipSenders.map((address) => address.toLowerCase()),
    }));

    await fireEvent.click(checkbox('Remind me before meetings, when the invitation asks'));
    await fireEvent.click(checkbox('Quiet hours'));
    await fireEvent.input(screen.getByLabelText('From'), { target: { value: '21:30' } });
    await fireEvent.input(screen.getByLabelText('Until'), { target: { value: '06:45' } });
    await fireEvent.input(screen.getByLabelText(/Always notify me about email from/), {
      target: { value: 'Leader@DemoBorough.example\nchief.exec@demoborough.example' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Save notification settings' }));

    expect(await screen.findByText('Notification settings saved.')).toBeTruthy();
    expect(setNotificationSettings).toHaveBeenCalledWith(
      expect.objectContaining({
        meetingReminders: false,
        quietFrom: '21:30',
        quietUntil: '06:45',
        vipSenders: ['Leader@DemoBorough.example', 'chief.exec@demoborough.example'],
      }),
    );
    expect((screen.getByLabelText(/Always notify me about email from/) as HTMLTextAreaElement).value).toBe(
      'leader@demoborough.example\nchief.exec@demoborough.example',
    );
  });

  it('says plainly when the settings could not be saved', async () => {
    await renderSettings(settings());
    vi.mocked(setNotificationSettings).mockRejectedValue({ kind: 'invalid', message: '‘nobody’ is not an email address.' });

    await fireEvent.input(screen.getByLabelText(/Always notify me about email from/), { target: { value: 'nobody' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save notification settings' }));

    expect((await screen.findByRole('alert')).textContent).toContain('‘nobody’ is not an email address.');
    expect(screen.queryByText('Notification settings saved.')).toBeNull();
  });
});
