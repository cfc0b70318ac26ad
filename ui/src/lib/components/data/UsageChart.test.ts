import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DataOverview } from '../../ipc';
import { GB, MB } from '../../bytes';
import { createChart, type ChartHandle, type UsageChartConfig } from './chart';
import { overviewFixture } from './fixtures';
import UsageChart from './UsageChart.svelte';
import { CHART_COLOURS } from './usage';

// jsdom has no canvas: the chart is mocked and its configuration checked instead.
vi.mock('./chart', () => ({ createChart: vi.fn() }));

const mockedCreateChart = vi.mocked(createChart);
let handle: { update: ReturnType<typeof vi.fn<(config: UsageChartConfig) => void>>; destroy: ReturnType<typeof vi.fn<() => void>> };

/** Text as read, with any run of spaces (sizes use a no-break space before the unit) as one space. */
function plain(value: string | null | undefined): string {
  return value?.replace(/\s+/g, ' ').trim() ?? '';
}

function text(element: HTMLElement): string {
  return plain(element.textContent);
}

function drawnConfig(): UsageChartConfig {
  const config = mockedCreateChart.mock.calls[0]?.[1];
  if (!config) throw new Error('The chart was not drawn.');
  return config;
}

function dataset(config: UsageChartConfig, label: string) {
  const found = config.data.datasets.find((set) => set.label === label);
  if (!found) throw new Error(`No dataset is labelled "${label}".`);
  return found;
}

function mockReducedMotion(matches: boolean) {
  const query = { matches, addEventListener: vi.fn(), removeEventListener: vi.fn() };
  window.matchMedia = vi.fn(() => query as unknown as MediaQueryList);
}

