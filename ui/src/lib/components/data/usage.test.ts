import { describe, expect, it } from 'vitest';
import { placeLabels, xTickLimit, yScale } from './usage';

describe('the chart’s y axis', () => {
  it('tops out at a round figure just above the highest value, in at most eight steps', () => {
    expect(yScale(1075)).toEqual({ max: 1200, step: 200 });
    expect(yScale(1505)).toEqual({ max: 1600, step: 200 });
    expect(yScale(3100)).toEqual({ max: 3500, step: 500 });
    expect(yScale(0)).toEqual({ max: 1, step: 0.2 });
  });
});

describe('the threshold labels on the chart', () => {
  const area = { top: 0, bottom: 300 };

  it('go just above their lines when there is room', () => {
    expect(placeLabels([50, 150, 250], 20, 1, area)).toEqual([29, 129, 229]);
  });

  it('go below a line when the line above is too close, so no label hides a line', () => {
    // 90% sits 14 px under the allowance: its label goes below it.
    expect(placeLabels([60, 74, 110, 170], 17, 1, area)).toEqual([42, 75, 92, 152]);
  });

  it('go below the top line when it is at the very top of the chart', () => {
    expect(placeLabels([5, 100], 17, 1, area)).toEqual([6, 82]);
  });
});

describe('the dates under the chart', () => {
  it('are as many as fit at the reader’s text size', () => {
    expect(xTickLimit(340, 14)).toBe(4);
    expect(xTickLimit(700, 14)).toBe(8);
    expect(xTickLimit(270, 28)).toBe(1);
    expect(xTickLimit(0, 14)).toBe(1);
  });
});
