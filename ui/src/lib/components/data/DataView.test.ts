import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  dataOverview,
  onDataChanged,
  setDeviceUsage,
  setLevel,
  setNetwork,
  spendAnyway,
  type DataChanged,
  type DataOverview,
} from '../../ipc';
import { GB, MB } from '../../bytes';
import { createChart } from './chart';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import DataView from './DataView.svelte';
import { overviewFixture } from './fixtures';

// The one door to the Rust core: the data commands are mocked, errorMessage stays real.
vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  dataOverview: vi.fn(),
  setDeviceUsage: vi.fn(),
  setLevel: vi.fn(),
  spendAnyway: vi.fn(),
  setNetwork: vi.fn(),
  onDataChanged: vi.fn(),
}));
// jsdom has no canvas.
vi.mock('./chart', () => ({ createChart: vi.fn() }));

const mocked = {
  dataOverview: vi.mocked(dataOverview),
  setDeviceUsage: vi.mocked(setDeviceUsage),
  setLevel: vi.mocked(setLevel),
  spendAnyway: vi.mocked(spendAnyway),
  setNetwork: vi.mocked(setNetwork),
  onDataChanged: vi.mocked(onDataChanged),
  createChart: vi.mocked(createChart),
};

let dataChanged: ((changed: DataChanged) => void) | null = null;

