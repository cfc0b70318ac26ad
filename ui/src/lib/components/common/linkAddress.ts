// What a member is shown before a link leaves the app, worked out so the address cannot pass
// for somewhere else: the real host (as the URL parser reads it, international names in their
// `xn--` form), the whole address with every invisible or direction-changing character made
// visible, and a warning for each trick found. Used by every link confirmation (LinkAddress).

/** Schemes a member may open outside the app, after seeing the link's real address. */
const OPENABLE = new Set(['http:', 'https:', 'mailto:', 'tel:', 'sms:']);

/**
 * Characters that change the direction text is shown in (embeddings, overrides, isolates and
 * marks): with them `https://example.com/‮fdp.exe` reads as `…exe.pdf`.
 */
const DIRECTION = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/**
 * Every character shown as a marker instead of itself: the direction characters above, the
 * zero-width ones (U+200B–U+200D, U+2060–U+2064, U+FEFF), the soft hyphen, and control
 * characters, none of which can be seen where they are.
 */
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

export type LinkDescription = {
  /** The address the link really goes to, in full and unchanged: what Open hands over. */
  href: string;
  /** The whole address as shown, every hidden character replaced by a marker like `[U+202E]`. */
  shown: string;
  /**
   * The host the address really reaches, as the URL parser reads it (`xn--` for international
   * names); empty when it has none (mail and phone links, or an address that cannot be read).
   */
  host: string;
  /** False for addresses the app will not hand to the system (javascript:, data:, file:, …). */
  openable: boolean;
  /** True when the link's words show a web address that is not where the link goes. */
  misleading: boolean;
  /**
   * The part before an `@` in front of the host (`www.council.gov.uk` in
   * `https://www.council.gov.uk@evil.example/`), as shown; empty when there is none.
   */
  userInfo: string;
  /** True when the address holds characters that change the direction text is shown in. */
  directionCharacters: boolean;
  /** True when it holds other characters that cannot be seen (zero-width, control). */
  invisibleCharacters: boolean;
  /** True when the host is an international name, shown in its `xn--` form. */
  internationalHost: boolean;
};

/** `text` with every character that cannot be seen replaced by a visible marker. */
export function revealHidden(text: string): string {
  return text.replace(HIDDEN, (character) => {
    const code = character.codePointAt(0) ?? 0;
    return `[U+${code.toString(16).toUpperCase().padStart(4, '0')}]`;
  });
}

/** What the member needs to know before following a link. `text` is the link's words, if known. */
export function describeLink(href: string, text: string = ''): LinkDescription {
  let url: URL | null = null;
  try {
    url = new URL(href);
  } catch {
    url = null;
  }
  const openable = url !== null && OPENABLE.has(url.protocol);
  const host = url?.hostname ?? '';
  // As the parser keeps it (percent-encoded), so it shows what is really there.
  const userInfo = url && (url.username || url.password) ? (url.password ? `${url.username}:${url.password}` : url.username) : '';
  const hidden = Array.from(href.matchAll(HIDDEN), (match) => match[0]);
  return {
    href,
    shown: revealHidden(href),
    host,
    openable,
    misleading: url !== null && showsOtherAddress(url, text),
    userInfo: revealHidden(userInfo),
    directionCharacters: hidden.some((character) => DIRECTION.test(character)),
    invisibleCharacters: hidden.some((character) => !DIRECTION.test(character)),
    internationalHost: host.split('.').some((label) => label.startsWith('xn--')),
  };
}

/**
 * Words like "https://www.council.gov.uk" or "www.council.gov.uk" on a link that really goes
 * somewhere else. Only words that start like an address count, so "report.pdf" is not flagged.
 */
function showsOtherAddress(url: URL, text: string): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const shown = /^(?:https?:\/\/|(?=www\.))((?:[a-z0-9-]+\.)+[a-z]{2,})(?:[/:?#]\S*)?$/i.exec(text.trim());
  if (!shown?.[1]) return false;
  const shownHost = shown[1].toLowerCase().replace(/^www\./, '');
  const realHost = url.hostname.toLowerCase().replace(/^www\./, '');
  return shownHost !== realHost && !realHost.endsWith(`.${shownHost}`);
}
