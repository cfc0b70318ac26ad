import { describe, expect, it } from 'vitest';
import type { Attendee } from '../../ipc';
import { invited } from './attendees';

const person = (name: string, response: Attendee['response'], kind: Attendee['kind'] = 'required'): Attendee => ({
  name,
  address: `${name.toLowerCase().replace(/\W+/g, '.') || 'someone'}@council.example`,
  kind,
  response,
});

describe('invited', () => {
  it('lists accepted people first, then tentative, not answered and declined, keeping each group’s order', () => {
    const { people } = invited([
      person('Dee', 'declined'),
      person('Ann', 'accepted'),
      person('Nia', 'none'),
      person('Tom', 'tentativelyAccepted'),
      person('Bob', 'accepted'),
      person('Ned', 'notResponded'),
    ]);

    expect(people.map((invitee) => `${invitee.name}: ${invitee.answerText}`)).toEqual([
      'Ann: Accepted',
      'Bob: Accepted',
      'Tom: Tentative',
      'Nia: Not answered yet',
      'Ned: Not answered yet',
      'Dee: Declined',
    ]);
  });

  it('counts the answers in words, leaving out any with nobody', () => {
    const { summary } = invited([
      person('A', 'accepted'),
      person('B', 'accepted'),
      person('C', 'accepted'),
      person('D', 'declined'),
      person('E', 'none'),
      person('F', 'notResponded'),
    ]);

    expect(summary).toBe('3 accepted, 1 declined, 2 not answered');
  });

  it('shows the address for someone with no name', () => {
    const { people } = invited([{ name: '  ', address: 'clerk@council.example', kind: 'required', response: 'accepted' }]);

    expect(people[0]?.name).toBe('clerk@council.example');
  });

  it('marks optional people, and lists rooms apart without counting them', () => {
    const result = invited([
      person('Sam', 'accepted', 'optional'),
      person('Council Chamber', 'accepted', 'resource'),
    ]);

    expect(result.people).toEqual([expect.objectContaining({ name: 'Sam', optional: true })]);
    expect(result.resources.map((room) => room.name)).toEqual(['Council Chamber']);
    expect(result.summary).toBe('1 accepted');
  });

  it('leaves the organiser out, who does not answer their own invitation', () => {
    const result = invited([person('Democratic Services', 'organizer'), person('Jane', 'tentativelyAccepted')]);

    expect(result.people.map((invitee) => invitee.name)).toEqual(['Jane']);
    expect(result.summary).toBe('1 tentative');
  });
});
