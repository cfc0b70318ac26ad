// Builds the document shown in a message's sandboxed iframe, and describes the links in it.
import stylesheetPath from './message-body.css?url';

/** Schemes a member may open outside the app, after seeing the link's real address. */
const OPENABLE = new Set(['http:', 'https:', 'mailto:', 'tel:']);

/**
 * Where the body stylesheet lives, as an absolute address. A srcdoc document resolves relative
 * addresses against its parent's, but an absolute one leaves no doubt.
 */
export function bodyStylesheetUrl(base: string = document.baseURI): string {
  try {
    return new URL(stylesheetPath, base).href;
  } catch {
    return stylesheetPath;
  }
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The source expression for the stylesheet's own scheme and host: the one place the frame may
 * load anything from. `'self'` when the address has no host to name.
 */
function styleSource(stylesheet: string): string {
  try {
    const url = new URL(stylesheet);
    if (url.host) return `${url.protocol}//${url.host}`;
  } catch {
    // A relative address: it resolves against the app's own origin.
  }
  return "'self'";
}

/**
 * Wraps a body the core has already sanitised (no script, no event handlers, no forms) in a
 * small document: a readable font, nothing wider than the screen, and a policy of its own that
 * allows nothing but the body stylesheet and `data:` pictures (the core inlines every picture
 * it fetched), so even something that slipped through the sanitiser can neither run nor load. The result goes into `<iframe srcdoc>`,
 * never into the app's own page.
 */
export function messageSrcdoc(bodyHtml: string, stylesheet: string = bodyStylesheetUrl()): string {
  return [
    '<!doctype html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(
      `default-src 'none'; script-src 'none'; style-src ${styleSource(stylesheet)}; img-src data:; object-src 'none'; form-action 'none'; base-uri 'none'`,
    )}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<link rel="stylesheet" href="${escapeAttribute(stylesheet)}">`,
    '</head>',
    `<body>${bodyHtml}</body>`,
    '</html>',
  ].join('\n');
}

export type LinkDescription = {
  /** The address the link really goes to, in full. */
  href: string;
  /** False for addresses the app will not hand to the system (javascript:, file:, and so on). */
  openable: boolean;
  /** True when the link's words show a web address that is not where the link goes. */
  misleading: boolean;
};

/** What the member needs to know before following a link. */
export function describeLink(href: string, text: string): LinkDescription {
  let url: URL | null = null;
  try {
    url = new URL(href);
  } catch {
    url = null;
  }
  const openable = url !== null && OPENABLE.has(url.protocol);
  return { href, openable, misleading: url !== null && showsOtherAddress(url, text) };
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
