// Words and checks shared by the app lock's screens. The core has the last word on a PIN; these
// only catch what is plainly wrong before it is sent.
import { plural } from '../../format';

/**
 * Why a PIN as typed cannot be right, or null. `length` is the number of digits the council asks
 * for (null: not known here); `empty` is what to say when nothing was typed.
 */
export function pinProblem(pin: string, length: number | null, empty: string, what = 'Your PIN'): string | null {
  if (pin === '') return empty;
  if (!/^[0-9]+$/.test(pin)) return `${what} can only have numbers in it, with no letters or spaces.`;
  if (length !== null && pin.length !== length) return `${what} must be ${plural(length, 'number')} long.`;
  return null;
}

/** A wait in words, e.g. "30 seconds", "5 minutes", "1 minute and 30 seconds". */
export function waitInWords(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  if (minutes === 0) return plural(rest, 'second');
  if (rest === 0) return plural(minutes, 'minute');
  return `${plural(minutes, 'minute')} and ${plural(rest, 'second')}`;
}

/** What is left after a wrong PIN. */
export function wrongPinSentence(triesLeft: number): string {
  return (
    `That PIN is wrong. You have ${plural(triesLeft, 'more try', 'more tries')}. After that, Member Companion ` +
    'removes your council email, calendar and contacts from this device.'
  );
}
