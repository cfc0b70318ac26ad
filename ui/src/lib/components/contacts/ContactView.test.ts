import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import ContactView from './ContactView.svelte';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import { contactDetails, openExternal } from '../../ipc';
import { contactDetail, contactSummary } from './fixtures';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  contactDetails: vi.fn(),
  openExternal: vi.fn(),
}));

const mockedDetails = vi.mocked(contactDetails);
const mockedOpen = vi.mocked(openExternal);

function renderContact(props: { id: string; summary?: ReturnType<typeof contactSummary>; onclose: () => void }) {
  return render(ContactView, { props, context: appContext(new AppState()) });
}

describe('ContactView', () => {
  beforeEach(() => {
    vi.resetAllMocks();
  });

  it('shows the name, role, department and organisation', async () => {
    mockedDetails.mockResolvedValue(contactDetail());
    renderContact({ id: 'c1', summary: contactSummary(), onclose: vi.fn() });

    expect(screen.getByRole('heading', { level: 3, name: 'Jane Smith' })).toBeTruthy();
    expect(await screen.findByText('Planning and Regeneration')).toBeTruthy();
    expect(screen.getByText('Head of Planning')).toBeTruthy();
    expect(screen.getByText('Demo Borough Council')).toBeTruthy();
    expect(mockedDetails).toHaveBeenCalledWith('c1');
  });

  it('calls a number through the phone, with a name that says who and which number', async () => {
    mockedDetails.mockResolvedValue(contactDetail());
    mockedOpen.mockResolvedValue(undefined);
    renderContact({ id: 'c1', onclose: vi.fn() });

    await fireEvent.click(await screen.findByRole('button', { name: 'Call 01632 960 123, Jane Smith' }));

    expect(mockedOpen).toHaveBeenCalledWith('tel:01632960123');
  });

  it('starts each button name with the words on screen, for voice control (WCAG 2.5.3)', async () => {
    mockedDetails.mockResolvedValue(contactDetail({ displayName: '' }));
    renderContact({ id: 'c1', onclose: vi.fn() });

    expect(await screen.findByRole('button', { name: 'Call 01632 960 123' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Email jane.smith@council.example' })).toBeTruthy();
  });

  it('starts an email through the mail app', async () => {
    mockedDetails.mockResolvedValue(contactDetail({ emails: ['jane.smith@council.example', 'jane@home.example'] }));
    mockedOpen.mockResolvedValue(undefined);
    renderContact({ id: 'c1', onclose: vi.fn() });

    await fireEvent.click(await screen.findByRole('button', { name: 'Email jane@home.example, Jane Smith' }));

    expect(mockedOpen).toHaveBeenCalledWith('mailto:jane@home.example');
    expect(screen.getByRole('button', { name: 'Email jane.smith@council.example, Jane Smith' })).toBeTruthy();
  });

  it('explains when the phone or mail app could not be opened', async () => {
    mockedDetails.mockResolvedValue(contactDetail());
    mockedOpen.mockRejectedValue({ kind: 'unavailable', message: 'No app on this device can make calls' });
    renderContact({ id: 'c1', onclose: vi.fn() });

    await fireEvent.click(await screen.findByRole('button', { name: 'Call 01632 960 123, Jane Smith' }));

    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('No app on this device can make calls.'));
  });

  it('says so when there is no number or address', async () => {
    mockedDetails.mockResolvedValue(contactDetail({ emails: [], phones: [] }));
    renderContact({ id: 'c1', onclose: vi.fn() });

    expect(await screen.findByText('No phone number or email address is saved for Jane Smith.')).toBeTruthy();
  });

  it('focuses the name on opening and calls back when Back is pressed', async () => {
    mockedDetails.mockResolvedValue(contactDetail());
    const onclose = vi.fn();
    renderContact({ id: 'c1', summary: contactSummary(), onclose });

    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Jane Smith' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Back to contacts' }));
    expect(onclose).toHaveBeenCalledOnce();
  });

  it('explains a failure to load and tries again', async () => {
    mockedDetails
      .mockRejectedValueOnce({ kind: 'storage', message: 'The saved contacts could not be read' })
      .mockResolvedValueOnce(contactDetail());
    renderContact({ id: 'c1', onclose: vi.fn() });

    await waitFor(() => expect(screen.getAllByRole('alert').some((a) => a.textContent?.includes('could not be read.'))).toBe(true));
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('button', { name: 'Call 01632 960 123, Jane Smith' })).toBeTruthy();
  });
});
