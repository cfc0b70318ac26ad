import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import EventView from './EventView.svelte';
import {
  eventDetails,
  onDataChanged,
  onLinkRequested,
  openExternal,
  respondToEvent,
  type DataChanged,
  type EventDetail,
  type LinkRequestedEvent,
} from '../../ipc';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import { eventDetail, eventSummary } from './fixtures';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  eventDetails: vi.fn(),
  respondToEvent: vi.fn(),
  openExternal: vi.fn(),
  onDataChanged: vi.fn(),
  onLinkRequested: vi.fn(),
}));

const mockedDetails = vi.mocked(eventDetails);
const mockedRespond = vi.mocked(respondToEvent);
const mockedOpen = vi.mocked(openExternal);

let app: AppState;
let dataChanged: ((changed: DataChanged) => void) | null = null;
/** Sends `link-requested` as the shell does when it refuses to follow a clicked link. */
let linkRequested: (request: LinkRequestedEvent) => void = () => {};

function renderEvent(props: {
  id: string;
  summary?: ReturnType<typeof eventSummary>;
  onclose: () => void;
  onagenda?: () => void;
}) {
  return render(EventView, { props, context: appContext(app) });
}

function show(detail: EventDetail = eventDetail(), onclose = vi.fn()) {
  mockedDetails.mockResolvedValue(detail);
  renderEvent({ id: detail.id, summary: eventSummary({ id: detail.id }), onclose });
  return onclose;
}

function invitedRows(): string[] {
  const list = screen.getByRole('list', { name: 'Invited' });
  return within(list)
    .getAllByRole('listitem')
    .map((row) => row.textContent?.replace(/\s+/g, ' ').trim() ?? '');
}

function fact(term: string): string {
  const dt = screen.getByText(term, { selector: 'dt' });
  return dt.nextElementSibling?.textContent?.trim() ?? '';
}