/** The data screen in an app whose state hears the core's (mocked) change events. */
function renderData() {
  const app = new AppState();
  app.listen();
  return render(DataView, { context: appContext(app) });
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

async function renderLoaded(overview: DataOverview = overviewFixture()) {
  mocked.dataOverview.mockResolvedValue(overview);
  const result = renderData();
  await screen.findByText(HEADLINE);
  return result;
}

/** The headline, not the level's reason (which may also start "You have used"). */
const HEADLINE = (_content: string, element: Element | null) =>
  element?.tagName === 'P' && /^You have used [\d.,]+ [KMG]?B of your/.test(text(element as HTMLElement));

/** Text as read, with any run of spaces (sizes use a no-break space before the unit) as one space. */
function plain(value: string | null | undefined): string {
  return value?.replace(/\s+/g, ' ').trim() ?? '';
}

function text(element: HTMLElement | null): string {
  return plain(element?.textContent);
}

describe('DataView', () => {
  beforeEach(() => {
    // Only the clock is faked: "today" is 23 November 2025 in London.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-11-23T12:00:00Z'));
    for (const mock of Object.values(mocked)) mock.mockReset();
    dataChanged = null;
    mocked.onDataChanged.mockImplementation(async (handler) => {
      dataChanged = handler;
      return () => {};
    });
    mocked.createChart.mockImplementation(() => ({ update: vi.fn(), destroy: vi.fn() }));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the heading and a loading message while the figures are on their way', () => {
    mocked.dataOverview.mockReturnValue(new Promise<DataOverview>(() => {}));
    renderData();

    expect(screen.getByRole('heading', { level: 2, name: 'Data allowance' })).toBeTruthy();
    expect(text(screen.getByRole('status'))).toBe('Loading your data figures…');
  });

  it('says how much of the allowance is used and how many days are left', async () => {
    await renderLoaded();

    expect(text(screen.getByText(HEADLINE))).toBe('You have used 412 MB of your 1 GB this month');
    expect(text(screen.getByText(/Your month runs/))).toBe('Your month runs 1 November to 30 November; 8 days left.');
    expect(text(screen.getByText(/own use of mobile data/))).toContain('also used 1.3 GB on Wi-Fi');
  });

  it('gives the meter a spoken value and marks the warning levels', async () => {
    const { container } = await renderLoaded();

    const meter = screen.getByRole('meter', { name: (name) => plain(name) === 'You have used 412 MB of your 1 GB this month' });
    expect(plain(meter.getAttribute('aria-valuetext'))).toBe('412 MB of 1 GB (40%)');
    expect(meter.getAttribute('aria-valuemax')).toBe(String(GB));
    expect(container.querySelectorAll('.meter-mark')).toHaveLength(3);
    const labels = Array.from(container.querySelectorAll('.meter-label'), (label) => text(label as HTMLElement));
    expect(labels).toEqual(['50%', '75%', '90%']);
    expect(text(container.querySelector('.meter-end'))).toBe('1 GB');
    expect(text(screen.getByText(/Marks at/))).toBe('Marks at 50% (512 MB), 75% (768 MB), 90% (922 MB).');
  });

  it('says which mark has been passed and how far over the allowance the app is', async () => {
    await renderLoaded(overviewFixture({ appMobileBytes: 800 * MB }));
    expect(text(screen.getByText(/You have passed/).closest('p'))).toBe(
      'You have passed the 75% mark (768 MB). Next: 90% at 922 MB.',
    );
  });

  it('says how far over the allowance the app is once it has gone over', async () => {
    await renderLoaded(overviewFixture({ appMobileBytes: 1100 * MB }));
    expect(text(screen.getByText(/Over your allowance:/).closest('p'))).toBe('Over your allowance: by 76 MB.');
    expect(plain(screen.getByRole('meter').getAttribute('aria-valuetext'))).toBe('1.07 GB of 1 GB: 76 MB over your allowance');
    expect(screen.getByRole('meter').getAttribute('aria-valuenow')).toBe(String(GB));
  });

  it('shows the projection sentence and its likely range, without a warning when under', async () => {
    await renderLoaded();

    expect(screen.getByText('At this rate you will use about 740 MB by 30 November.')).toBeTruthy();
    expect(text(screen.getByText(/likely between/))).toBe('By the end of the month, likely between 600 MB and 820 MB.');
    expect(screen.queryByText(/go over your allowance/)).toBeNull();
  });

  it('warns when the projection is over the allowance', async () => {
    await renderLoaded(
      overviewFixture({
        projection: {
          expectedBytes: 1.2 * GB,
          lowBytes: 1.1 * GB,
          highBytes: 1.4 * GB,
          sentence: 'At this rate you will use about 1.2 GB by 30 November.',
        },
      }),
    );

    const warning = screen.getByText('Warning: at this rate you will go over your allowance.');
    expect(warning.closest('.projection')?.classList.contains('over')).toBe(true);
    expect(text(screen.getByText(/likely between/))).toBe('By the end of the month, likely between 1.1 GB and 1.4 GB.');
  });

  it('says the member could go over when only the top of the range is over', async () => {
    await renderLoaded(
      overviewFixture({ projection: { ...overviewFixture().projection, highBytes: 1.1 * GB } }),
    );
    expect(screen.getByText(/you could go over your allowance/)).toBeTruthy();
    expect(screen.queryByText(/Warning:/)).toBeNull();
  });

  it('draws the chart of the month', async () => {
    await renderLoaded();
    expect(screen.getByRole('heading', { level: 3, name: 'Day by day' })).toBeTruthy();
    expect(mocked.createChart).toHaveBeenCalledTimes(1);
  });

  it('saves the phone’s figure of 1.5 GB as bytes', async () => {
    await renderLoaded();
    mocked.setDeviceUsage.mockResolvedValue(overviewFixture({ deviceBytes: 1.5 * GB }));

    const amount = screen.getByLabelText('Mobile data the whole phone has used this month');
    await fireEvent.input(amount, { target: { value: '1.5' } });
    await fireEvent.change(screen.getByLabelText('Unit'), { target: { value: 'GB' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save the phone’s figure' }));

    expect(mocked.setDeviceUsage).toHaveBeenCalledWith(1_610_612_736);
    const figures = await screen.findByText('Whole phone', { selector: 'dt' });
    expect(text(figures.nextElementSibling as HTMLElement | null)).toBe('1.5 GB');
    expect(text(screen.getByText(/whole phone is over your allowance/).closest('p'))).toBe(
      'The whole phone is over your allowance by 512 MB.',
    );
    await waitFor(() => expect((amount as HTMLInputElement).value).toBe(''));
  });

  it('understands “1.5 GB” typed into the box whatever unit is chosen', async () => {
    await renderLoaded();
    mocked.setDeviceUsage.mockResolvedValue(overviewFixture({ deviceBytes: 1.5 * GB }));

    await fireEvent.input(screen.getByLabelText('Mobile data the whole phone has used this month'), {
      target: { value: '1.5 GB' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Save the phone’s figure' }));

    expect(mocked.setDeviceUsage).toHaveBeenCalledWith(1.5 * GB);
  });

  it('rejects “-3” with an error tied to the box', async () => {
    await renderLoaded();

    const amount = screen.getByLabelText('Mobile data the whole phone has used this month');
    await fireEvent.input(amount, { target: { value: '-3' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save the phone’s figure' }));

    expect(mocked.setDeviceUsage).not.toHaveBeenCalled();
    expect(amount.getAttribute('aria-invalid')).toBe('true');
    const described = (amount.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id));
    expect(described.map((element) => text(element))).toContain(
      'Error: Enter 0 or more: the figure cannot be less than zero',
    );
    expect(document.activeElement).toBe(amount);
  });

  it('clears the phone’s figure', async () => {
    await renderLoaded(overviewFixture({ deviceBytes: 640 * MB }));
    expect(screen.getByText(/That leaves 384 MB of your 1 GB/)).toBeTruthy();
    mocked.setDeviceUsage.mockResolvedValue(overviewFixture());

    await fireEvent.click(screen.getByRole('button', { name: 'Clear the phone’s figure' }));

    expect(mocked.setDeviceUsage).toHaveBeenCalledWith(null);
    expect(await screen.findByText('Not entered yet')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Clear the phone’s figure' })).toBeNull();
  });

  it('explains the level and what it does', async () => {
    await renderLoaded(
      overviewFixture({ level: 'saver', levelReason: 'You have used more than half of your allowance.' }),
    );

    expect(text(screen.getByText(/Your data level is/))).toBe(
      'Your data level is Saver: messages download when you open them; attachments and pictures on mobile data ask first; updates every 30 minutes.',
    );
    expect(screen.getByText('You have used more than half of your allowance.')).toBeTruthy();
    const group = screen.getByRole('group', { name: 'Choose the data level' });
    const automatic = within(group).getByRole('radio', { name: /^Automatic/ }) as HTMLInputElement;
    expect(automatic.checked).toBe(true);
    expect(text(document.getElementById(automatic.getAttribute('aria-describedby') ?? ''))).toMatch(/chooses Normal, Saver or Critical/);
    const critical = within(group).getByRole('radio', { name: /^Critical/ });
    expect(text(document.getElementById(critical.getAttribute('aria-describedby') ?? ''))).toBe(
      'Only message headers on mobile data; nothing large.',
    );
  });

  it('returns the level to automatic when Automatic is chosen', async () => {
    await renderLoaded(overviewFixture({ level: 'critical', override: { level: 'critical', extraBytesLeft: 0 } }));
    expect(screen.getByText(/You chose this level/)).toBeTruthy();
    expect((screen.getByRole('radio', { name: /^Critical/ }) as HTMLInputElement).checked).toBe(true);
    mocked.setLevel.mockResolvedValue(overviewFixture({ level: 'normal' }));

    await fireEvent.click(screen.getByRole('radio', { name: /^Automatic/ }));

    expect(mocked.setLevel).toHaveBeenCalledWith(null);
    await waitFor(() => expect(text(screen.getByText(/Your data level is/))).toMatch(/^Your data level is Normal/));
    expect((screen.getByRole('radio', { name: /^Automatic/ }) as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect(text(screen.getByRole('status'))).toBe('Data level chosen automatically: Normal for now.'));
  });

  it('sets a level the member chooses', async () => {
    await renderLoaded();
    mocked.setLevel.mockResolvedValue(overviewFixture({ level: 'saver', override: { level: 'saver', extraBytesLeft: 0 } }));

    await fireEvent.click(screen.getByRole('radio', { name: /^Saver/ }));

    expect(mocked.setLevel).toHaveBeenCalledWith('saver');
    await waitFor(() => expect(text(screen.getByRole('status'))).toBe('Data level set to Saver.'));
  });

  it('sends only the newest level once the one before has been answered', async () => {
    await renderLoaded();
    const first = deferred<DataOverview>();
    mocked.setLevel
      .mockReturnValueOnce(first.promise)
      .mockResolvedValueOnce(overviewFixture({ level: 'critical', override: { level: 'critical', extraBytesLeft: 0 } }));

    await fireEvent.click(screen.getByRole('radio', { name: /^Normal/ }));
    await fireEvent.click(screen.getByRole('radio', { name: /^Saver/ }));
    await fireEvent.click(screen.getByRole('radio', { name: /^Critical/ }));
    expect(mocked.setLevel).toHaveBeenCalledTimes(1);
    expect((screen.getByRole('radio', { name: /^Critical/ }) as HTMLInputElement).checked).toBe(true);

    first.resolve(overviewFixture({ override: { level: 'normal', extraBytesLeft: 0 } }));
    await waitFor(() => expect(mocked.setLevel).toHaveBeenCalledTimes(2));
    expect(mocked.setLevel).toHaveBeenLastCalledWith('critical');
    await waitFor(() => expect(text(screen.getByText(/Your data level is/))).toMatch(/^Your data level is Critical/));
  });

  it('lets the member spend 20 MB anyway when the saver is on, and shows what is left', async () => {
    await renderLoaded(overviewFixture({ level: 'saver' }));
    mocked.spendAnyway.mockResolvedValue(
      overviewFixture({ level: 'saver', override: { level: null, extraBytesLeft: 20 * MB } }),
    );

    await fireEvent.click(screen.getByRole('button', { name: 'Spend 20 MB anyway' }));

    expect(mocked.spendAnyway).toHaveBeenCalledWith(20 * 1024 * 1024);
    expect(text((await screen.findByText(/of extra data left to spend/)).closest('p'))).toBe(
      '20 MB of extra data left to spend.',
    );
  });

  it('offers no spending anyway at the normal level', async () => {
    await renderLoaded();
    expect(screen.queryByRole('button', { name: 'Spend 20 MB anyway' })).toBeNull();
  });

  it('shows a failed change with the core’s words and tries it again', async () => {
    await renderLoaded(overviewFixture({ level: 'critical' }));
    mocked.spendAnyway
      .mockRejectedValueOnce({ kind: 'storage', message: 'The data ledger is busy' })
      .mockResolvedValueOnce(overviewFixture({ level: 'critical', override: { level: null, extraBytesLeft: 20 * MB } }));

    await fireEvent.click(screen.getByRole('button', { name: 'Spend 20 MB anyway' }));
    expect(text(await screen.findByRole('alert'))).toBe('The data ledger is busy.');

    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(mocked.spendAnyway).toHaveBeenCalledTimes(2);
    expect(await screen.findByText(/of extra data left to spend/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('lists each part of the app in a table with header cells and a total', async () => {
    await renderLoaded();

    const table = screen.getByRole('table', { name: 'Data used by each part of the app this month' });
    const headers = within(table).getAllByRole('columnheader').map((cell) => text(cell));
    expect(headers).toEqual(['Part of the app', 'Mobile data', 'Wi-Fi']);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => text(within(row).getByRole('rowheader')))).toEqual([
      'Message lists',
      'Messages',
      'Attachments',
      'Total',
    ]);
    expect(within(rows[2]!).getAllByRole('cell').map((cell) => text(cell))).toEqual(['62 MB', '850 KB']);
    expect(within(rows[3]!).getAllByRole('cell').map((cell) => text(cell))).toEqual(['412 MB', '1.29 GB']);
  });

  it('shows what the last update cost and when, in UK time', async () => {
    await renderLoaded();

    const sentence = text(screen.getByText(/The last update used/));
    expect(sentence).toMatch(/^The last update used 1.2 MB\. It finished on .*23 November 2025.*09:05\.$/);
    expect(screen.getByText(/23 November 2025/).getAttribute('datetime')).toBe('2025-11-23T09:05:00Z');
  });

  it('reloads when the allowance changes, and not for other collections', async () => {
    await renderLoaded();
    expect(mocked.dataOverview).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(dataChanged).not.toBeNull());

    dataChanged?.({ collections: ['mail'] });
    expect(mocked.dataOverview).toHaveBeenCalledTimes(1);

    mocked.dataOverview.mockResolvedValue(overviewFixture({ appMobileBytes: 500 * MB }));
    dataChanged?.({ collections: ['mail', 'allowance'] });
    expect(mocked.dataOverview).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(text(screen.getByText(HEADLINE))).toBe('You have used 500 MB of your 1 GB this month'));
  });

  it('shows a loading failure with the core’s words and tries again', async () => {
    mocked.dataOverview
      .mockRejectedValueOnce({ kind: 'storage', message: 'The cache is locked' })
      .mockResolvedValueOnce(overviewFixture());
    renderData();

    const alert = await screen.findByRole('alert');
    expect(text(alert)).toBe('Your data figures could not be loaded The cache is locked.');

    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Data allowance' }));
    expect(await screen.findByText(HEADLINE)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('hides a technical failure behind a plain message', async () => {
    mocked.dataOverview.mockRejectedValue(new TypeError('invoke is not a function'));
    renderData();

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Something went wrong. Please try again.');
    expect(alert.textContent).not.toContain('invoke');
  });

  it('asks which network the device is on when the core says the member sets it, and tells the core', async () => {
    await renderLoaded(overviewFixture({ network: 'wifi', networkSource: 'member', networkSettable: true }));
    mocked.setNetwork.mockResolvedValue(
      overviewFixture({ network: 'mobile', networkSource: 'member', networkSettable: true }),
    );

    expect(screen.getByRole('heading', { level: 3, name: 'Connection' })).toBeTruthy();
    const group = screen.getByRole('group', { name: 'This device is on' });
    expect((within(group).getByRole('radio', { name: 'Wi-Fi' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByTestId('network-said').textContent).toBe('You chose Wi-Fi.');
    await fireEvent.click(within(group).getByRole('radio', { name: 'Mobile data' }));

    expect(mocked.setNetwork).toHaveBeenCalledWith('mobile');
    await waitFor(() => expect(text(screen.getByRole('status'))).toMatch(/^Counted as mobile data:/));
    expect((within(group).getByRole('radio', { name: 'Mobile data' }) as HTMLInputElement).checked).toBe(true);
  });

  it('says when the computer calls the connection metered, and hands the choice back to it', async () => {
    await renderLoaded(overviewFixture({ network: 'wifi', networkSource: 'member', networkSettable: true }));
    mocked.setNetwork.mockResolvedValue(
      overviewFixture({ network: 'mobile', networkSource: 'system', networkSettable: true }),
    );
    const group = screen.getByRole('group', { name: 'This device is on' });
    await fireEvent.click(within(group).getByRole('radio', { name: 'As the computer says' }));

    expect(mocked.setNetwork).toHaveBeenCalledWith('system');
    await waitFor(() =>
      expect(text(screen.getByRole('status'))).toMatch(/^Counted as mobile data \(as the computer says\)/),
    );
    expect((within(group).getByRole('radio', { name: 'As the computer says' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByTestId('network-said').textContent).toBe(
      'Your computer says this connection is metered, so the app counts it as mobile data.',
    );
  });

  it('says plainly when nothing tells the app which network it is on', async () => {
    await renderLoaded(overviewFixture({ network: 'wifi', networkSource: 'assumed', networkSettable: true }));
    expect(screen.getByTestId('network-said').textContent).toBe(
      'Your computer does not say whether this connection is metered, so the app counts it as Wi-Fi.',
    );
    const group = screen.getByRole('group', { name: 'This device is on' });
    expect((within(group).getByRole('radio', { name: 'As the computer says' }) as HTMLInputElement).checked).toBe(true);
  });

  it('does not ask which network the device is on when the core reads it itself', async () => {
    await renderLoaded(overviewFixture({ networkSettable: false }));
    expect(screen.queryByRole('group', { name: 'This device is on' })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Connection' })).toBeNull();
  });

  it('follows the core when it stops or starts letting the member set the network', async () => {
    await renderLoaded(overviewFixture({ networkSettable: false }));
    expect(screen.queryByRole('group', { name: 'This device is on' })).toBeNull();

    mocked.dataOverview.mockResolvedValue(overviewFixture({ networkSettable: true }));
    dataChanged?.({ collections: ['allowance'] });

    expect(await screen.findByRole('group', { name: 'This device is on' })).toBeTruthy();
  });
});
