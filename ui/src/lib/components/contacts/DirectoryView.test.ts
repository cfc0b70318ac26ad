import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import ContactsView from './ContactsView.svelte';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import { contacts, directoryPerson, directorySearch, openExternal, type DirectoryPerson } from '../../ipc';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  contacts: vi.fn(),
  directorySearch: vi.fn(),
  directoryPerson: vi.fn(),
  openExternal: vi.fn(),
}));

const tom: DirectoryPerson = {
  id: 'u2',
  displayName: 'Tom Ashworth',
  jobTitle: 'Senior Planning Officer',
  department: 'Planning and Building Control',
  officeLocation: 'Civic Centre, Floor 2',
  officePhone: '01632 960 202',
  mail: 'tom.ashworth@council.example',
};

async function showDirectory(): Promise<void> {
  render(ContactsView, { context: appContext(new AppState()) });
  await fireEvent.click(screen.getByRole('button', { name: 'Council directory' }));
}

describe('the council directory', () => {
  beforeEach(() => {
    vi.mocked(contacts).mockReset().mockResolvedValue([]);
    vi.mocked(directorySearch).mockReset();
    vi.mocked(directoryPerson).mockReset().mockResolvedValue(tom);
    vi.mocked(openExternal).mockReset().mockResolvedValue(undefined);
  });

  it('lists the people the phone holds, says how many and when they were updated, and searches as you type', async () => {
    vi.mocked(directorySearch).mockResolvedValue({ people: [tom], held: 1234, refreshedAt: '2026-12-03T09:12:00Z' });
    await showDirectory();
    expect(screen.getByRole('button', { name: 'Council directory' }).getAttribute('aria-pressed')).toBe('true');
    const list = await screen.findByRole('list', { name: 'People in the council directory' });
    expect(within(list).getByText('Senior Planning Officer')).toBeTruthy();
    expect(screen.getByText(/1,234 people in the council directory · updated 3 Dec/)).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Find someone at the council'), { target: { value: 'plan' } });
    await waitFor(() => expect(directorySearch).toHaveBeenLastCalledWith('plan'));
  });

  it('says the directory comes on Wi-Fi when the phone has none yet', async () => {
    vi.mocked(directorySearch).mockResolvedValue({ people: [], held: 0, refreshedAt: null });
    await showDirectory();
    expect(await screen.findByText('The council directory downloads the next time you are on Wi-Fi.')).toBeTruthy();
  });

  it('opens a person with their role, and calls their office through the phone', async () => {
    vi.mocked(directorySearch).mockResolvedValue({ people: [tom], held: 1, refreshedAt: '2026-12-03T09:12:00Z' });
    await showDirectory();
    await fireEvent.click(await screen.findByRole('button', { name: /Tom Ashworth/ }));
    expect(await screen.findByRole('heading', { name: 'Tom Ashworth' })).toBeTruthy();
    expect(screen.getByText('Civic Centre, Floor 2')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Call 01632 960 202, Tom Ashworth' }));
    expect(openExternal).toHaveBeenCalledWith('tel:01632960202');
    expect(screen.getByRole('button', { name: 'Email tom.ashworth@council.example, Tom Ashworth' })).toBeTruthy();
  });
});
