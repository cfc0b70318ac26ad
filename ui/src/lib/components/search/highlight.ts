// Search snippets from the core wrap each matched word in U+0002 (start) … U+0003 (end).
// They are split here into plain pieces so the view can put matches in <mark> without
// ever treating the text as HTML.

export type SnippetPart = { text: string; marked: boolean };

const START = '\u0002';
const END = '\u0003';
// Control characters other than tab and line breaks, which must never reach the page.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Splits a marked snippet into plain and matched parts; stray markers are dropped. */
export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let marked = false;
  let text = '';
  const flush = () => {
    const clean = text.replace(CONTROL, '');
    if (clean) {
      const last = parts[parts.length - 1];
      if (last && last.marked === marked) last.text += clean;
      else parts.push({ text: clean, marked });
    }
    text = '';
  };
  for (const character of snippet) {
    if (character === START) {
      flush();
      marked = true;
    } else if (character === END) {
      flush();
      marked = false;
    } else {
      text += character;
    }
  }
  flush();
  return parts;
}

/** The snippet as plain text, without markers or other control characters. */
export function plainText(text: string): string {
  return text.replace(CONTROL, '');
}
