// Whether the app runs on a computer rather than a phone or tablet. On a phone the core knows the
// network itself; on a computer the member says whether it is on Wi-Fi or a phone's hotspot.
//
// The data overview does not say which platform the core runs on, so this reads the webview's
// own description of itself (Android's WebView and iOS's WKWebView both say so).

type NavigatorWithHints = Navigator & { userAgentData?: { mobile?: boolean } };

export function isDesktop(nav: NavigatorWithHints | undefined = globalThis.navigator): boolean {
  if (!nav) return true;
  if (typeof nav.userAgentData?.mobile === 'boolean') return !nav.userAgentData.mobile;
  const agent = nav.userAgent ?? '';
  if (/Android|iPhone|iPad|iPod|Mobile/i.test(agent)) return false;
  // iPadOS describes itself as a Mac, but a Mac has no touch screen.
  if (/Macintosh/.test(agent) && (nav.maxTouchPoints ?? 0) > 1) return false;
  return true;
}
