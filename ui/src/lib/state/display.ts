// The display and assistive settings the screen is shown with, told to the core for the
// trial's accessibility figures (the core keeps them only with consent to usage reports). What
// the webview itself reports: the root text size the phone's text setting gives it, and the
// media features its accessibility settings set. Whether a screen reader runs is not among
// them: a page cannot tell, and the app does not guess.
import type { DisplaySettings } from '../ipc';

/** The text size every `rem` in the app is measured from, at the standard setting. */
const STANDARD_ROOT_PX = 16;

const QUERIES = {
  reducedMotion: '(prefers-reduced-motion: reduce)',
  moreContrast: '(prefers-contrast: more)',
  forcedColours: '(forced-colors: active)',
} as const;

/** What `win` is showing the app with now. */
export function readDisplaySettings(win: Window): DisplaySettings {
  const rootPx = Number.parseFloat(win.getComputedStyle(win.document.documentElement).fontSize);
  const percent = Number.isFinite(rootPx) && rootPx > 0 ? Math.round((rootPx / STANDARD_ROOT_PX) * 100) : 100;
  const matches = (query: string) => (typeof win.matchMedia === 'function' ? win.matchMedia(query).matches : false);
  return {
    // The core refuses a size no phone offers; a webview reporting one is held to the range.
    textPercent: Math.min(500, Math.max(25, percent)),
    reducedMotion: matches(QUERIES.reducedMotion),
    moreContrast: matches(QUERIES.moreContrast),
    forcedColours: matches(QUERIES.forcedColours),
  };
}

/**
 * Tells `seen` the settings now, whenever a media feature changes, and each time the app comes
 * back to the screen (a text size changed in the phone's settings meanwhile). Returns the stop.
 */
export function watchDisplaySettings(win: Window, seen: (settings: DisplaySettings) => void): () => void {
  const tell = () => seen(readDisplaySettings(win));
  tell();
  const lists =
    typeof win.matchMedia === 'function' ? Object.values(QUERIES).map((query) => win.matchMedia(query)) : [];
  for (const list of lists) list.addEventListener('change', tell);
  const shown = () => {
    if (win.document.visibilityState === 'visible') tell();
  };
  win.document.addEventListener('visibilitychange', shown);
  return () => {
    for (const list of lists) list.removeEventListener('change', tell);
    win.document.removeEventListener('visibilitychange', shown);
  };
}
