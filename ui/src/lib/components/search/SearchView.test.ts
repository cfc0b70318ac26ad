import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import SearchView from './SearchView.svelte';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import {
  contactDetails,
  eventDetails,
  onDataChanged,
  search,
  searchServer,
  type SearchHit,
  type SearchResults,
} from '../../ipc';
import { eventDetail } from '../calendar/fixtures';
import { contactDetail } from '../contacts/fixtures';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  search: vi.fn(),
  searchServer: vi.fn(),
  eventDetails: vi.fn(),
  contactDetails: vi.fn(),
  onDataChanged: vi.fn(),
}));

const mockedSearch = vi.mocked(search);
const mockedServer = vi.mocked(searchServer);

function hit(kind: SearchHit['kind'], id: string, title: string, snippet: string, when: string | null = null): SearchHit {
  return { kind, id, title, snippet, when };
}

function results(query: string, overrides: Partial<SearchResults> = {}): SearchResults {
  return {
    query,
    mail: [
      hit('mail', 'm1', 'Planning committee agenda', 'The \u0002planning\u0003 committee meets on Tuesday', '2025-07-01T08:05:00Z'),
      hit('mail', 'm2', 'Re: Mill Lane', 'Thanks for raising the \u0002planning\u0003 issue <b>today</b>', '2025-06-30T23:30:00Z'),
    ],
    events: [hit('event', 'e1', 'Planning committee', '\u0002Planning\u0003 committee, Council Chamber', '2026-11-23T09:30:00Z')],
    contacts: [hit('contact', 'c1', 'Jane Smith', 'Head of \u0002Planning\u0003')],
    ...overrides,
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

function renderSearch(props: { onopen?: () => void } = {}) {
  return render(SearchView, { props, context: appContext(new AppState()) });
}

function searchBox(): HTMLElement {
  return screen.getByRole('searchbox', { name: 'Search mail, calendar and contacts' });
}

async function type(text: string): Promise<void> {
  await fireEvent.input(searchBox(), { target: { value: text } });
}

describe('SearchView', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    vi.mocked(onDataChanged).mockResolvedValue(() => {});
  });

  it('has a labelled search form', () => {
    renderSearch();

    const form = screen.getByRole('search', { name: 'Mail, calendar and contacts' });
    expect(within(form).getByRole('searchbox', { name: 'Search mail, calendar and contacts' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'Search' })).toBeTruthy();
  });

  it('shows results as the member types, grouped with counts, and announces the total', async () => {
    mockedSearch.mockResolvedValue(results('planning'));
    renderSearch();

    await type('planning');

    expect(await screen.findByRole('heading', { level: 3, name: 'Mail (2)' })).toBeTruthy();
    expect(mockedSearch).toHaveBeenCalledWith('planning');
    expect(mockedSearch).toHaveBeenCalledOnce();
    expect(screen.getByRole('heading', { level: 3, name: 'Calendar (1)' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 3, name: 'Contacts (1)' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('4 results.');
  });

  it('puts the matched words in mark elements and leaves no control characters in the page', async () => {
    mockedSearch.mockResolvedValue(results('planning'));
    const { container } = renderSearch();

    await type('planning');
    const mailList = within(await screen.findByRole('region', { name: 'Mail (2)' })).getByRole('list');

    const first = within(mailList).getAllByRole('listitem')[0]!;
    const marks = first.querySelectorAll('mark');
    expect(Array.from(marks, (mark) => mark.textContent)).toEqual(['planning']);
    expect(first.querySelector('.snippet')?.textContent).toBe('The planning committee meets on Tuesday');
    expect(container.innerHTML).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(container.textContent).not.toMatch(/[\u0002\u0003]/);
  });

  it('shows markup in a snippet as text, never as HTML', async () => {
    mockedSearch.mockResolvedValue(results('planning'));
    renderSearch();

    await type('planning');
    const snippet = (await screen.findByText(/Thanks for raising the/)).closest('.snippet');

    expect(snippet?.textContent).toBe('Thanks for raising the planning issue <b>today</b>');
    expect(snippet?.querySelector('b')).toBeNull();
  });

  it('drops an answer that arrives after a newer one', async () => {
    const old = deferred<SearchResults>();
    const latest = deferred<SearchResults>();
    mockedSearch.mockReturnValueOnce(old.promise).mockReturnValueOnce(latest.promise);
    renderSearch();

    await type('plan');
    await waitFor(() => expect(mockedSearch).toHaveBeenCalledWith('plan'));
    await type('licensing');
    await waitFor(() => expect(mockedSearch).toHaveBeenCalledWith('licensing'));

    latest.resolve(results('licensing', { mail: [hit('mail', 'm9', 'Licensing panel', '\u0002Licensing\u0003 panel')], events: [], contacts: [] }));
    expect(await screen.findByText('Licensing panel')).toBeTruthy();

    old.resolve(results('plan'));
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(screen.queryByText('Planning committee agenda')).toBeNull();
    expect(screen.getByText('Licensing panel')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('1 result.');
  });

  it('clears the results when the box is emptied, ignoring any answer still on its way', async () => {
    mockedSearch.mockResolvedValueOnce(results('planning'));
    renderSearch();
    await type('planning');
    await screen.findByRole('heading', { name: 'Mail (2)' });

    const late = deferred<SearchResults>();
    mockedSearch.mockReturnValueOnce(late.promise);
    await type('planning c');
    await waitFor(() => expect(mockedSearch).toHaveBeenCalledTimes(2));
    await type('');

    expect(screen.queryByRole('heading', { name: 'Mail (2)' })).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('');
    late.resolve(results('planning c'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.queryByRole('heading', { name: 'Mail (2)' })).toBeNull();
    expect(mockedSearch).toHaveBeenCalledTimes(2);
  });

  it('says when nothing matches', async () => {
    mockedSearch.mockResolvedValue({ query: 'zebra', mail: [], events: [], contacts: [] });
    renderSearch();

    await type('zebra');

    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('No results for ‘zebra’.'));
  });

  it('hands a mail result to the app to open', async () => {
    mockedSearch.mockResolvedValue(results('planning'));
    const onopen = vi.fn();
    renderSearch({ onopen });

    await type('planning');
    await fireEvent.click(await screen.findByRole('button', { name: /^Planning committee agenda/ }));

    expect(onopen).toHaveBeenCalledWith({ kind: 'mail', id: 'm1' });
  });

  it('opens an event result and returns to the results with focus on it', async () => {
    mockedSearch.mockResolvedValue(results('planning'));
    vi.mocked(eventDetails).mockResolvedValue(eventDetail());
    renderSearch();

    await type('planning');
    const result = await screen.findByRole('button', { name: /Planning committee, Council Chamber/ });
    await fireEvent.click(result);

    expect(eventDetails).toHaveBeenCalledWith('e1');
    expect(document.activeElement).toBe(await screen.findByRole('heading', { level: 3, name: 'Planning committee' }));
    expect(screen.queryByRole('searchbox')).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Back to search results' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: /Planning committee, Council Chamber/ }));
  });

  it('opens a contact result', async () => {
    mockedSearch.mockResolvedValue(results('planning'));
    vi.mocked(contactDetails).mockResolvedValue(contactDetail());
    renderSearch();

    await type('planning');
    await fireEvent.click(await screen.findByRole('button', { name: /^Jane Smith/ }));

    expect(contactDetails).toHaveBeenCalledWith('c1');
    expect(await screen.findByRole('button', { name: 'Call 01632 960 123, Jane Smith' })).toBeTruthy();
  });

  it('explains a failed search and tries again', async () => {
    mockedSearch
      .mockRejectedValueOnce({ kind: 'storage', message: 'The search index could not be read' })
      .mockResolvedValueOnce(results('planning'));
    renderSearch();

    await type('planning');
    expect((await screen.findByRole('alert')).textContent).toContain('The search index could not be read.');

    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Mail (2)' })).toBeTruthy();
  });

  it('offers to search older mail on the server, then lists what it found with what it cost', async () => {
    mockedSearch.mockResolvedValue(results('pothole', { mail: [], events: [], contacts: [] }));
    mockedServer.mockResolvedValue({
      query: 'pothole',
      mail: [hit('mail', 'old1', 'Pothole on Mill Lane', 'Highways: The pothole was reported in March', '2024-03-04T09:00:00Z')],
      more: true,
      bytes: 12 * 1024,
    });
    const onopen = vi.fn();
    renderSearch({ onopen });
    await type('pothole');

    const ask = await screen.findByRole('button', { name: 'Search older mail on the server' });
    expect(screen.getByText(/This device keeps the last 30 days of mail/)).toBeTruthy();
    expect(mockedServer).not.toHaveBeenCalled();
    await fireEvent.click(ask);

    expect(await screen.findByRole('heading', { level: 3, name: 'Older mail on the server (1)' })).toBeTruthy();
    expect(mockedServer).toHaveBeenCalledWith('pothole');
    expect(screen.getByText('This search used 12 KB of data.')).toBeTruthy();
    expect(screen.getByText('The server found more. Add words to narrow the search.')).toBeTruthy();
    // Before the unit, a no-break space (as everywhere sizes are shown).
    expect(screen.getByRole('status').textContent).toMatch(/^1 older message found on the server, using 12\sKB\.$/);
    await fireEvent.click(screen.getByRole('button', { name: /Pothole on Mill Lane/ }));
    expect(onopen).toHaveBeenCalledWith({ kind: 'mail', id: 'old1' });
  });

  it('says plainly that only the last 30 days were searched when the server cannot be reached', async () => {
    mockedSearch.mockResolvedValue(results('pothole'));
    mockedServer.mockRejectedValue({ kind: 'offline', message: 'The council could not be reached.' });
    renderSearch();
    await type('pothole');

    await fireEvent.click(await screen.findByRole('button', { name: 'Search older mail on the server' }));

    const offline = 'You are offline. Only the last 30 days of mail, saved on this device, were searched.';
    expect(await screen.findByText(offline)).toBeTruthy();
    expect(screen.getByRole('heading', { level: 3, name: 'Mail (2)' })).toBeTruthy();
  });

  it('forgets the server results when the words change', async () => {
    mockedSearch.mockResolvedValue(results('pothole'));
    mockedServer.mockResolvedValue({ query: 'pothole', mail: [], more: false, bytes: 900 });
    renderSearch();
    await type('pothole');
    await fireEvent.click(await screen.findByRole('button', { name: 'Search older mail on the server' }));
    expect(await screen.findByText('Nothing older on the server matches.')).toBeTruthy();

    mockedSearch.mockResolvedValue(results('drains'));
    await type('drains');
    expect(await screen.findByRole('button', { name: 'Search older mail on the server' })).toBeTruthy();
    expect(screen.queryByText('Nothing older on the server matches.')).toBeNull();
  });
});
