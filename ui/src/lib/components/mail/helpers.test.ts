import { describe, expect, it } from 'vitest';
import { parseAddresses } from './addresses';
import { attachmentKind } from './attachments';
import { defaultFolder } from '../../state/mail.svelte';
import { folderName, folderOptionLabel, sortFolders } from './folders';
import { describeLink, messageSrcdoc } from './messageBody';
import { folders } from './testing';

describe('folder names and order', () => {
  it('names the standard folders in plain English', () => {
    const names = folders.map(folderName);
    expect(names).toEqual(['Sent', 'Casework', 'Inbox', 'Archive', 'Deleted']);
  });

  it('puts the Inbox first, then the standard folders, then the member’s own A to Z', () => {
    const extra = { id: 'f-a', displayName: 'Allotments', wellKnownName: null, unreadItemCount: 0, totalItemCount: 1 };
    expect(sortFolders([...folders, extra]).map(folderName)).toEqual([
      'Inbox',
      'Sent',
      'Archive',
      'Deleted',
      'Allotments',
      'Casework',
    ]);
  });

  it('adds the unread count to a folder’s label only when there is something unread', () => {
    expect(folderOptionLabel(folders[2]!)).toBe('Inbox (2 unread)');
    expect(folderOptionLabel(folders[0]!)).toBe('Sent');
  });

  it('opens the Inbox by default, or the first folder when there is no Inbox', () => {
    expect(defaultFolder(folders)?.id).toBe('f-inbox');
    expect(defaultFolder([folders[1]!])?.id).toBe('f-casework');
    expect(defaultFolder([])).toBeNull();
  });
});

describe('parseAddresses', () => {
  it('accepts addresses separated by commas or semicolons, with or without names', () => {
    expect(parseAddresses(' a@example.gov.uk, Sam Resident <sam@example.com>; b@council.org ')).toEqual({
      addresses: ['a@example.gov.uk', 'sam@example.com', 'b@council.org'],
      problems: [],
    });
  });

  it('drops repeats and empty entries', () => {
    expect(parseAddresses('a@example.gov.uk,, A@Example.gov.uk,').addresses).toEqual(['a@example.gov.uk']);
  });

  it('explains each entry that is not an email address', () => {
    const { problems } = parseAddresses('bob@, ok@example.com, sam example.com, x@y');
    expect(problems).toEqual([
      '“bob@” is not a full email address. It should look like name@example.gov.uk.',
      '“sam example.com” is not a full email address. It should look like name@example.gov.uk.',
      '“x@y” is not a full email address. It should look like name@example.gov.uk.',
    ]);
  });
});

describe('attachmentKind', () => {
  it('names common office files in plain words', () => {
    expect(attachmentKind('application/pdf')).toBe('PDF document');
    expect(attachmentKind('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe(
      'Word document',
    );
    expect(attachmentKind('image/jpeg')).toBe('JPEG image');
    expect(attachmentKind('text/plain; charset=utf-8')).toBe('Text file');
  });

  it('falls back to the content type, or "File" when there is none', () => {
    expect(attachmentKind('application/x-custom')).toBe('application/x-custom');
    expect(attachmentKind('')).toBe('File');
    expect(attachmentKind('application/octet-stream')).toBe('File');
  });
});

describe('messageSrcdoc', () => {
  it('wraps the sanitised body in a document with the body stylesheet and a no-script policy', () => {
    const doc = messageSrcdoc('<p>Hello</p>', 'https://app.test/assets/message-body.css');
    expect(doc).toContain('<body><p>Hello</p></body>');
    expect(doc).toContain('<link rel="stylesheet" href="https://app.test/assets/message-body.css">');
    expect(doc).toContain("script-src 'none'");
    expect(doc).not.toMatch(/<script/i);
  });

  it('gives the frame a policy that loads nothing but the stylesheet and data pictures', () => {
    const doc = messageSrcdoc('', 'tauri://localhost/assets/message-body.css');
    const policy = /Content-Security-Policy" content="([^"]*)"/.exec(doc)?.[1] ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain('style-src tauri://localhost;');
    expect(policy).toContain('img-src data:;');
    expect(policy).not.toMatch(/https?:|\*/);
  });

  it('makes a clicked link a navigation of the top page, which the shell catches, without loosening the policy', () => {
    const doc = messageSrcdoc('<p><a href="https://council.example/">Council</a></p>', 'https://app.test/assets/message-body.css');
    expect(doc).toContain('<base target="_top">');
    const parsed = new DOMParser().parseFromString(doc, 'text/html');
    const bases = parsed.querySelectorAll('base');
    expect(bases).toHaveLength(1);
    expect(bases[0]?.parentElement).toBe(parsed.head);
    expect(bases[0]?.getAttribute('target')).toBe('_top');
    expect(bases[0]?.hasAttribute('href')).toBe(false);
    expect(doc).toContain("base-uri 'none'");
  });

  it('points at the body stylesheet by an absolute address by default', () => {
    expect(messageSrcdoc('')).toMatch(/<link rel="stylesheet" href="http[^"]*">/);
  });

  it('escapes the stylesheet address so it cannot break out of its attribute', () => {
    expect(messageSrcdoc('', 'x"><script>')).toContain('href="x&quot;&gt;&lt;script&gt;"');
  });
});

describe('describeLink', () => {
  it('lets web, mail and phone links open', () => {
    expect(describeLink('https://example.com/a', 'a').openable).toBe(true);
    expect(describeLink('mailto:a@example.com', 'a').openable).toBe(true);
    expect(describeLink('tel:+441234567890', 'Call').openable).toBe(true);
  });

  it('refuses other kinds of link', () => {
    expect(describeLink('javascript:alert(1)', 'a').openable).toBe(false);
    expect(describeLink('file:///etc/passwd', 'a').openable).toBe(false);
    expect(describeLink('not a url', 'a').openable).toBe(false);
  });

  it('warns when the words show one web address and the link goes to another', () => {
    expect(describeLink('https://evil.example/login', 'https://www.demo-council.gov.uk').misleading).toBe(true);
    expect(describeLink('https://evil.example/login', 'www.demo-council.gov.uk/login').misleading).toBe(true);
  });

  it('does not warn about ordinary words or matching addresses', () => {
    expect(describeLink('https://www.demo-council.gov.uk/a', 'demo-council.gov.uk').misleading).toBe(false);
    expect(describeLink('https://www.demo-council.gov.uk/a', 'https://demo-council.gov.uk').misleading).toBe(false);
    expect(describeLink('https://mail.demo-council.gov.uk/', 'www.demo-council.gov.uk').misleading).toBe(false);
    expect(describeLink('https://example.com/report.pdf', 'report.pdf').misleading).toBe(false);
    expect(describeLink('https://example.com/', 'Read more').misleading).toBe(false);
  });
});
