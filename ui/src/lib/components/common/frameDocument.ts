// The document a SafeHtmlFrame shows (an event's description): the sanitised HTML in a page of
// its own, with a policy that lets nothing run or load but `data:` pictures, and links that
// target the top page. Where the frame's click listener cannot run (WebKit runs none in a frame
// sandboxed without scripts), a click on a link is a navigation of the whole page, which the
// shell refuses and hands back as `link-requested`, for the app to show and confirm.

/** The policy of a framed body: nothing runs, nothing loads but `data:` pictures. */
const FRAME_POLICY = "default-src 'none'; script-src 'none'; img-src data:; object-src 'none'; form-action 'none'; base-uri 'none'";

/** `html`, already sanitised by the core, as a whole document for `<iframe srcdoc>`. */
export function safeHtmlSrcdoc(html: string): string {
  return [
    '<!doctype html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${FRAME_POLICY}">`,
    '<meta name="referrer" content="no-referrer">',
    '<base target="_top">',
    '</head>',
    `<body>${html}</body>`,
    '</html>',
  ].join('\n');
}
