import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import EventView from './EventView.svelte';
import { connection } from '../common/connection.svelte';
import { eventDetails, onDataChanged, openExternal, respondToEvent, type EventDetail } from '../../ipc';
import { eventDetail, eventSummary } from './fixtures';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  eventDetails: vi.fn(),
  respondToEvent: vi.fn(),
  openExternal: vi.fn(),
  onDataChanged: vi.fn(),
}));

const mockedDetails = vi.mocked(eventDetails);
const mockedRespond = vi.mocked(respondToEvent);
const mockedOpen = vi.mocked(openExternal);

function show(detail: EventDetail = eventDetail(), onclose = vi.fn()) {
  mockedDetails.mockResolvedValue(detail);
  render(EventView, { props: { id: detail.id, summary: eventSummary({ id: detail.id }), onclose } });
  return onclose;
}

function fact(term: string): string {
  const dt = screen.getByText(term, { selector: 'dt' });
  return dt.nextElementSibling?.textContent?.trim() ?? '';
}

describe('EventView', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    connection.online = true;
    vi.mocked(onDataChanged).mockResolvedValue(() => {});
  });

  it('shows when and where the event is, who organised it and the member’s answer', async () => {
    show();
    await screen.findByText('Attendees (3)');

    expect(screen.getByRole('heading', { level: 3, name: 'Planning committee' })).toBeTruthy();
    expect(fact('When')).toBe('Monday 23 November 2026, 09:30–11:00');
    expect(fact('Where')).toBe('Council Chamber');
    expect(fact('Organiser')).toBe('Democratic Services');
    expect(fact('Your answer')).toBe('Accepted');
  });

  it('lists the attendees with their answers in words', async () => {
    show();
    const list = within(await screen.findByRole('region', { name: 'Attendees (3)' })).getByRole('list');

    const rows = within(list).getAllByRole('listitem').map((row) => row.textContent?.replace(/\s+/g, ' ').trim());
    expect(rows).toEqual(['Cllr Priya Shah Accepted', 'Jane Smith Declined', 'Democratic Services Organiser']);
  });

  it('shows the description in a sandboxed frame that cannot run scripts', async () => {
    show(eventDetail({ bodyHtml: '<p>Agenda <a href="https://council.example/agenda">here</a>.</p>' }));
    const frame = await screen.findByTitle('Event details');

    expect(frame.tagName).toBe('IFRAME');
    expect(frame.getAttribute('sandbox')).toBe('allow-same-origin');
    expect(frame.getAttribute('sandbox')).not.toContain('allow-scripts');
    expect(frame.getAttribute('srcdoc')).toBe('<p>Agenda <a href="https://council.example/agenda">here</a>.</p>');
    // The body is never put into this page itself.
    expect(document.body.querySelector('a[href="https://council.example/agenda"]')).toBeNull();
  });

  it('sends an answer with the member’s comment and shows the new state', async () => {
    mockedRespond.mockResolvedValue(undefined);
    show(eventDetail({ responseStatus: 'notResponded' }));
    await screen.findByRole('heading', { level: 4, name: 'Reply to the invitation' });

    await fireEvent.input(screen.getByLabelText('Message to the organiser (optional)'), {
      target: { value: '  I may be a few minutes late.  ' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Tentative' }));

    expect(mockedRespond).toHaveBeenCalledWith('e1', 'tentativelyAccept', 'I may be a few minutes late.');
    await waitFor(() => expect(fact('Your answer')).toBe('Tentative'));
    expect(screen.getByRole('button', { name: 'Tentative' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: 'Accept' }).getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByText('You tentatively accepted. The organiser will be told.')).toBeTruthy();
    expect((screen.getByLabelText('Message to the organiser (optional)') as HTMLTextAreaElement).value).toBe('');
  });

  it('sends an empty comment when the member writes none', async () => {
    mockedRespond.mockResolvedValue(undefined);
    show();
    await fireEvent.click(await screen.findByRole('button', { name: 'Decline' }));

    expect(mockedRespond).toHaveBeenCalledWith('e1', 'decline', '');
    await waitFor(() => expect(fact('Your answer')).toBe('Declined'));
  });

  it('says the answer is queued when the app is offline', async () => {
    connection.online = false;
    mockedRespond.mockResolvedValue(undefined);
    show();
    await fireEvent.click(await screen.findByRole('button', { name: 'Accept' }));

    expect(
      await screen.findByText(
        'You accepted. You are offline, so your answer is queued and will be sent when you are back online.',
      ),
    ).toBeTruthy();
  });

  it('explains when the answer could not be saved', async () => {
    mockedRespond.mockRejectedValue({ kind: 'vault', message: 'Your answer could not be saved' });
    show();
    await fireEvent.click(await screen.findByRole('button', { name: 'Accept' }));

    await waitFor(() => expect(screen.getByText(/Your answer could not be saved\. Please try again\./)).toBeTruthy());
    expect(fact('Your answer')).toBe('Accepted');
  });

  it('offers no answer buttons when the member organised the event or it is cancelled', async () => {
    show(eventDetail({ canRespond: false, responseStatus: 'organizer' }));
    await screen.findByText('Attendees (3)');
    expect(screen.queryByRole('button', { name: 'Accept' })).toBeNull();
  });

  it('marks a cancelled event in words', async () => {
    show(eventDetail({ isCancelled: true }));
    await screen.findByText('Attendees (3)');

    expect(screen.getByText('Cancelled: this event will not take place.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Accept' })).toBeNull();
  });

  it('shows the real meeting address before opening it', async () => {
    mockedOpen.mockResolvedValue(undefined);
    const url = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc';
    show(eventDetail({ onlineMeetingUrl: url }));

    await fireEvent.click(await screen.findByRole('button', { name: 'Join online' }));

    expect(mockedOpen).not.toHaveBeenCalled();
    const prompt = screen.getByRole('group', { name: 'Join the online meeting at this address?' });
    expect(prompt.textContent).toContain('teams.microsoft.com');
    expect(prompt.textContent).toContain(url);

    await fireEvent.click(within(prompt).getByRole('button', { name: 'Join' }));

    expect(mockedOpen).toHaveBeenCalledWith(url);
    await waitFor(() => expect(screen.queryByRole('group')).toBeNull());
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Join online' }));
  });

  it('opens nothing when the member cancels joining', async () => {
    show(eventDetail({ onlineMeetingUrl: 'https://teams.microsoft.com/l/meetup-join/x' }));

    await fireEvent.click(await screen.findByRole('button', { name: 'Join online' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    expect(mockedOpen).not.toHaveBeenCalled();
    expect(screen.queryByRole('group')).toBeNull();
  });

  it('does not offer to join an address that is not a web page', async () => {
    show(eventDetail({ onlineMeetingUrl: 'javascript:alert(1)' }));
    await screen.findByText('Attendees (3)');

    expect(screen.queryByRole('button', { name: 'Join online' })).toBeNull();
    expect(screen.getByText('javascript:alert(1)')).toBeTruthy();
  });

  it('moves focus to the title on opening and calls back when Back is pressed', async () => {
    const onclose = show();

    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 3, name: 'Planning committee' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Back to calendar' }));
    expect(onclose).toHaveBeenCalledOnce();
  });

  it('explains a failure to load the details and tries again', async () => {
    mockedDetails
      .mockRejectedValueOnce({ kind: 'notFound', message: 'This event is no longer in your calendar' })
      .mockResolvedValueOnce(eventDetail());
    render(EventView, { props: { id: 'e1', onclose: vi.fn() } });

    expect((await screen.findByRole('alert')).textContent).toContain('This event is no longer in your calendar.');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Attendees (3)')).toBeTruthy();
  });
});
