import { describe, expect, it } from 'vitest';
import { describeLink, revealHidden } from './linkAddress';
import { safeHtmlSrcdoc } from './frameDocument';

describe('describeLink', () => {
  it('shows the real host on its own and the whole address, path, query and fragment included', () => {
    const url = 'https://democracy.demoborough.example/ieListDocuments.aspx?CId=130&MId=4521#item-4';
    const link = describeLink(url);
    expect(link.host).toBe('democracy.demoborough.example');
    expect(link.shown).toBe(url);
    expect(link.href).toBe(url);
    expect(link.openable).toBe(true);
    expect(link.userInfo).toBe('');
    expect(link.directionCharacters).toBe(false);
    expect(link.invisibleCharacters).toBe(false);
    expect(link.internationalHost).toBe(false);
  });

  it('gives the host without its port, the whole address keeping it', () => {
    const link = describeLink('https://council.example:8443/papers');
    expect(link.host).toBe('council.example');
    expect(link.shown).toBe('https://council.example:8443/papers');
  });

  it('flags a false host written before an @ sign and names the host the link really reaches', () => {
    const link = describeLink('https://www.council.gov.uk@evil.example/');
    expect(link.host).toBe('evil.example');
    expect(link.userInfo).toBe('www.council.gov.uk');
    expect(describeLink('https://www.council.gov.uk:login@evil.example/').userInfo).toBe('www.council.gov.uk:login');
  });

  it('does not take the @ of an email address for a false host', () => {
    const link = describeLink('mailto:clerk@council.example');
    expect(link.userInfo).toBe('');
    expect(link.host).toBe('');
    expect(link.openable).toBe(true);
  });

  it('shows direction characters as visible markers and warns of them', () => {
    const link = describeLink('https://council.example/\u202Efdp.exe');
    expect(link.shown).toBe('https://council.example/[U+202E]fdp.exe');
    expect(link.directionCharacters).toBe(true);
    expect(link.invisibleCharacters).toBe(false);
    // What is opened is the address itself, not what is shown.
    expect(link.href).toBe('https://council.example/\u202Efdp.exe');
  });

  it('marks every direction character: embeddings, overrides, isolates and marks', () => {
    for (const code of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]) {
      const marker = `[U+${code.toString(16).toUpperCase().padStart(4, '0')}]`;
      const link = describeLink(`https://council.example/a${String.fromCodePoint(code)}b`);
      expect(link.shown, marker).toBe(`https://council.example/a${marker}b`);
      expect(link.directionCharacters, marker).toBe(true);
    }
  });

  it('shows zero-width characters as markers and warns that some cannot be seen', () => {
    const link = describeLink('https://council.example/pay\u200Bment\u200C\u200D\uFEFF');
    expect(link.shown).toBe('https://council.example/pay[U+200B]ment[U+200C][U+200D][U+FEFF]');
    expect(link.invisibleCharacters).toBe(true);
    expect(link.directionCharacters).toBe(false);
  });

  it('shows an international name as the parser reads it, in its xn-- form, and flags it', () => {
    // "аpple.example" with a Cyrillic а.
    const link = describeLink('https://\u0430pple.example/login');
    expect(link.host).toBe('xn--pple-43d.example');
    expect(link.internationalHost).toBe(true);
    expect(describeLink('https://xn--pple-43d.example/').internationalHost).toBe(true);
  });

  it('lets web, mail, phone and text-message links open', () => {
    expect(describeLink('https://example.com/a').openable).toBe(true);
    expect(describeLink('http://example.com/a').openable).toBe(true);
    expect(describeLink('mailto:a@example.com').openable).toBe(true);
    expect(describeLink('tel:+441234567890').openable).toBe(true);
    expect(describeLink('sms:+447700900123').openable).toBe(true);
  });

  it('refuses data, script, file and other kinds of link', () => {
    for (const href of ['data:text/html,<p>hi', 'javascript:alert(1)', 'file:///etc/passwd', 'ftp://example.com/', 'not a url']) {
      expect(describeLink(href).openable, href).toBe(false);
    }
  });
});

describe('revealHidden', () => {
  it('leaves ordinary text, including other alphabets, as it is', () => {
    expect(revealHidden('Café Ünïcode παράδειγμα')).toBe('Café Ünïcode παράδειγμα');
  });

  it('shows control characters as markers too', () => {
    expect(revealHidden('a\tb\nc\u0000')).toBe('a[U+0009]b[U+000A]c[U+0000]');
  });
});

describe('safeHtmlSrcdoc', () => {
  it('puts the sanitised description in a document whose links target the top page and which runs nothing', () => {
    const doc = safeHtmlSrcdoc('<p>Agenda <a href="https://council.example/">here</a></p>');
    const parsed = new DOMParser().parseFromString(doc, 'text/html');
    expect(parsed.body.innerHTML.trim()).toBe('<p>Agenda <a href="https://council.example/">here</a></p>');
    expect(parsed.head.querySelector('base')?.getAttribute('target')).toBe('_top');
    expect(parsed.head.querySelector('base')?.hasAttribute('href')).toBe(false);
    const policy = parsed.head.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'none'");
    expect(policy).toContain("base-uri 'none'");
  });
});
