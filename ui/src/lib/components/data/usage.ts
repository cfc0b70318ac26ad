// Turns the core's data overview into what the usage chart draws, says and tabulates.
// No chart.js here (only its types), so this runs and tests without a canvas.
import type { DataOverview } from '../../ipc';
import { formatBytes, formatPercent, MB, toMegabytes } from '../../bytes';
import type { ThresholdLabel, UsageChartConfig } from './chart';
import { cycleDates, daysFrom, formatDate, formatShortDate } from './cycle';

/**
 * Colours for the canvas, which cannot read CSS custom properties. Each is checked against the
 * white chart surface: lines and labels need 3:1 as graphics and 4.5:1 as text.
 */
export const CHART_COLOURS = {
  /** --color-brand, 8.1:1: the line of use so far. */
  used: '#1d4f91',
  /** --color-text-muted, 7.9:1: the dashed projection. */
  projection: '#4a5261',
  /** 4.8:1: the dotted edges of the likely range. */
  range: '#6b7280',
  /** Decoration only: the range is also given in words and in the table. */
  rangeFill: 'rgba(29, 79, 145, 0.12)',
  /** 5.9:1: the warning levels below the allowance. */
  warning: '#8a5a00',
  /** --color-error, 7.8:1: the allowance itself. */
  cap: '#a4161a',
  /** --color-text-muted: axis text. */
  axis: '#4a5261',
  /** Grid lines are decoration; the axis labels carry the values. */
  grid: '#e1e5eb',
  surface: '#ffffff',
} as const;

export type Threshold = { fraction: number; bytes: number; name: string; label: string };

export type DayRow = { date: string; bytes: number; total: number };

export type UsageSeries = {
  /** Every date of the cycle. */
  dates: string[];
  /** Cumulative mobile bytes for each date so far, then null. */
  used: Array<number | null>;
  /** The last date with a figure (today, or the newest day the core sent); -1 when none. */
  lastIndex: number;
  /** From the last figure to the cycle's end: null before it. */
  projection: Array<number | null>;
  low: Array<number | null>;
  high: Array<number | null>;
  thresholds: Threshold[];
  days: DayRow[];
};

/** "75% warning", or "Allowance" for the cap itself. */
export function thresholds(overview: DataOverview): Threshold[] {
  return [...overview.thresholds]
    // The core sends numbers; JSON turns a non-finite one into null, which is left out.
    .filter((fraction): fraction is number => fraction !== null && Number.isFinite(fraction) && fraction > 0)
    .sort((a, b) => a - b)
    .map((fraction) => {
      const bytes = Math.round(overview.capBytes * fraction);
      const name = fraction === 1 ? 'Allowance' : `${formatPercent(fraction)} warning`;
      return { fraction, bytes, name, label: `${fraction === 1 ? 'Allowance' : formatPercent(fraction)} (${formatBytes(bytes)})` };
    });
}

/** Straight from `from` at `start` to `to` at the last index; null before `start`. */
function line(length: number, start: number, from: number, to: number): Array<number | null> {
  const steps = length - 1 - start;
  return Array.from({ length }, (_, index) => {
    if (index < start) return null;
    if (steps <= 0) return to;
    return Math.round(from + ((to - from) * (index - start)) / steps);
  });
}

