// Who is invited to an event and how each has answered, in words, accepted first.
import type { Attendee, ResponseStatus } from '../../ipc';

export type Answer = 'accepted' | 'tentative' | 'notAnswered' | 'declined';

/** The organiser does not answer their own invitation. */
const ANSWER: Record<ResponseStatus, Answer | null> = {
  accepted: 'accepted',
  tentativelyAccepted: 'tentative',
  none: 'notAnswered',
  notResponded: 'notAnswered',
  declined: 'declined',
  organizer: null,
};

/** In the order people are listed: who is coming first, who is not last. */
const ANSWERS: ReadonlyArray<{ answer: Answer; words: string }> = [
  { answer: 'accepted', words: 'Accepted' },
  { answer: 'tentative', words: 'Tentative' },
  { answer: 'notAnswered', words: 'Not answered yet' },
  { answer: 'declined', words: 'Declined' },
];

/** In the order they are counted: the answers given, then those still to come. */
const COUNTED: ReadonlyArray<{ answer: Answer; words: string }> = [
  { answer: 'accepted', words: 'accepted' },
  { answer: 'tentative', words: 'tentative' },
  { answer: 'declined', words: 'declined' },
  { answer: 'notAnswered', words: 'not answered' },
];

export type Invitee = {
  /** The name, or the address when there is no name. */
  name: string;
  address: string;
  optional: boolean;
  answer: Answer;
  /** The answer in words, e.g. "Not answered yet". */
  answerText: string;
};

export type Invited = {
  /** People, accepted first, then tentative, not answered and declined. */
  people: Invitee[];
  /** Rooms and equipment booked for the event, in the same order. */
  resources: Invitee[];
  /** e.g. "3 accepted, 1 declined, 2 not answered". */
  summary: string;
};

/**
 * The event's attendees as the event screen lists them. The organiser is left out: the screen
 * names them on a line of their own.
 */
export function invited(attendees: readonly Attendee[]): Invited {
  const people = byAnswer(attendees.filter((attendee) => attendee.kind !== 'resource'));
  const summary = COUNTED.flatMap(({ answer, words }) => {
    const count = people.filter((invitee) => invitee.answer === answer).length;
    return count > 0 ? [`${count.toLocaleString('en-GB')} ${words}`] : [];
  }).join(', ');
  return { people, resources: byAnswer(attendees.filter((attendee) => attendee.kind === 'resource')), summary };
}

function byAnswer(attendees: readonly Attendee[]): Invitee[] {
  const rank = (invitee: Invitee) => ANSWERS.findIndex((entry) => entry.answer === invitee.answer);
  return attendees
    .flatMap((attendee): Invitee[] => {
      const answer = ANSWER[attendee.response];
      if (answer === null) return [];
      const words = ANSWERS.find((entry) => entry.answer === answer)?.words ?? '';
      const name = attendee.name.trim() || attendee.address;
      return [{ name, address: attendee.address, optional: attendee.kind === 'optional', answer, answerText: words }];
    })
    .sort((a, b) => rank(a) - rank(b));
}
