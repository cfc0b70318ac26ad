import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import PaperViewer from './PaperViewer.svelte';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import { onDataChanged, paperNotes, readPaper } from '../../ipc';
import { openPdf, type PdfPaper } from './pdf';
import { paper } from './papersFixtures';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  readPaper: vi.fn(),
  paperNotes: vi.fn(),
  onDataChanged: vi.fn(),
}));
// pdf.js is not run in jsdom: the viewer is given a stand-in document.
vi.mock('./pdf', () => ({ openPdf: vi.fn() }));

const mockedRead = vi.mocked(readPaper);
const mockedOpen = vi.mocked(openPdf);

/** A stand-in for a paper pdf.js has opened: US letter pages, drawn at once. */
function fakePaper(pageCount = 3) {
  const paperDocument = {
    pageCount,
    pageSize: vi.fn<PdfPaper['pageSize']>(async () => ({ width: 612, height: 792 })),
    drawPage: vi.fn<PdfPaper['drawPage']>(() => ({ done: Promise.resolve(), cancel: vi.fn() })),
    releasePage: vi.fn<PdfPaper['releasePage']>(),
    destroy: vi.fn<PdfPaper['destroy']>(async () => {}),
  } satisfies PdfPaper;
  return paperDocument;
}

let app: AppState;

function show(onclose = vi.fn()) {
  return render(PaperViewer, {
    props: { meetingId: 41, paper: paper({ title: 'Agenda frontsheet', size: 300 * 1024 }), onclose },
    context: appContext(app),
  });
}

describe('PaperViewer', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    vi.mocked(onDataChanged).mockResolvedValue(() => {});
    mockedRead.mockResolvedValue(new Uint8Array([37, 80, 68, 70, 45]));
    vi.mocked(paperNotes).mockResolvedValue({ notes: [], toOneDrive: false, backup: { state: 'off' } });
    app = new AppState();
  });

  afterEach(() => {
    cleanup();
  });

  it('reads the stored paper, puts focus on its title and shows each page as a region', async () => {
    mockedOpen.mockResolvedValue(fakePaper());
    const reading = vi.spyOn(app.papers, 'readPaper');
    show();

    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 3, name: 'Agenda frontsheet' }));
    expect(mockedRead).toHaveBeenCalledWith(41, 701);
    expect(await screen.findByRole('region', { name: 'Page 1 of 3' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Page 3 of 3' })).toBeTruthy();
    expect(mockedOpen).toHaveBeenCalledWith(new Uint8Array([37, 80, 68, 70, 45]));
    expect(screen.getByText(/^3 pages, 300.KB$/)).toBeTruthy();
    // The bytes are pdf.js's now: the state does not keep a second copy.
    expect(reading.mock.results[0]?.value.bytes.current).toBeUndefined();
  });

  it('zooms in and out by named buttons, saying the size, within limits', async () => {
    mockedOpen.mockResolvedValue(fakePaper());
    show();
    const zoom = await screen.findByRole('group', { name: 'Zoom' });

    expect(within(zoom).getByRole('status').textContent).toBe('100%');
    await fireEvent.click(within(zoom).getByRole('button', { name: 'Zoom in' }));
    expect(within(zoom).getByRole('status').textContent).toBe('125%');

    const zoomOut = within(zoom).getByRole('button', { name: 'Zoom out' });
    for (let press = 0; press < 6; press += 1) await fireEvent.click(zoomOut);
    expect(within(zoom).getByRole('status').textContent).toBe('50%');
    expect(zoomOut.getAttribute('aria-disabled')).toBe('true');
  });

  it('draws the pages to fit the width, and again at a new zoom', async () => {
    const width = vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(306);
    const document = fakePaper(2);
    mockedOpen.mockResolvedValue(document);
    show();
    await screen.findByRole('region', { name: 'Page 2 of 2' });

    await waitFor(() => expect(document.drawPage).toHaveBeenCalledTimes(2));
    expect(document.drawPage.mock.calls.map((call) => [call[0], call[1]])).toEqual([
      [1, 0.5],
      [2, 0.5],
    ]);

    await fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));

    await waitFor(() => expect(document.drawPage).toHaveBeenCalledTimes(4));
    expect(document.drawPage.mock.calls.slice(2).map((call) => call[1])).toEqual([0.625, 0.625]);
    width.mockRestore();
  });

  it('lets go of the document when it closes, and goes back from its back button', async () => {
    const document = fakePaper();
    mockedOpen.mockResolvedValue(document);
    const onclose = vi.fn();
    const { unmount } = show(onclose);
    await screen.findByRole('region', { name: 'Page 1 of 3' });

    await fireEvent.click(screen.getByRole('button', { name: 'Back to the agenda' }));
    expect(onclose).toHaveBeenCalled();

    unmount();
    expect(document.destroy).toHaveBeenCalled();
  });

  it('explains a paper that is not a PDF, with nothing to try again', async () => {
    mockedOpen.mockRejectedValue(Object.assign(new Error('Invalid PDF structure.'), { name: 'InvalidPDFException' }));
    show();

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The paper could not be shown');
    expect(alert.textContent).toContain('This paper is damaged or is not a PDF, so it cannot be shown here.');
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(screen.queryByRole('group', { name: 'Zoom' })).toBeNull();
  });

  it('explains a paper that could not be read from the phone, and reads it again', async () => {
    mockedRead.mockRejectedValueOnce({ kind: 'storage', message: 'The paper saved on this phone could not be read' });
    mockedOpen.mockResolvedValue(fakePaper(1));
    show();

    expect((await screen.findByRole('alert')).textContent).toContain('The paper could not be opened');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('region', { name: 'Page 1 of 1' })).toBeTruthy();
    expect(mockedRead).toHaveBeenCalledTimes(2);
  });
});