export function usageSeries(overview: DataOverview, today: string): UsageSeries {
  const dates = cycleDates(overview.cycleStart, overview.cycleEnd);
  const perDay = new Map<string, number>();
  for (const day of overview.daily) perDay.set(day.date, (perDay.get(day.date) ?? 0) + Math.max(0, day.bytes));

  // Days so far run to today (days with no use may be missing from `daily`), or to the newest
  // day sent if the phone's clock is behind the core's.
  const sinceStart = daysFrom(overview.cycleStart, today);
  let lastIndex = Math.min(Number.isNaN(sinceStart) ? -1 : sinceStart, dates.length - 1);
  for (const date of perDay.keys()) lastIndex = Math.max(lastIndex, dates.indexOf(date));
  lastIndex = Math.max(lastIndex, -1);

  const days: DayRow[] = [];
  let total = 0;
  const used = dates.map((date, index) => {
    if (index > lastIndex) return null;
    const bytes = perDay.get(date) ?? 0;
    total += bytes;
    days.push({ date, bytes, total });
    return total;
  });

  const start = Math.max(lastIndex, 0);
  const { expectedBytes, lowBytes, highBytes } = overview.projection;
  return {
    dates,
    used,
    lastIndex,
    projection: line(dates.length, start, total, expectedBytes),
    low: line(dates.length, start, total, lowBytes),
    high: line(dates.length, start, total, highBytes),
    thresholds: thresholds(overview),
    days,
  };
}

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The chart in words, for its aria-label. */
export function usageSummary(overview: DataOverview, series: UsageSeries): string {
  const cap = formatBytes(overview.capBytes);
  const lastDay = series.days[series.days.length - 1];
  const end = formatDate(overview.cycleEnd);
  const { expectedBytes, lowBytes, highBytes } = overview.projection;

  const sentences = ['Line chart of the mobile data this app has used this month.'];
  sentences.push(
    lastDay
      ? `By ${formatDate(lastDay.date)} it had used ${formatBytes(lastDay.total)} of your ${cap} allowance.`
      : `No mobile data has been used yet of your ${cap} allowance.`,
  );
  sentences.push(
    `A dashed line shows that at this rate it will use about ${formatBytes(expectedBytes)} by ${end}, ` +
      `likely between ${formatBytes(lowBytes)} and ${formatBytes(highBytes)}` +
      (expectedBytes > overview.capBytes ? ', which is over your allowance.' : '.'),
  );
  const marks = series.thresholds.map((threshold) =>
    threshold.fraction === 1 ? `your ${formatBytes(threshold.bytes)} allowance` : `${formatBytes(threshold.bytes)} (${formatPercent(threshold.fraction)})`,
  );
  if (marks.length > 0) sentences.push(`Lines mark ${listInWords(marks)}.`);
  return sentences.join(' ');
}

/** A round top for the y axis (in MB) just above `highest`, in at most eight even steps. */
export function yScale(highest: number): { max: number; step: number } {
  const top = Math.max(highest, 1);
  const magnitude = 10 ** Math.floor(Math.log10(top / 6));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * magnitude).find((size) => top / size <= 8) ?? 10 * magnitude;
  return { max: Math.ceil(top / step) * step, step };
}

type Span = { top: number; bottom: number };

/**
 * Where each threshold's label goes on the chart (the top of its box, in pixels): just above its
 * line where there is room, otherwise just below, so that no label covers another threshold
 * line or another label. `lineYs` run top first; `gap` keeps a box clear of its own line.
 */
export function placeLabels(lineYs: number[], height: number, gap: number, area: Span): number[] {
  const placed: Span[] = [];
  return lineYs.map((y, index) => {
    const above: Span = { top: y - gap - height, bottom: y - gap };
    const below: Span = { top: y + gap, bottom: y + gap + height };
    const fits = (box: Span) =>
      box.top >= area.top &&
      box.bottom <= area.bottom &&
      lineYs.every((other, otherIndex) => otherIndex === index || other <= box.top || other >= box.bottom) &&
      placed.every((taken) => taken.bottom <= box.top || taken.top >= box.bottom);
    const box = [above, below].find(fits) ?? above;
    placed.push(box);
    return box.top;
  });
}

/**
 * How many dates fit under the chart: each takes about 4.5 ems with its gap, and the y axis takes
 * about as much again. At large text sizes on a phone this may be just the first date.
 */
export function xTickLimit(width: number, fontSize: number): number {
  const em = Math.max(fontSize, 1);
  return Math.min(8, Math.max(1, Math.floor((width - 4.5 * em) / (4.5 * em))));
}

/** `width` is the chart's width in CSS pixels, as far as it is known before drawing. */
export type ChartLook = { reducedMotion: boolean; fontSize: number; fontFamily: string; width: number };

