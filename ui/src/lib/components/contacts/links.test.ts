import { describe, expect, it } from 'vitest';
import { mailtoUrl, telUrl } from './links';

describe('telUrl', () => {
  it('keeps only what a phone dials', () => {
    expect(telUrl('01632 960 123')).toBe('tel:01632960123');
    expect(telUrl('+44 (0)1632 960-123')).toBe('tel:+4401632960123');
  });

  it('gives nothing for text without digits', () => {
    expect(telUrl('ask at reception')).toBeNull();
  });
});

describe('mailtoUrl', () => {
  it('makes a plain mailto address', () => {
    expect(mailtoUrl('jane.smith@council.example')).toBe('mailto:jane.smith@council.example');
  });

  it('does not let an address add a subject or body', () => {
    expect(mailtoUrl('a@b.example?body=hello')).toBe('mailto:a@b.example%3Fbody%3Dhello');
  });

  it('gives nothing for something that is not an address', () => {
    expect(mailtoUrl('not an address')).toBeNull();
  });
});