describe('UsageChart', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-11-23T12:00:00Z'));
    mockedCreateChart.mockReset();
    handle = { update: vi.fn(), destroy: vi.fn() };
    mockedCreateChart.mockImplementation(() => handle as ChartHandle);
    mockReducedMotion(false);
  });

  afterEach(() => {
    vi.useRealTimers();
    // jsdom has no matchMedia of its own.
    Reflect.deleteProperty(window, 'matchMedia');
  });

  it('draws on the canvas, which is an image named in words', () => {
    render(UsageChart, { overview: overviewFixture() });

    const canvas = screen.getByRole('img');
    expect(canvas.tagName).toBe('CANVAS');
    expect(mockedCreateChart).toHaveBeenCalledWith(canvas, expect.anything());
  });

  it('gives the chart the cumulative mobile use for each day so far, in MB', () => {
    render(UsageChart, { overview: overviewFixture() });

    const config = drawnConfig();
    expect(config.type).toBe('line');
    expect(config.data.labels).toHaveLength(30);
    expect(config.data.labels?.[0]).toBe('1 Nov');
    expect(config.data.labels?.[29]).toBe('30 Nov');

    const used = dataset(config, 'Used so far').data;
    expect(used.slice(0, 3)).toEqual([17, 34, 51]);
    expect(used[22]).toBe(412);
    expect(used.slice(23)).toEqual(Array(7).fill(null));
  });

  it('draws the projection as a dashed line to the end of the month, with the likely range as a band', () => {
    render(UsageChart, { overview: overviewFixture() });

    const config = drawnConfig();
    const projection = dataset(config, 'Projection');
    expect(projection.borderDash).toEqual([8, 6]);
    expect(projection.data.slice(0, 22)).toEqual(Array(22).fill(null));
    expect(projection.data[22]).toBe(412);
    expect(projection.data[29]).toBe(740);

    const low = dataset(config, 'Likely lowest');
    const high = dataset(config, 'Likely highest');
    expect(low.data[29]).toBe(600);
    expect(high.data[29]).toBe(820);
    expect(high.fill).toBe('-1');
    expect(config.data.datasets.indexOf(high)).toBe(config.data.datasets.indexOf(low) + 1);
  });

  it('draws one labelled line for each threshold, the allowance in its own colour', () => {
    render(UsageChart, { overview: overviewFixture() });

    const config = drawnConfig();
    const lines = config.data.datasets.slice(4);
    expect(lines.map((set) => plain(set.label))).toEqual(['50% (512 MB)', '75% (768 MB)', '90% (922 MB)', 'Allowance (1 GB)']);
    expect(lines[0]?.data).toEqual(Array(30).fill(512));
    expect(lines[3]?.data).toEqual(Array(30).fill(1024));
    expect(lines[3]?.borderColor).toBe(CHART_COLOURS.cap);

    const labels = config.options?.plugins?.thresholdLabels?.lines;
    expect(labels?.map((label) => [label.value, plain(label.text), plain(label.short)])).toEqual([
      [512, '50% (512 MB)', '50%'],
      [768, '75% (768 MB)', '75%'],
      [921.6, '90% (922 MB)', '90%'],
      [1024, 'Allowance (1 GB)', '1 GB'],
    ]);
  });

  it('labels the y axis in MB, in round steps up to just above the allowance', () => {
    render(UsageChart, { overview: overviewFixture() });

    const y = drawnConfig().options?.scales?.y as
      | { min?: number; max?: number; title?: { text?: string }; ticks?: { stepSize?: number; callback?: unknown } }
      | undefined;
    const callback = y?.ticks?.callback as ((value: number) => string) | undefined;
    expect(y?.title?.text).toBe('MB');
    expect(callback?.(1000)).toBe('1,000');
    expect([y?.min, y?.max, y?.ticks?.stepSize]).toEqual([0, 1200, 200]);
  });

  it('summarises the chart in words for screen readers', () => {
    render(UsageChart, { overview: overviewFixture() });

    expect(plain(screen.getByRole('img').getAttribute('aria-label'))).toBe(
      'Line chart of the mobile data this app has used this month. ' +
        'By 23 November it had used 412 MB of your 1 GB allowance. ' +
        'A dashed line shows that at this rate it will use about 740 MB by 30 November, likely between 600 MB and 820 MB. ' +
        'Lines mark 512 MB (50%), 768 MB (75%), 922 MB (90%) and your 1 GB allowance.',
    );
  });

  it('says in the summary when the projection is over the allowance', () => {
    const projection = { expectedBytes: 1.2 * GB, lowBytes: GB, highBytes: 1.4 * GB, sentence: '' };
    render(UsageChart, { overview: overviewFixture({ projection }) });

    expect(plain(screen.getByRole('img').getAttribute('aria-label'))).toContain(
      'about 1.2 GB by 30 November, likely between 1 GB and 1.4 GB, which is over your allowance.',
    );
  });

  it('offers the same figures as a table', async () => {
    render(UsageChart, { overview: overviewFixture() });

    const disclosure = screen.getByText('Show as a table');
    expect(disclosure.tagName).toBe('SUMMARY');
    await fireEvent.click(disclosure);

    const days = screen.getByRole('table', { name: 'Mobile data used each day this month' });
    const rows = within(days).getAllByRole('row');
    expect(rows).toHaveLength(24);
    expect(within(rows[0]!).getAllByRole('columnheader').map((cell) => text(cell))).toEqual([
      'Day',
      'Used that day',
      'Total so far',
    ]);
    expect(text(within(rows[23]!).getByRole('rowheader'))).toBe('23 November');
    expect(within(rows[23]!).getAllByRole('cell').map((cell) => text(cell))).toEqual(['38 MB', '412 MB']);

    const ahead = screen.getByRole('table', { name: 'At this rate, by 30 November' });
    const figures = within(ahead)
      .getAllByRole('row')
      .slice(1)
      .map((row) => `${within(row).getByRole('rowheader').textContent}: ${text(within(row).getByRole('cell'))}`);
    expect(figures).toEqual([
      'Used so far (to 23 November): 412 MB',
      'Expected by 30 November: 740 MB',
      'Likely lowest: 600 MB',
      'Likely highest: 820 MB',
      '50% warning: 512 MB',
      '75% warning: 768 MB',
      '90% warning: 922 MB',
      'Allowance: 1 GB',
    ]);
  });

  it('counts days with no use as nothing, up to today', () => {
    const overview: DataOverview = overviewFixture({
      daily: [
        { date: '2025-11-02', bytes: 10 * MB },
        { date: '2025-11-20', bytes: 5 * MB },
      ],
    });
    render(UsageChart, { overview });

    const used = dataset(drawnConfig(), 'Used so far').data;
    expect(used.slice(0, 3)).toEqual([0, 10, 10]);
    expect(used[22]).toBe(15);
    expect(used[23]).toBeNull();
  });

  it('updates the chart when the figures change, and destroys it when closed', async () => {
    const { rerender, unmount } = render(UsageChart, { overview: overviewFixture() });
    expect(mockedCreateChart).toHaveBeenCalledTimes(1);

    await rerender({ overview: overviewFixture({ projection: { ...overviewFixture().projection, expectedBytes: 800 * MB } }) });
    expect(mockedCreateChart).toHaveBeenCalledTimes(1);
    expect(handle.update).toHaveBeenCalledTimes(1);
    const updated = handle.update.mock.calls[0]![0];
    expect(dataset(updated, 'Projection').data[29]).toBe(800);

    unmount();
    expect(handle.destroy).toHaveBeenCalledTimes(1);
  });

  it('animates only when the reader has not asked for reduced motion', () => {
    render(UsageChart, { overview: overviewFixture() });
    expect(drawnConfig().options?.animation).toEqual({ duration: 400 });
  });

  it('turns animation off when the reader prefers reduced motion', () => {
    mockReducedMotion(true);
    render(UsageChart, { overview: overviewFixture() });
    expect(drawnConfig().options?.animation).toBe(false);
  });

  it('opens the table when the chart cannot be drawn', () => {
    mockedCreateChart.mockImplementation(() => {
      throw new Error('No canvas context');
    });
    render(UsageChart, { overview: overviewFixture() });

    expect(screen.getByText(/The chart could not be drawn/)).toBeTruthy();
    expect(screen.getByText('Show as a table').closest('details')?.open).toBe(true);
  });
});