/** The chart.js configuration: sizes in MB on the y axis, one point per day of the cycle. */
export function usageChartConfig(overview: DataOverview, series: UsageSeries, look: ChartLook): UsageChartConfig {
  const inMegabytes = (values: Array<number | null>) => values.map((value) => (value === null ? null : toMegabytes(value)));
  const thresholdColour = (fraction: number) => (fraction >= 1 ? CHART_COLOURS.cap : CHART_COLOURS.warning);
  const firstThreshold = 4;
  const highest = Math.max(
    overview.capBytes,
    overview.projection.highBytes,
    overview.projection.expectedBytes,
    ...series.days.map((day) => day.total),
  );
  const font = { size: look.fontSize, family: look.fontFamily };
  const scale = yScale(toMegabytes(highest * 1.05));
  const labels: ThresholdLabel[] = series.thresholds.map((threshold) => ({
    value: toMegabytes(threshold.bytes),
    text: threshold.label,
    short: threshold.fraction === 1 ? formatBytes(threshold.bytes) : formatPercent(threshold.fraction),
    color: thresholdColour(threshold.fraction),
  }));

  return {
    type: 'line',
    data: {
      labels: series.dates.map(formatShortDate),
      datasets: [
        {
          label: 'Used so far',
          data: inMegabytes(series.used),
          borderColor: CHART_COLOURS.used,
          backgroundColor: CHART_COLOURS.used,
          borderWidth: 3,
          pointRadius: 0,
          pointHitRadius: 8,
          spanGaps: false,
          order: 0,
        },
        {
          label: 'Projection',
          data: inMegabytes(series.projection),
          borderColor: CHART_COLOURS.projection,
          backgroundColor: CHART_COLOURS.projection,
          borderWidth: 2.5,
          borderDash: [8, 6],
          pointRadius: 0,
          pointHitRadius: 8,
          order: 1,
        },
        {
          label: 'Likely lowest',
          data: inMegabytes(series.low),
          borderColor: CHART_COLOURS.range,
          borderWidth: 1,
          borderDash: [2, 3],
          pointRadius: 0,
          fill: false,
          order: 3,
        },
        {
          label: 'Likely highest',
          data: inMegabytes(series.high),
          borderColor: CHART_COLOURS.range,
          backgroundColor: CHART_COLOURS.rangeFill,
          borderWidth: 1,
          borderDash: [2, 3],
          pointRadius: 0,
          // Shade down to the dataset before: the likely range as a band.
          fill: '-1',
          order: 3,
        },
        ...series.thresholds.map((threshold) => ({
          label: threshold.label,
          data: series.dates.map(() => toMegabytes(threshold.bytes)),
          borderColor: thresholdColour(threshold.fraction),
          borderWidth: threshold.fraction >= 1 ? 2 : 1.5,
          pointRadius: 0,
          pointHitRadius: 0,
          fill: false,
          order: 2,
        })),
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: look.reducedMotion ? false : { duration: 400 },
      interaction: { mode: 'index', intersect: false },
      onResize: (chart, size) => {
        const ticks = chart.options.scales?.['x']?.ticks;
        if (ticks) ticks.maxTicksLimit = xTickLimit(size.width, look.fontSize);
      },
      scales: {
        x: {
          type: 'category',
          grid: { display: false },
          ticks: {
            color: CHART_COLOURS.axis,
            font,
            maxRotation: 0,
            autoSkip: true,
            autoSkipPadding: look.fontSize,
            maxTicksLimit: xTickLimit(look.width, look.fontSize),
          },
        },
        y: {
          type: 'linear',
          min: 0,
          max: scale.max,
          grid: { color: CHART_COLOURS.grid },
          // The unit once, in the axis title, leaves the plot more room on a narrow phone.
          title: { display: true, text: 'MB', color: CHART_COLOURS.axis, font, padding: 0 },
          ticks: {
            color: CHART_COLOURS.axis,
            font,
            stepSize: scale.step,
            callback: (value) => Number(value).toLocaleString('en-GB'),
          },
        },
      },
      plugins: {
        tooltip: {
          // The warning lines are labelled on the chart; the tooltip gives the day's figures.
          filter: (item) => item.datasetIndex < firstThreshold && item.parsed.y !== null,
          callbacks: {
            title: (items) => {
              const date = series.dates[items[0]?.dataIndex ?? -1];
              return date ? formatDate(date) : '';
            },
            label: (item) => `${item.dataset.label ?? ''}: ${formatBytes((item.parsed.y ?? 0) * MB)}`,
          },
          titleFont: font,
          bodyFont: font,
        },
        thresholdLabels: {
          lines: labels,
          fontSize: look.fontSize,
          fontFamily: look.fontFamily,
          background: CHART_COLOURS.surface,
        },
      },
    },
  };
}
