import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { helpDiagnostics, sendHelp, type DiagnosticLine } from '../../ipc';
import { deferred, diagnosticsFixture } from './fixtures';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import HelpForm from './HelpForm.svelte';

// The one door to the Rust core: the help commands are mocked, errorMessage stays real.
vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  helpDiagnostics: vi.fn(),
  sendHelp: vi.fn(),
}));

const mocked = {
  helpDiagnostics: vi.mocked(helpDiagnostics),
  sendHelp: vi.mocked(sendHelp),
};

function renderHelp(onclose = vi.fn()) {
  return render(HelpForm, { props: { onclose }, context: appContext(new AppState()) });
}

async function renderLoaded() {
  const onclose = vi.fn();
  const result = renderHelp(onclose);
  await screen.findByText('App version');
  return { ...result, onclose };
}

describe('HelpForm', () => {
  beforeEach(() => {
    mocked.helpDiagnostics.mockReset().mockResolvedValue(diagnosticsFixture);
    mocked.sendHelp.mockReset().mockResolvedValue('req-1');
  });

  it('focuses its heading and offers the six kinds of problem in plain words', async () => {
    await renderLoaded();

    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Get help' })));
    const group = screen.getByRole('group', { name: 'What do you need help with?' });
    expect(within(group).getAllByRole('radio').map((radio) => radio.closest('div')?.textContent?.trim())).toEqual([
      'Signing in',
      'Mail, calendar or contacts',
      'Data allowance',
      'The phone',
      'How do I…',
      'Something else',
    ]);
    const description = screen.getByLabelText('What is the problem?');
    expect(description.tagName).toBe('TEXTAREA');
    expect(description.getAttribute('aria-describedby')).toBe(screen.getByText(/Say what you were trying to do/).id);
  });

  it('lists everything else that is sent under its heading before anything is sent', async () => {
    await renderLoaded();

    const section = screen.getByRole('region', { name: 'This is also sent, so the service desk can help' });
    const list = section.querySelector('dl');
    expect(list).toBeTruthy();
    const pairs = Array.from(list?.querySelectorAll('dt') ?? [], (dt) => [dt.textContent, dt.nextElementSibling?.textContent]);
    expect(pairs).toEqual(diagnosticsFixture.map((line) => [line.label, line.value]));
    expect(mocked.sendHelp).not.toHaveBeenCalled();
  });

  it('asks for a kind of problem and a description, tying each error to its field', async () => {
    await renderLoaded();

    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    const group = screen.getByRole('group', { name: 'What do you need help with?' });
    const categoryError = await screen.findByText('Choose what you need help with.');
    expect(group.getAttribute('aria-describedby')).toBe(categoryError.closest('p')?.id);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Signing in')));

    const description = screen.getByLabelText('What is the problem?');
    expect(description.getAttribute('aria-invalid')).toBe('true');
    const descriptionError = screen.getByText('Say what the problem is.');
    expect(description.getAttribute('aria-describedby')?.split(' ')).toContain(descriptionError.closest('p')?.id);
    expect(mocked.sendHelp).not.toHaveBeenCalled();

    // With the kind chosen, focus goes to the description; only spaces are not a description.
    await fireEvent.click(screen.getByLabelText('Data allowance'));
    await fireEvent.input(description, { target: { value: '   ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(document.activeElement).toBe(description));
    expect(screen.queryByText('Choose what you need help with.')).toBeNull();
    expect(mocked.sendHelp).not.toHaveBeenCalled();
  });

  it('sends the request and says when it will reach the service desk', async () => {
    const { onclose } = await renderLoaded();

    await fireEvent.click(screen.getByLabelText('Mail, calendar or contacts'));
    await fireEvent.input(screen.getByLabelText('What is the problem?'), {
      target: { value: '  My calendar has not updated since Monday.  ' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    expect(mocked.sendHelp).toHaveBeenCalledWith('sync', 'My calendar has not updated since Monday.');
    expect((await screen.findByRole('status')).textContent).toBe(
      'Sent. It will reach the service desk the next time the app updates.',
    );
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Request sent' })));

    await fireEvent.click(screen.getByRole('button', { name: 'Back to Trial' }));
    expect(onclose).toHaveBeenCalledTimes(1);
  });

  it('will not send until the details that go with the request have been shown', async () => {
    mocked.helpDiagnostics
      .mockRejectedValueOnce({ kind: 'storage', message: 'The app’s state could not be read' })
      .mockResolvedValueOnce(diagnosticsFixture);
    renderHelp();

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('could not be shown, so it cannot be sent yet');
    await fireEvent.click(screen.getByLabelText('The phone'));
    await fireEvent.input(screen.getByLabelText('What is the problem?'), { target: { value: 'The screen is cracked.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(mocked.sendHelp).not.toHaveBeenCalled();
    await waitFor(() => expect(document.activeElement).toBe(alert.closest('.trial-problem')));

    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('App version')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(mocked.sendHelp).toHaveBeenCalledWith('device', 'The screen is cracked.');
  });

  it('asks the member to wait while the details are still being read', async () => {
    const pending = deferred<DiagnosticLine[]>();
    mocked.helpDiagnostics.mockReturnValueOnce(pending.promise);
    renderHelp();
    await fireEvent.click(screen.getByLabelText('Something else'));
    await fireEvent.input(screen.getByLabelText('What is the problem?'), { target: { value: 'A question.' } });

    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    expect((await screen.findByRole('alert')).textContent).toContain('still being read');
    expect(mocked.sendHelp).not.toHaveBeenCalled();
    pending.resolve(diagnosticsFixture);
    expect(await screen.findByText('App version')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('keeps what was written and explains when the request could not be queued', async () => {
    await renderLoaded();
    mocked.sendHelp.mockRejectedValueOnce({ kind: 'storage', message: 'The request could not be saved' });

    await fireEvent.click(screen.getByLabelText('Signing in'));
    await fireEvent.input(screen.getByLabelText('What is the problem?'), { target: { value: 'It keeps asking.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    expect((await screen.findByRole('alert')).textContent).toContain('The request could not be saved. Press Send to try again.');
    expect((screen.getByLabelText('What is the problem?') as HTMLTextAreaElement).value).toBe('It keeps asking.');
  });
});
