import { describe, expect, it } from 'vitest';
import { GENERIC_ERROR_MESSAGE, errorAction, errorMessage, isBackendError, toBackendError } from './errors';
import type { ErrorKind } from './types';

describe('errorMessage', () => {
  it('shows the message the core sent as it is', () => {
    expect(errorMessage({ kind: 'storage', message: 'Your saved mail could not be read.' })).toBe(
      'Your saved mail could not be read.',
    );
  });

  it('turns a core message into a full sentence', () => {
    expect(errorMessage({ kind: 'signInFailed', message: 'your sign-in has expired' })).toBe('Your sign-in has expired.');
  });

  it('uses the kind’s own words when the core sent an empty message', () => {
    expect(errorMessage({ kind: 'internal', message: '   ' })).toBe(GENERIC_ERROR_MESSAGE);
    expect(errorMessage({ kind: 'signInRequired', message: '' })).toBe('Your sign-in has ended. Please sign in again.');
    expect(errorMessage({ kind: 'notFound', message: '' })).toBe('That is no longer saved on this device.');
  });

  it('says the council’s service is busy and will be tried again, whatever the core said', () => {
    expect(errorMessage({ kind: 'throttled', message: '429 Too Many Requests' })).toBe(
      'The council’s service is busy just now. This will be tried again in a moment.',
    );
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

describe('errorAction', () => {
  it.each<[ErrorKind, ReturnType<typeof errorAction>]>([
    ['offline', 'retry'],
    ['throttled', 'retryLater'],
    ['signInRequired', 'signIn'],
    ['signInFailed', 'retry'],
    ['locked', 'unlock'],
    ['notFound', 'none'],
    ['invalid', 'fix'],
    ['storage', 'retry'],
    ['internal', 'retry'],
    ['unavailable', 'retry'],
  ])('branches on the kind %s', (kind, action) => {
    expect(errorAction({ kind, message: 'Words for people.' })).toBe(action);
  });

  it('offers to try again after an unexpected failure', () => {
    expect(errorAction(new Error('boom'))).toBe('retry');
  });
});

describe('isBackendError and toBackendError', () => {
  it('recognise an error of a known kind with a message', () => {
    expect(isBackendError({ kind: 'offline', message: 'No connection.' })).toBe(true);
    expect(toBackendError({ kind: 'offline', message: 'No connection.' })).toEqual({ kind: 'offline', message: 'No connection.' });
  });

  it('reject objects that lack either field', () => {
    expect(isBackendError({ message: 'No kind.' })).toBe(false);
    expect(isBackendError({ kind: 'offline' })).toBe(false);
    expect(isBackendError({ kind: 1, message: 'Wrong type.' })).toBe(false);
  });

  it('keep the words of an unknown kind from a newer core, as an internal fault', () => {
    expect(isBackendError({ kind: 'vaultLocked', message: 'The vault is locked.' })).toBe(false);
    expect(toBackendError({ kind: 'vaultLocked', message: 'The vault is locked.' })).toEqual({
      kind: 'internal',
      message: 'The vault is locked.',
    });
  });

  it('drop the words of anything that is not from the core', () => {
    expect(toBackendError(new Error('stack trace'))).toEqual({ kind: 'internal', message: '' });
  });
});
