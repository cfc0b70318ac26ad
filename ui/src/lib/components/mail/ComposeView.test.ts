import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { outbox, reply, sendMessage } from '../../ipc';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import ComposeView from './ComposeView.svelte';
import { deferred, detail } from './testing';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  sendMessage: vi.fn(),
  reply: vi.fn(),
  outbox: vi.fn(),
}));

const mockedSend = vi.mocked(sendMessage);
const mockedReply = vi.mocked(reply);

type Props = { mode: 'new' | 'reply' | 'replyAll'; original?: ReturnType<typeof detail>; onclose: () => void };

let app: AppState;

function renderCompose(props: Props) {
  app = new AppState();
  return render(ComposeView, { props, context: appContext(app) });
}

async function type(label: string | RegExp, value: string): Promise<void> {
  await fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

describe('ComposeView', () => {
  beforeEach(() => {
    mockedSend.mockReset().mockResolvedValue(undefined);
    mockedReply.mockReset().mockResolvedValue(undefined);
    vi.mocked(outbox).mockReset().mockResolvedValue([]);
  });

  it('labels every field of a new message and starts in To', () => {
    renderCompose({ mode: 'new', onclose: vi.fn() });

    expect(screen.getByRole('heading', { name: 'New message' })).toBeTruthy();
    const to = screen.getByLabelText('To');
    expect(document.activeElement).toBe(to);
    expect(screen.getByLabelText(/^Cc/)).toBeTruthy();
    expect(screen.getByLabelText('Subject')).toBeTruthy();
    expect(screen.getByLabelText('Message').tagName).toBe('TEXTAREA');
    expect(to.getAttribute('aria-describedby')).toBe(screen.getByText('Email addresses, separated by commas').id);
  });

  it('names each bad address, ties the errors to their fields and focuses the first invalid one', async () => {
    renderCompose({ mode: 'new', onclose: vi.fn() });
    await type('To', 'sam@example.com, bob@, pat');
    await type(/^Cc/, 'nobody');
    await type('Message', 'Hello');

    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    const to = screen.getByLabelText('To');
    await waitFor(() => expect(document.activeElement).toBe(to));
    expect(to.getAttribute('aria-invalid')).toBe('true');
    const toError = document.getElementById(to.getAttribute('aria-describedby')?.split(' ')[1] ?? '');
    expect(to.getAttribute('aria-describedby')?.split(' ')[0]).toBe(screen.getByText('Email addresses, separated by commas').id);
    expect(toError?.textContent).toContain('“bob@” is not a full email address.');
    expect(toError?.textContent).toContain('“pat” is not a full email address.');
    expect(toError?.textContent).not.toContain('sam@example.com');

    const cc = screen.getByLabelText(/^Cc/);
    expect(cc.getAttribute('aria-invalid')).toBe('true');
    const ccError = document.getElementById(cc.getAttribute('aria-describedby') ?? '');
    expect(ccError?.textContent).toContain('“nobody” is not a full email address.');
    expect(mockedSend).not.toHaveBeenCalled();
  });

  it('asks for a recipient and some text when both are missing, focusing To first', async () => {
    renderCompose({ mode: 'new', onclose: vi.fn() });
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('To')));
    expect(screen.getByText(/Enter the email address of at least one person/)).toBeTruthy();
    expect(screen.getByText('Write your message.')).toBeTruthy();
  });

  it('focuses the message when only the text is missing', async () => {
    renderCompose({ mode: 'new', onclose: vi.fn() });
    await type('To', 'sam@example.com');

    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    const body = screen.getByLabelText('Message');
    await waitFor(() => expect(document.activeElement).toBe(body));
    expect(body.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(body.getAttribute('aria-describedby') ?? '')?.textContent).toContain(
      'Write your message.',
    );
  });

  it('queues a valid new message and says it will be sent when online', async () => {
    renderCompose({ mode: 'new', onclose: vi.fn() });
    // The mail screen had shown the outbox's count.
    await app.mail.loadOutbox();
    await type('To', 'sam@example.com; Pat Clerk <pat@demo-council.gov.uk>');
    await type(/^Cc/, 'lee@example.org');
    await type('Subject', '  Pothole on Mill Lane ');
    await type('Message', 'It has been fixed.');

    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    expect(mockedSend).toHaveBeenCalledWith({
      to: ['sam@example.com', 'pat@demo-council.gov.uk'],
      cc: ['lee@example.org'],
      subject: 'Pothole on Mill Lane',
      body: 'It has been fixed.',
    });
    expect((await screen.findByRole('status')).textContent).toBe('Queued: it will be sent when you are online.');
    // The outbox is asked again, so its count includes the new message.
    expect(outbox).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Message queued' })));
  });

  it('replies with only the text, showing who it goes to', async () => {
    renderCompose({ mode: 'reply', original: detail(), onclose: vi.fn() });

    expect(screen.getByRole('heading', { name: 'Reply' })).toBeTruthy();
    expect(screen.queryByLabelText('To')).toBeNull();
    expect(screen.getByText('Democratic Services')).toBeTruthy();
    expect(screen.getByText('Re: Planning committee agenda')).toBeTruthy();
    const body = screen.getByLabelText('Your reply');
    expect(document.activeElement).toBe(body);

    await type('Your reply', 'Thank you.');
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    expect(mockedReply).toHaveBeenCalledWith('m1', 'Thank you.', false);
    expect(await screen.findByText('Queued: it will be sent when you are online.')).toBeTruthy();
  });

  it('replies to all, naming the others on the message', async () => {
    renderCompose({ mode: 'replyAll', original: detail(), onclose: vi.fn() });

    expect(screen.getByRole('heading', { name: 'Reply all' })).toBeTruthy();
    expect(screen.getByText(/everyone else on the message: Cllr Priya Shah, Sam Clerk/)).toBeTruthy();
    await type('Your reply', 'Agreed.');
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    expect(mockedReply).toHaveBeenCalledWith('m1', 'Agreed.', true);
  });

  it('will not send an empty reply', async () => {
    renderCompose({ mode: 'reply', original: detail(), onclose: vi.fn() });
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    expect(await screen.findByText('Write your reply.')).toBeTruthy();
    expect(mockedReply).not.toHaveBeenCalled();
  });

  it('keeps what was written and explains when the message could not be queued', async () => {
    const answer = deferred<void>();
    mockedSend.mockReturnValueOnce(answer.promise);
    renderCompose({ mode: 'new', onclose: vi.fn() });
    await type('To', 'sam@example.com');
    await type('Message', 'Hello');
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(screen.getByRole('button', { name: 'Send' }).getAttribute('aria-busy')).toBe('true');

    answer.reject({ kind: 'storage', message: 'The outbox is full' });

    expect((await screen.findByRole('alert')).textContent).toContain('The outbox is full.');
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('Hello');
  });

  it('closes at once when nothing was written, and asks first when something was', async () => {
    const onclose = vi.fn();
    const first = renderCompose({ mode: 'new', onclose });
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onclose).toHaveBeenCalledTimes(1);
    first.unmount();

    renderCompose({ mode: 'new', onclose });
    await type('Message', 'Half a thought');
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    const dialog = await screen.findByRole('dialog', { name: 'Discard this message?' });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Keep writing' }));
    expect(onclose).toHaveBeenCalledTimes(1);

    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Discard' }));
    expect(onclose).toHaveBeenCalledTimes(2);
  });
});
