import { describe, expect, it } from 'vitest';
import { pinProblem, waitInWords, wrongPinSentence } from './pin';

describe('the app lock’s words', () => {
  it('says a wait in words', () => {
    expect(waitInWords(30)).toBe('30 seconds');
    expect(waitInWords(1)).toBe('1 second');
    expect(waitInWords(300)).toBe('5 minutes');
    expect(waitInWords(60)).toBe('1 minute');
    expect(waitInWords(90)).toBe('1 minute and 30 seconds');
  });

  it('says how many tries are left after a wrong PIN', () => {
    expect(wrongPinSentence(4)).toBe(
      'That PIN is wrong. You have 4 more tries. After that, Member Companion removes your council email, calendar and contacts from this device.',
    );
    expect(wrongPinSentence(1)).toMatch(/^That PIN is wrong\. You have 1 more try\. After that/);
  });

  it('finds a PIN that is plainly wrong before it is sent', () => {
    expect(pinProblem('', 6, 'Enter a PIN of 6 numbers.')).toBe('Enter a PIN of 6 numbers.');
    expect(pinProblem('12 34', 6, 'Enter a PIN.')).toBe('Your PIN can only have numbers in it, with no letters or spaces.');
    expect(pinProblem('12345', 6, 'Enter a PIN.', 'Your new PIN')).toBe('Your new PIN must be 6 numbers long.');
    expect(pinProblem('482915', 6, 'Enter a PIN.')).toBeNull();
    // Where the length is not known, the core judges it.
    expect(pinProblem('4829', null, 'Enter your PIN.')).toBeNull();
  });
});
