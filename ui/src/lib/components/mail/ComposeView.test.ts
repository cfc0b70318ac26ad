import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  addressSuggestions,
  forwardMessage,
  outbox,
  reply,
  sendCost,
  sendMessage,
  stageAttachment,
  unstageAttachment,
} from '../../ipc';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import ComposeView from './ComposeView.svelte';
import { deferred, detail } from './testing';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  sendMessage: vi.fn(),
  reply: vi.fn(),
  outbox: vi.fn(),
  forwardMessage: vi.fn(),
  stageAttachment: vi.fn(),
  unstageAttachment: vi.fn(),
  sendCost: vi.fn(),
  addressSuggestions: vi.fn(),
}));

const mockedSend = vi.mocked(sendMessage);
const mockedReply = vi.mocked(reply);

type Props = { mode: 'new' | 'reply' | 'replyAll' | 'forward'; original?: ReturnType<typeof detail>; onclose: () => void };

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
    vi.mocked(forwardMessage).mockReset().mockResolvedValue(undefined);
    vi.mocked(unstageAttachment).mockReset().mockResolvedValue(undefined);
    vi.mocked(addressSuggestions).mockReset().mockResolvedValue([]);
    vi.mocked(sendCost).mockReset().mockResolvedValue({ bytes: 0, network: 'wifi', note: null });
    vi.mocked(stageAttachment).mockReset();
  });

  it('suggests addresses from contacts and the directory and puts the chosen one in To', async () => {
    vi.mocked(addressSuggestions).mockResolvedValue([
      { name: 'Sam Clerk', address: 'sam.clerk@council.example', source: 'contact', detail: null },
      { name: 'Sam Patel', address: 'sam.patel@council.example', source: 'directory', detail: 'Highways Engineer' },
    ]);
    renderCompose({ mode: 'new', onclose: vi.fn() });
    const to = screen.getByRole('combobox', { name: 'To' }) as HTMLInputElement;
    await fireEvent.input(to, { target: { value: 'lee@example.org, sa' } });
    const list = await screen.findByRole('listbox', { name: 'Suggested addresses for To' });
    expect(addressSuggestions).toHaveBeenCalledWith('sa');
    expect(to.getAttribute('aria-expanded')).toBe('true');
    expect(within(list).getByText(/Council directory · Highways Engineer/)).toBeTruthy();
    await fireEvent.keyDown(to, { key: 'ArrowDown' });
    await fireEvent.keyDown(to, { key: 'ArrowDown' });
    expect(to.getAttribute('aria-activedescendant')).toBe(within(list).getAllByRole('option')[1]?.id);
    await fireEvent.keyDown(to, { key: 'Enter' });
    expect(to.value).toBe('lee@example.org, Sam Patel <sam.patel@council.example>, ');
    expect(to.getAttribute('aria-expanded')).toBe('false');
  });

  it('forwards with the original’s files named, a file of the member’s and its cost on mobile data', async () => {
    vi.mocked(stageAttachment).mockResolvedValue({ id: 'f1', name: 'plans.pdf', contentType: 'application/pdf', size: 5_242_880 });
    vi.mocked(sendCost).mockResolvedValue({
      bytes: 5_242_880,
      network: 'mobile',
      note: 'You are on mobile data: sending these files uses about 5.0 MB of your allowance.',
    });
    const original = detail({ subject: 'Agenda', attachments: [{ id: 'a1', name: 'Agenda pack.pdf', contentType: 'application/pdf', size: 100, saved: false, isInline: false }] } as never);
    renderCompose({ mode: 'forward', original, onclose: vi.fn() });
    expect(screen.getByRole('heading', { name: 'Forward' })).toBeTruthy();
    expect(screen.getByText('Fw: Agenda')).toBeTruthy();
    expect(screen.getByText(/The original's files go with it: Agenda pack.pdf/)).toBeTruthy();
    const input = screen.getByLabelText('Attach a file') as HTMLInputElement;
    const file = new File(['%PDF'], 'plans.pdf', { type: 'application/pdf' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await fireEvent.change(input);
    const files = await screen.findByRole('list', { name: 'Attached files' });
    expect(within(files).getByText('plans.pdf')).toBeTruthy();
    expect(stageAttachment).toHaveBeenCalledWith('plans.pdf', 'application/pdf', btoa('%PDF'));
    expect(await screen.findByText(/sending these files uses about 5.0 MB/)).toBeTruthy();

    await type('To', 'clerk@council.example');
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() =>
      expect(forwardMessage).toHaveBeenCalledWith({
        messageId: original.id,
        to: ['clerk@council.example'],
        cc: [],
        comment: '',
        attachments: ['f1'],
      }),
    );
  });

  it('takes a file off again when the member removes it', async () => {
    vi.mocked(stageAttachment).mockResolvedValue({ id: 'f1', name: 'note.txt', contentType: 'text/plain', size: 5 });
    renderCompose({ mode: 'new', onclose: vi.fn() });
    const input = screen.getByLabelText('Attach a file') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [new File(['hello'], 'note.txt')], configurable: true });
    await fireEvent.change(input);
    await fireEvent.click(await screen.findByRole('button', { name: 'Remove note.txt' }));
    expect(unstageAttachment).toHaveBeenCalledWith('f1');
    expect(screen.queryByRole('list', { name: 'Attached files' })).toBeNull();
  });

  it('labels every field of a new message and starts in To', () => {
    renderCompose({ mode: 'new', onclose: vi.fn() });

    expect(screen.getByRole('heading', { name: 'New message' })).toBeTruthy();
    const to = screen.getByLabelText('To');
    expect(document.activeElement).toBe(to);
    expect(screen.getByLabelText(/^Cc/)).toBeTruthy();
    expect(screen.getByLabelText('Subject')).toBeTruthy();
    expect(screen.getByLabelText('Message').tagName).toBe('TEXTAREA');
    expect(to.getAttribute('aria-describedby')).toBe(screen.getByText('Type a name or an address; separate several with commas').id);
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
    expect(to.getAttribute('aria-describedby')?.split(' ')[0]).toBe(screen.getByText('Type a name or an address; separate several with commas').id);
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
      attachments: [],
    });
    expect(await screen.findByText('Queued: it will be sent when you are online.')).toBeTruthy();
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
