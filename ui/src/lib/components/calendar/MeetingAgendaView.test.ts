import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import MeetingAgendaView from './MeetingAgendaView.svelte';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import { fetchPaper, onDataChanged, papersMeeting, readPaper } from '../../ipc';
import { MB } from '../../bytes';
import { openPdf } from './pdf';
import { agendaItem, meetingSummary, meetingView, paper } from './papersFixtures';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  papersMeeting: vi.fn(),
  fetchPaper: vi.fn(),
  readPaper: vi.fn(),
  onDataChanged: vi.fn(),
}));
// pdf.js itself is not run here: the viewer's drawing is left out.
vi.mock('./pdf', () => ({ openPdf: vi.fn() }));

const mockedMeeting = vi.mocked(papersMeeting);
const mockedFetch = vi.mocked(fetchPaper);

let app: AppState;

async function showAgenda(view = meetingView(), onclose = vi.fn()) {
  mockedMeeting.mockResolvedValue(view);
  const summary = view.meeting;
  // As the meetings list opens it: the state knows the meeting, then the view shows it.
  void app.papers.openMeeting(summary);
  render(MeetingAgendaView, { props: { summary, onclose }, context: appContext(app) });
  await screen.findByRole('list', { name: /Land at Mill Lane/ });
  return onclose;
}

function item(name: RegExp | string): HTMLElement {
  const heading = screen.getByRole('heading', { level: 4, name });
  const element = heading.closest('li');
  if (!element) throw new Error(`No agenda item is headed ${String(name)}.`);
  return element;
}