describe('EventView', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    dataChanged = null;
    vi.mocked(onDataChanged).mockImplementation(async (handler) => {
      dataChanged = handler;
      return () => {};
    });
    linkRequested = () => {};
    vi.mocked(onLinkRequested).mockImplementation(async (handler) => {
      linkRequested = handler;
      return () => {};
    });
    app = new AppState();
    app.listen();
  });

  it('leads from a committee meeting to its agenda and papers only when the app holds them', async () => {
    const detail = eventDetail();
    mockedDetails.mockResolvedValue(detail);
    const onagenda = vi.fn();
    renderEvent({ id: detail.id, summary: eventSummary({ id: detail.id }), onclose: vi.fn(), onagenda });
    await fireEvent.click(await screen.findByRole('button', { name: 'Agenda and papers' }));
    expect(onagenda).toHaveBeenCalledOnce();

    cleanup();
    show();
    await screen.findByRole('list', { name: 'Invited' });
    expect(screen.queryByRole('button', { name: 'Agenda and papers' })).toBeNull();
  });

  it('shows when and where the event is, who organised it and the member’s answer', async () => {
    show();
    await screen.findByRole('list', { name: 'Invited' });

    expect(screen.getByRole('heading', { level: 3, name: 'Planning committee' })).toBeTruthy();
    expect(fact('When')).toBe('Monday 23 November 2026, 09:30–11:00');
    expect(fact('Where')).toBe('Council Chamber');
    expect(fact('Organiser')).toBe('Democratic Services');
    expect(fact('Your answer')).toBe('Accepted');
  });

  it('lists who is invited with their answers in words, accepted first, and counts the answers', async () => {
    show();
    await screen.findByRole('list', { name: 'Invited' });

    expect(invitedRows()).toEqual([
      'Cllr Priya Shah Accepted',
      'Ade Okafor Tentative',
      'sam.clerk@council.example (optional) Not answered yet',
      'Jane Smith Declined',
    ]);
    const section = screen.getByRole('region', { name: 'Invited' });
    expect(within(section).getByText('1 accepted, 1 tentative, 1 declined, 1 not answered')).toBeTruthy();
    // The organiser has a line of their own, and rooms are listed apart.
    expect(within(screen.getByRole('list', { name: 'Rooms and equipment' })).getByText('Council Chamber')).toBeTruthy();
  });

  it('follows changes to the calendar while open, such as a new answer', async () => {
    show();
    await screen.findByRole('list', { name: 'Invited' });
    mockedDetails.mockResolvedValue(
      eventDetail({
        attendees: [{ name: 'Jane Smith', address: 'jane.smith@council.example', kind: 'required', response: 'accepted' }],
      }),
    );

    dataChanged?.({ collections: ['calendar'] });

    await waitFor(() => expect(invitedRows()).toEqual(['Jane Smith Accepted']));
    expect(screen.getByText('1 accepted')).toBeTruthy();
  });

  it('shows no invited list when nobody else is invited', async () => {
    show(eventDetail({ attendees: [] }));
    await screen.findByRole('heading', { level: 4, name: 'Details' });

    expect(screen.queryByRole('list', { name: 'Invited' })).toBeNull();
  });

  it('shows the description in a sandboxed frame that cannot run scripts', async () => {
    show(eventDetail({ bodyHtml: '<p>Agenda <a href="https://council.example/agenda">here</a>.</p>' }));
    const frame = await screen.findByTitle('Event details');

    expect(frame.tagName).toBe('IFRAME');
    const sandbox = (frame.getAttribute('sandbox') ?? '').split(/\s+/);
    expect(sandbox.sort()).toEqual(['allow-same-origin', 'allow-top-navigation-by-user-activation']);
    expect(sandbox).not.toContain('allow-scripts');
    expect(sandbox).not.toContain('allow-top-navigation');
    expect(sandbox).not.toContain('allow-popups');
    const srcdoc = frame.getAttribute('srcdoc') ?? '';
    expect(srcdoc).toContain('<body><p>Agenda <a href="https://council.example/agenda">here</a>.</p></body>');
    expect(srcdoc).toContain('<base target="_top">');
    expect(srcdoc).toContain("script-src 'none'");
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
    app.updates.wentOffline();
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
    mockedRespond.mockRejectedValue({ kind: 'storage', message: 'Your answer could not be saved' });
    show();
    await fireEvent.click(await screen.findByRole('button', { name: 'Accept' }));

    await waitFor(() => expect(screen.getByText(/Your answer could not be saved\. Please try again\./)).toBeTruthy());
    expect(fact('Your answer')).toBe('Accepted');
  });

  it('offers no answer buttons when the member organised the event or it is cancelled', async () => {
    show(eventDetail({ canRespond: false, responseStatus: 'organizer' }));
    await screen.findByRole('list', { name: 'Invited' });
    expect(screen.queryByRole('button', { name: 'Accept' })).toBeNull();
  });

  it('marks a cancelled event in words', async () => {
    show(eventDetail({ isCancelled: true }));
    await screen.findByRole('list', { name: 'Invited' });

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
    await screen.findByRole('list', { name: 'Invited' });

    expect(screen.queryByRole('button', { name: 'Join online' })).toBeNull();
    expect(screen.getByText('javascript:alert(1)')).toBeTruthy();
  });

  describe('when the shell catches a click on a link in the description (WebKit, where the frame runs no listener)', () => {
    const agenda = 'https://council.example/meetings/planning?id=42#papers';

    async function showWithBody() {
      show(eventDetail({ bodyHtml: `<p>Papers <a href="${agenda}">here</a>.</p>` }));
      await screen.findByTitle('Event details');
    }

    it('shows the real host and whole address with focus on Cancel, and Cancel opens nothing', async () => {
      await showWithBody();

      linkRequested({ url: agenda });

      const prompt = await screen.findByRole('group', { name: 'Open this address in your browser?' });
      expect(prompt.querySelector('.host')?.textContent).toBe('council.example');
      expect(prompt.textContent).toContain('/meetings/planning?id=42#papers');
      expect(document.activeElement).toBe(within(prompt).getByRole('button', { name: 'Cancel' }));

      await fireEvent.click(within(prompt).getByRole('button', { name: 'Cancel' }));

      expect(mockedOpen).not.toHaveBeenCalled();
      await waitFor(() => expect(screen.queryByRole('group')).toBeNull());
    });

    it('opens the address only when the member presses Open', async () => {
      mockedOpen.mockResolvedValue(undefined);
      await showWithBody();

      linkRequested({ url: agenda });
      const prompt = await screen.findByRole('group', { name: 'Open this address in your browser?' });
      await fireEvent.click(within(prompt).getByRole('button', { name: 'Open' }));

      expect(mockedOpen).toHaveBeenCalledExactlyOnceWith(agenda);
      await waitFor(() => expect(screen.queryByRole('group')).toBeNull());
    });

    it('says it cannot open a kind of link the app will not open, with no Open button', async () => {
      await showWithBody();

      linkRequested({ url: 'javascript:alert(1)' });

      const prompt = await screen.findByRole('group', { name: 'This link cannot be opened' });
      expect(within(prompt).getByText('Member Companion cannot open this kind of link.')).toBeTruthy();
      expect(within(prompt).queryByRole('button', { name: 'Open' })).toBeNull();
      await fireEvent.click(within(prompt).getByRole('button', { name: 'Close' }));
      expect(mockedOpen).not.toHaveBeenCalled();
    });

    it('asks nothing while the event is kept out of sight, and nothing once it is closed', async () => {
      mockedDetails.mockResolvedValue(eventDetail({ bodyHtml: `<p><a href="${agenda}">here</a></p>` }));
      // As in a section the member has left: kept, but hidden.
      const { container } = render(EventView, {
        props: { id: 'e1', onclose: vi.fn() },
        context: appContext(app),
        target: document.body.appendChild(Object.assign(document.createElement('div'), { hidden: true })),
      });
      await waitFor(() => expect(container.querySelector('iframe')).toBeTruthy());

      linkRequested({ url: agenda });
      await Promise.resolve();
      expect(container.querySelector('[role="group"]')).toBeNull();

      cleanup();
      linkRequested({ url: agenda });
      await Promise.resolve();
      expect(document.querySelector('[role="group"]')).toBeNull();
      expect(mockedOpen).not.toHaveBeenCalled();
    });
  });

  it('shows a different address in a clicked link’s words as a warning, and a non-web link as one it cannot open', async () => {
    show(eventDetail({ bodyHtml: '<p>Agenda</p>' }));
    const frame = (await screen.findByTitle('Event details')) as HTMLIFrameElement;
    // jsdom does not load srcdoc: fire the frame's load, then click a link put into its document.
    await fireEvent.load(frame);
    const doc = frame.contentDocument;
    if (!doc?.body) throw new Error('The frame has no document.');
    const link = doc.createElement('a');
    link.href = 'https://evil.example/login';
    link.textContent = 'www.council.example';
    doc.body.append(link);
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    link.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);

    const prompt = await screen.findByRole('group', { name: 'Open this address in your browser?' });
    expect(prompt.querySelector('.host')?.textContent).toBe('evil.example');
    expect(within(prompt).getByText(/the words of the link show a different address/)).toBeTruthy();

    link.href = 'file:///etc/passwd';
    link.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    expect(await screen.findByRole('group', { name: 'This link cannot be opened' })).toBeTruthy();
    expect(mockedOpen).not.toHaveBeenCalled();
  });

  it('moves focus to the title on opening and calls back when Back is pressed', async () => {
    const onclose = show();

    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 3, name: 'Planning committee' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Back to calendar' }));
    expect(onclose).toHaveBeenCalledOnce();
  });

  it('explains a failure to load the details and tries again', async () => {
    mockedDetails
      .mockRejectedValueOnce({ kind: 'storage', message: 'The saved calendar could not be read' })
      .mockResolvedValueOnce(eventDetail());
    renderEvent({ id: 'e1', onclose: vi.fn() });

    expect((await screen.findByRole('alert')).textContent).toContain('The saved calendar could not be read.');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('list', { name: 'Invited' })).toBeTruthy();
  });
});
