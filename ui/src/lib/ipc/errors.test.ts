import { describe, expect, it } from 'vitest';
import { GENERIC_ERROR_MESSAGE, errorMessage, isBackendError } from './errors';

describe('errorMessage', () => {
  it('shows the message the core sent as it is', () => {
    expect(errorMessage({ kind: 'offline', message: 'You are offline. Your saved mail is still here.' })).toBe(
      'You are offline. Your saved mail is still here.',
    );
  });

  it('turns a core message into a full sentence', () => {
    expect(errorMessage({ kind: 'auth', message: 'your sign-in has expired' })).toBe('Your sign-in has expired.');
  });

  it('falls back to a generic message when the core sent an empty message', () => {
    expect(errorMessage({ kind: 'internal', message: '   ' })).toBe(GENERIC_ERROR_MESSAGE);
  });

  it('hides technical JavaScript errors behind a generic message', () => {
    expect(errorMessage(new TypeError("Cannot read properties of undefined (reading 'invoke')"))).toBe(
      GENERIC_ERROR_MESSAGE,
    );
  });

  it('hides bare strings, null and undefined behind a generic message', () => {
    expect(errorMessage('command demo_overview not found')).toBe(GENERIC_ERROR_MESSAGE);
    expect(errorMessage(null)).toBe(GENERIC_ERROR_MESSAGE);
    expect(errorMessage(undefined)).toBe(GENERIC_ERROR_MESSAGE);
  });
});

describe('isBackendError', () => {
  it('recognises an object with a string kind and a string message', () => {
    expect(isBackendError({ kind: 'network', message: 'No connection.' })).toBe(true);
  });

  it('rejects objects that lack either field', () => {
    expect(isBackendError({ message: 'No kind.' })).toBe(false);
    expect(isBackendError({ kind: 'network' })).toBe(false);
    expect(isBackendError({ kind: 1, message: 'Wrong type.' })).toBe(false);
  });
});
