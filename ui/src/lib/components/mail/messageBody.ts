// Builds the document shown in a message's sandboxed iframe, and describes the links in it.
import stylesheetPath from './message-body.css?url';

// Shared with the calendar's link confirmation, so both show a link the same way.
export { describeLink, type LinkDescription } from '../common/linkAddress';

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
 * it fetched), so even something that slipped through the sanitiser can neither run nor load.
 * Its links target the top page (`<base target="_top">`, which `base-uri 'none'` does not
 * touch, as it governs only a base's address): where the click listener cannot run (WebKit
 * runs none in a frame sandboxed without scripts), a click becomes a navigation of the whole
 * page, which the shell refuses and hands back as `link-requested` for the app to confirm.
 * The result goes into `<iframe srcdoc>`, never into the app's own page.
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
    '<base target="_top">',
    `<link rel="stylesheet" href="${escapeAttribute(stylesheet)}">`,
    '</head>',
    `<body>${bodyHtml}</body>`,
    '</html>',
  ].join('\n');
}
