import { describe, expect, it } from 'vitest';
import { plainText, splitSnippet } from './highlight';

describe('splitSnippet', () => {
  it('splits a snippet into plain and marked parts', () => {
    expect(splitSnippet('The \u0002planning\u0003 committee meets on \u0002Tuesday\u0003.')).toEqual([
      { text: 'The ', marked: false },
      { text: 'planning', marked: true },
      { text: ' committee meets on ', marked: false },
      { text: 'Tuesday', marked: true },
      { text: '.', marked: false },
    ]);
  });

  it('keeps a snippet without markers as one plain part', () => {
    expect(splitSnippet('Nothing marked here')).toEqual([{ text: 'Nothing marked here', marked: false }]);
  });

  it('treats an unclosed marker as marking to the end and drops a stray end marker', () => {
    expect(splitSnippet('a\u0003b \u0002c')).toEqual([
      { text: 'ab ', marked: false },
      { text: 'c', marked: true },
    ]);
  });

  it('leaves out other control characters and empty parts', () => {
    expect(splitSnippet('\u0002\u0003x\u0000y\u0007')).toEqual([{ text: 'xy', marked: false }]);
  });

  it('leaves markup as text', () => {
    expect(splitSnippet('<b>\u0002bold\u0003</b>')).toEqual([
      { text: '<b>', marked: false },
      { text: 'bold', marked: true },
      { text: '</b>', marked: false },
    ]);
  });
});

describe('plainText', () => {
  it('removes markers from a title', () => {
    expect(plainText('\u0002Planning\u0003 agenda')).toBe('Planning agenda');
  });
});
