import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import ContactsView from './ContactsView.svelte';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import { contactDetails, contacts, onDataChanged, type ContactSummary } from '../../ipc';
import { contactDetail, contactSummary } from './fixtures';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  contacts: vi.fn(),
  contactDetails: vi.fn(),
  onDataChanged: vi.fn(),
}));

const mockedContacts = vi.mocked(contacts);

const everyone = [
  contactSummary(),
  contactSummary({ id: 'c2', displayName: 'Sam Okafor', jobTitle: 'Ward officer', companyName: 'Demo Housing Trust' }),
  contactSummary({ id: 'c3', displayName: 'Amira Khan', jobTitle: '', companyName: '' }),
];

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

function renderContacts() {
  return render(ContactsView, { context: appContext(new AppState()) });
}

function filterBox(): HTMLInputElement {
  return screen.getByLabelText('Find a contact') as HTMLInputElement;
}

describe('ContactsView', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    vi.mocked(onDataChanged).mockResolvedValue(() => {});
  });

  it('lists every contact with job title and organisation', async () => {
    mockedContacts.mockResolvedValue(everyone);
    renderContacts();

    const list = await screen.findByRole('list', { name: 'Contacts' });
    expect(mockedContacts).toHaveBeenCalledWith('');
    const rows = within(list).getAllByRole('button').map((row) => row.textContent?.replace(/\s+/g, ' ').trim());
    expect(rows).toEqual([
      'Jane Smith Head of Planning Demo Borough Council',
      'Sam Okafor Ward officer Demo Housing Trust',
      'Amira Khan',
    ]);
    expect(screen.getByRole('heading', { level: 2, name: 'Contacts' })).toBeTruthy();
    expect(screen.getByRole('search', { name: 'Contacts' })).toBeTruthy();
  });

  it('filters as the member types, once typing pauses', async () => {
    mockedContacts.mockResolvedValue(everyone);
    renderContacts();
    await screen.findByRole('list', { name: 'Contacts' });

    mockedContacts.mockResolvedValue([everyone[1]!]);
    await fireEvent.input(filterBox(), { target: { value: 's' } });
    await fireEvent.input(filterBox(), { target: { value: 'sa' } });
    await fireEvent.input(filterBox(), { target: { value: 'sam' } });

    await waitFor(() => expect(mockedContacts).toHaveBeenLastCalledWith('sam'));
    // One request for the first list and one for the pause, not one per key.
    expect(mockedContacts).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(screen.queryByText('Jane Smith')).toBeNull());
    expect(screen.getByText('Sam Okafor')).toBeTruthy();
    expect(document.body.textContent).toContain('1 contact match ‘sam’.');
  });

  it('ignores a slow answer to an older filter', async () => {
    mockedContacts.mockResolvedValueOnce(everyone);
    renderContacts();
    await screen.findByRole('list', { name: 'Contacts' });

    const slow = deferred<ContactSummary[]>();
    const fast = deferred<ContactSummary[]>();
    mockedContacts.mockReturnValueOnce(slow.promise).mockReturnValueOnce(fast.promise);

    await fireEvent.input(filterBox(), { target: { value: 'ja' } });
    await waitFor(() => expect(mockedContacts).toHaveBeenLastCalledWith('ja'));
    await fireEvent.input(filterBox(), { target: { value: 'amira' } });
    await waitFor(() => expect(mockedContacts).toHaveBeenLastCalledWith('amira'));

    fast.resolve([everyone[2]!]);
    await waitFor(() => expect(screen.queryByText('Jane Smith')).toBeNull());
    slow.resolve([everyone[0]!]);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(screen.getByText('Amira Khan')).toBeTruthy();
    expect(screen.queryByText('Jane Smith')).toBeNull();
  });

  it('says when nothing matches', async () => {
    mockedContacts.mockResolvedValueOnce(everyone).mockResolvedValueOnce([]);
    renderContacts();
    await screen.findByRole('list', { name: 'Contacts' });

    await fireEvent.input(filterBox(), { target: { value: 'zz' } });

    expect(await screen.findByText('No contacts match ‘zz’.', { selector: 'p' })).toBeTruthy();
  });

  it('opens a contact and returns focus to it on Back', async () => {
    mockedContacts.mockResolvedValue(everyone);
    vi.mocked(contactDetails).mockResolvedValue(contactDetail());
    renderContacts();
    await screen.findByRole('list', { name: 'Contacts' });

    await fireEvent.click(screen.getByRole('button', { name: /^Jane Smith/ }));
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 3, name: 'Jane Smith' }));
    expect(screen.queryByRole('searchbox', { name: 'Find a contact' })).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Back to contacts' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: /^Jane Smith/ }));
  });

  it('explains a failure and tries again', async () => {
    mockedContacts
      .mockRejectedValueOnce({ kind: 'storage', message: 'The saved contacts could not be read' })
      .mockResolvedValueOnce(everyone);
    renderContacts();

    expect((await screen.findByRole('alert')).textContent).toContain('The saved contacts could not be read.');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Sam Okafor')).toBeTruthy();
  });
});