function words(element: HTMLElement): string {
  return (element.textContent ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
}

describe('MeetingAgendaView', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    vi.mocked(onDataChanged).mockResolvedValue(() => {});
    app = new AppState();
    app.listen();
  });

  it('heads the agenda with the committee and the date and puts focus there', async () => {
    await showAgenda();

    const heading = screen.getByRole('heading', { level: 3, name: 'Planning Committee, Thursday 26 November 2026' });
    expect(document.activeElement).toBe(heading);
    expect(screen.getByText('6.30 pm')).toBeTruthy();
    expect(screen.getByText('Council Chamber, Town Hall')).toBeTruthy();
    expect(mockedMeeting).toHaveBeenCalledWith(41);
  });

  it('lists the items in order with their numbers, and each paper’s size, place and newness', async () => {
    await showAgenda();

    expect(screen.getAllByRole('heading', { level: 4 }).map((heading) => words(heading))).toEqual([
      '1. Apologies for absence',
      '4. 24/01234/FUL Land at Mill Lane',
      '7. Enforcement update',
      'Date of next meeting',
    ]);

    const planning = within(item(/Land at Mill Lane/)).getAllByRole('listitem');
    expect(words(planning[0]!)).toContain('Report of the Head of Planning');
    expect(words(planning[0]!)).toContain('8 MB');
    expect(words(planning[0]!)).toContain('Not on this phone');
    expect(within(planning[0]!).queryByText('New')).toBeNull();
    expect(within(planning[1]!).getByText('New')).toBeTruthy();
    expect(within(planning[1]!).getByText('size not known')).toBeTruthy();

    expect(within(item('1. Apologies for absence')).getByText('On this phone')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Open Agenda frontsheet' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download Report of the Head of Planning (8\u00a0MB)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download Late representations' })).toBeTruthy();
  });

  it('says an exempt item is not for publication and lists no paper for it', async () => {
    await showAgenda();

    const exempt = item('7. Enforcement update');
    expect(within(exempt).getByText('Exempt – not for publication')).toBeTruthy();
    expect(within(exempt).queryByRole('list')).toBeNull();
    expect(within(exempt).queryByRole('button')).toBeNull();
  });

  it('lists an exempt item’s papers where the council allows them on the phone', async () => {
    await showAgenda(
      meetingView({
        items: [
          agendaItem({ number: '4.', title: '24/01234/FUL Land at Mill Lane', papers: [paper({ id: 702, title: 'Report' })] }),
          agendaItem({ number: '7.', title: 'Enforcement update', exempt: true, papers: [paper({ id: 709, title: 'Exempt appendix' })] }),
        ],
      }),
    );

    const exempt = item('7. Enforcement update');
    expect(within(exempt).getByText('Exempt – not for publication')).toBeTruthy();
    expect(within(exempt).getByRole('button', { name: 'Open Exempt appendix' })).toBeTruthy();
  });

  it('downloads at once when the core stores the paper, and then offers to open it', async () => {
    mockedFetch.mockResolvedValue({ state: 'stored', size: 8 * MB });
    await showAgenda();

    const button = screen.getByRole('button', { name: 'Download Report of the Head of Planning (8\u00a0MB)' });
    await fireEvent.click(button);

    expect(mockedFetch).toHaveBeenCalledWith(41, 702, false);
    await waitFor(() => expect(button.textContent?.trim()).toMatch(/^Open/));
    expect(screen.getByRole('button', { name: 'Open Report of the Head of Planning' })).toBe(button);
    expect(document.body.textContent).toContain('Report of the Head of Planning is on this phone.');
  });

  it('asks first on mobile data and sends confirmed only after “Download anyway”', async () => {
    mockedFetch
      .mockResolvedValueOnce({ state: 'confirm', size: 8 * MB, network: 'mobile', reason: 'Committee papers wait for Wi-Fi.' })
      .mockResolvedValueOnce({ state: 'stored', size: 8 * MB });
    await showAgenda();

    const button = screen.getByRole('button', { name: 'Download Report of the Head of Planning (8\u00a0MB)' });
    await fireEvent.click(button);

    const dialog = await screen.findByRole('dialog', { name: 'Download Report of the Head of Planning?' });
    expect(words(dialog)).toContain('This paper is 8 MB and you are on mobile data. Download it?');
    expect(within(dialog).getByText('Committee papers wait for Wi-Fi.')).toBeTruthy();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Not now' }));
    expect(mockedFetch.mock.calls).toEqual([[41, 702, false]]);

    await fireEvent.click(within(dialog).getByRole('button', { name: 'Download anyway' }));

    expect(mockedFetch.mock.calls).toEqual([
      [41, 702, false],
      [41, 702, true],
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Open Report of the Head of Planning' })).toBe(button));
    expect(document.activeElement).toBe(button);
  });

  it('downloads nothing when the member says not now, even for a paper of unknown size', async () => {
    mockedFetch.mockResolvedValue({ state: 'confirm', size: null, network: 'mobile', reason: '' });
    await showAgenda();

    const button = screen.getByRole('button', { name: 'Download Late representations' });
    await fireEvent.click(button);
    const dialog = await screen.findByRole('dialog', { name: 'Download Late representations?' });
    expect(words(dialog)).toContain('This paper’s size is not known and you are on mobile data. Download it?');

    await fireEvent.click(within(dialog).getByRole('button', { name: 'Not now' }));

    expect(screen.queryByRole('dialog')).toBeNull();
    expect(mockedFetch.mock.calls).toEqual([[41, 703, false]]);
    expect(document.activeElement).toBe(button);
  });

  it('says beside the paper why a download failed', async () => {
    mockedFetch.mockRejectedValue({ kind: 'offline', message: '' });
    await showAgenda();

    await fireEvent.click(screen.getByRole('button', { name: 'Download Report of the Head of Planning (8\u00a0MB)' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Report of the Head of Planning could not be downloaded.');
    expect(alert.textContent).toContain('You’re offline.');
    expect(alert.closest('li')?.textContent).toContain('Report of the Head of Planning');
  });

  it('says when the agenda is not out yet', async () => {
    await (async () => {
      mockedMeeting.mockResolvedValue({ meeting: meetingSummary({ agendaPublished: false, papers: 0 }), items: [] });
      void app.papers.openMeeting(meetingSummary({ agendaPublished: false }));
      render(MeetingAgendaView, {
        props: { summary: meetingSummary({ agendaPublished: false }), onclose: vi.fn() },
        context: appContext(app),
      });
    })();

    expect(await screen.findByText('The agenda has not been published yet.')).toBeTruthy();
  });

  it('opens a stored paper in the viewer and puts focus back on its button when it closes', async () => {
    vi.mocked(readPaper).mockResolvedValue(new Uint8Array([37, 80, 68, 70]));
    vi.mocked(openPdf).mockReturnValue(new Promise(() => {}));
    await showAgenda();

    const button = screen.getByRole('button', { name: 'Open Agenda frontsheet' });
    await fireEvent.click(button);

    const title = screen.getByRole('heading', { level: 3, name: 'Agenda frontsheet' });
    expect(document.activeElement).toBe(title);
    expect(readPaper).toHaveBeenCalledWith(41, 701);
    expect(screen.queryByRole('heading', { level: 4 })).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Back to the agenda' }));

    expect(screen.queryByRole('heading', { name: 'Agenda frontsheet' })).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('goes back to the meetings from its back button', async () => {
    const onclose = await showAgenda();

    await fireEvent.click(screen.getByRole('button', { name: 'Back to committee meetings' }));

    expect(onclose).toHaveBeenCalled();
  });
});
