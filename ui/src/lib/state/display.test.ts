import { describe, expect, it, vi } from 'vitest';
import { readDisplaySettings, watchDisplaySettings } from './display';

/** A window whose root text is `rootPx` and whose media features `on` match. */
function fakeWindow(rootPx: string, on: string[]) {
  const lists = new Map<string, EventTarget & { matches: boolean; media: string }>();
  const matchMedia = (query: string) => {
    let list = lists.get(query);
    if (!list) {
      list = Object.assign(new EventTarget(), { matches: on.includes(query), media: query });
      lists.set(query, list);
    }
    return list;
  };
  const doc = Object.assign(new EventTarget(), { documentElement: {}, visibilityState: 'visible' });
  const win = { document: doc, matchMedia, getComputedStyle: () => ({ fontSize: rootPx }) } as unknown as Window;
  return { win, lists, doc };
}

describe('the display settings the screen is shown with', () => {
  it('reads the text size as a percentage of the standard 16 px and each media feature', () => {
    const { win } = fakeWindow('24px', ['(prefers-reduced-motion: reduce)', '(forced-colors: active)']);
    expect(readDisplaySettings(win)).toEqual({
      textPercent: 150,
      reducedMotion: true,
      moreContrast: false,
      forcedColours: true,
    });
  });

  it('holds a size no phone offers to the range the core accepts, and takes an unreadable one as standard', () => {
    expect(readDisplaySettings(fakeWindow('400px', []).win).textPercent).toBe(500);
    expect(readDisplaySettings(fakeWindow('', []).win).textPercent).toBe(100);
  });

  it('tells them at once, when a setting changes and when the app is shown again, until stopped', () => {
    const { win, lists, doc } = fakeWindow('16px', []);
    const seen = vi.fn();
    const stop = watchDisplaySettings(win, seen);
    expect(seen).toHaveBeenCalledTimes(1);

    const contrast = lists.get('(prefers-contrast: more)');
    Object.assign(contrast!, { matches: true });
    contrast!.dispatchEvent(new Event('change'));
    expect(seen).toHaveBeenLastCalledWith({ textPercent: 100, reducedMotion: false, moreContrast: true, forcedColours: false });
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(seen).toHaveBeenCalledTimes(3);

    stop();
    contrast!.dispatchEvent(new Event('change'));
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(seen).toHaveBeenCalledTimes(3);
  });
});
