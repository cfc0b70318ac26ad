// The one place that loads chart.js. Only the pieces the usage chart draws are registered, so the
// rest of chart.js stays out of the bundle. Tests mock this module: jsdom has no canvas.
import {
  CategoryScale,
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
  type Plugin,
} from 'chart.js';
import { placeLabels } from './usage';

/**
 * A labelled horizontal line drawn by the `thresholdLabels` plugin, in the y axis's units.
 * `short` is written instead of `text` when the chart is too narrow for it (large text sizes).
 */
export type ThresholdLabel = { value: number; text: string; short: string; color: string };

export type ThresholdLabelOptions = {
  lines: ThresholdLabel[];
  /** CSS pixels, so the labels follow the reader's text size. */
  fontSize: number;
  fontFamily: string;
  /** Painted behind each label so it stays readable over the lines. */
  background: string;
};

declare module 'chart.js' {
  // The type parameter must match chart.js's own declaration, even though it is unused here.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    thresholdLabels?: ThresholdLabelOptions;
  }
}

export type UsageChartConfig = ChartConfiguration<'line', Array<number | null>, string>;

export interface ChartHandle {
  /** Replaces the data and options and redraws. */
  update(config: UsageChartConfig): void;
  destroy(): void;
}

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Filler, Tooltip);

/** Writes each threshold's label beside its line, at the left of the plot. */
const thresholdLabels: Plugin<'line', ThresholdLabelOptions> = {
  id: 'thresholdLabels',
  afterDatasetsDraw(chart, _args, options) {
    const scale = chart.scales.y;
    if (!scale || !options.lines?.length) return;
    const { ctx, chartArea } = chart;
    const padding = Math.max(2, Math.round(options.fontSize / 5));
    const height = options.fontSize + padding * 2;
    const lines = options.lines
      .map((line) => ({ ...line, y: scale.getPixelForValue(line.value) }))
      .filter((line) => line.y >= chartArea.top && line.y <= chartArea.bottom)
      .sort((a, b) => a.y - b.y);
    const tops = placeLabels(
      lines.map((line) => line.y),
      height,
      1,
      { top: chartArea.top, bottom: chartArea.bottom },
    );
    ctx.save();
    ctx.font = `600 ${options.fontSize}px ${options.fontFamily}`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    lines.forEach((line, index) => {
      const top = tops[index] ?? line.y - height;
      const x = chartArea.left + padding * 2;
      const room = chartArea.right - x - padding;
      const text = ctx.measureText(line.text).width <= room ? line.text : line.short;
      const width = ctx.measureText(text).width;
      ctx.fillStyle = options.background;
      ctx.fillRect(x - padding, top, width + padding * 2, height);
      ctx.fillStyle = line.color;
      ctx.fillText(text, x, top + height / 2);
    });
    ctx.restore();
  },
};

export function createChart(canvas: HTMLCanvasElement, config: UsageChartConfig): ChartHandle {
  const chart = new Chart(canvas, { ...config, plugins: [...(config.plugins ?? []), thresholdLabels] });
  return {
    update(next) {
      chart.data = next.data;
      chart.options = next.options ?? {};
      chart.update();
    },
    destroy() {
      chart.destroy();
    },
  };
}
