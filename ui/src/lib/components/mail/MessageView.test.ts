import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import type { ComponentProps } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  conversation,
  deleteMessage,
  downloadAttachment,
  fetchBody,
  markRead,
  moveMessage,
  onLinkRequested,
  openExternal,
  openMessage,
  openMessageFull,
  setFlag,
  showImages,
  type LinkRequestedEvent,
} from '../../ipc';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import MessageView from './MessageView.svelte';
import { detail, folders, summary } from './testing';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  openMessage: vi.fn(),
  openMessageFull: vi.fn(),
  showImages: vi.fn(),
  fetchBody: vi.fn(),
  conversation: vi.fn(),
  markRead: vi.fn(),
  setFlag: vi.fn(),
  moveMessage: vi.fn(),
  deleteMessage: vi.fn(),
  downloadAttachment: vi.fn(),
  openExternal: vi.fn(),
  onLinkRequested: vi.fn(),
}));

const mocked = {
  openMessage: vi.mocked(openMessage),
  openMessageFull: vi.mocked(openMessageFull),
  showImages: vi.mocked(showImages),
  fetchBody: vi.mocked(fetchBody),
  conversation: vi.mocked(conversation),
  markRead: vi.mocked(markRead),
  setFlag: vi.mocked(setFlag),
  moveMessage: vi.mocked(moveMessage),
  deleteMessage: vi.mocked(deleteMessage),
  downloadAttachment: vi.mocked(downloadAttachment),
  openExternal: vi.mocked(openExternal),
  onLinkRequested: vi.mocked(onLinkRequested),
};

/** Sends `link-requested` as the shell does when it refuses to follow a clicked link. */
let linkRequested: (request: LinkRequestedEvent) => void = () => {};

function renderMessage(props: ComponentProps<typeof MessageView>) {
  return render(MessageView, { props, context: appContext(new AppState()) });
}

/** With the app listening to the core's events, as it does once it has started. */
function renderListening(props: ComponentProps<typeof MessageView>) {
  const app = new AppState();
  const stop = app.listen();
  const view = render(MessageView, { props, context: appContext(app) });
  return { app, stop, view };
}

/** What the polite status regions say (the message's own, and its loading message's). */
function statusTexts(): string[] {
  return screen.getAllByRole('status').map((status) => status.textContent?.trim() ?? '');
}

/** The real host, shown on a line of its own. */
function hostLine(dialog: HTMLElement): string | null {
  return dialog.querySelector('.host')?.textContent ?? null;
}

async function frame(): Promise<HTMLIFrameElement> {
  const element = await screen.findByTitle('Message body');
  if (!(element instanceof HTMLIFrameElement)) throw new Error('The message body is not an iframe.');
  return element;
}

/** jsdom does not load srcdoc, so put a link into the frame's document and click it there. */
async function clickLinkInBody(href: string, text: string): Promise<HTMLAnchorElement> {
  const doc = (await frame()).contentDocument;
  if (!doc) throw new Error('The frame has no document.');
  const link = doc.createElement('a');
  link.href = href;
  link.textContent = text;
  doc.body.append(link);
  const event = new MouseEvent('click', { bubbles: true, cancelable: true });
  link.dispatchEvent(event);
  expect(event.defaultPrevented).toBe(true);
  return link;
}

describe('MessageView', () => {
  beforeEach(() => {
    for (const mock of Object.values(mocked)) mock.mockReset();
    mocked.conversation.mockResolvedValue([]);
    mocked.markRead.mockResolvedValue(undefined);
    mocked.setFlag.mockResolvedValue(undefined);
    mocked.moveMessage.mockResolvedValue(undefined);
    mocked.deleteMessage.mockResolvedValue(undefined);
    mocked.openExternal.mockResolvedValue(undefined);
    linkRequested = () => {};
    mocked.onLinkRequested.mockImplementation(async (handler) => {
      linkRequested = handler;
      return () => {};
    });
  });

  it('shows the subject, sender with address, recipients and the full date in UK time', async () => {
    mocked.openMessage.mockResolvedValue(detail());
    renderMessage({ id: 'm1' });

    expect(await screen.findByRole('heading', { level: 2, name: 'Planning committee agenda' })).toBeTruthy();
    expect(mocked.openMessage).toHaveBeenCalledWith('m1');
    expect(screen.getByText('Democratic Services <democratic.services@demo-council.gov.uk>')).toBeTruthy();
    expect(screen.getByText('Cllr Priya Shah <priya.shah@demo-council.gov.uk>')).toBeTruthy();
    expect(screen.getByText('Sam Clerk <sam.clerk@demo-council.gov.uk>')).toBeTruthy();
    expect(screen.getByText('Tuesday, 1 July 2025 at 09:05')).toBeTruthy();
  });

  it('puts the body in a sandboxed iframe that may not run script, wrapped with the body stylesheet', async () => {
    mocked.openMessage.mockResolvedValue(detail());
    renderMessage({ id: 'm1' });

    const body = await frame();
    const sandbox = (body.getAttribute('sandbox') ?? '').split(/\s+/);
    expect(sandbox.sort()).toEqual(['allow-same-origin', 'allow-top-navigation-by-user-activation']);
    expect(sandbox).not.toContain('allow-scripts');
    expect(sandbox).not.toContain('allow-top-navigation');
    expect(sandbox).not.toContain('allow-popups');
    const srcdoc = body.getAttribute('srcdoc') ?? '';
    expect(srcdoc).toContain(detail().bodyHtml);
    expect(srcdoc).toContain('<base target="_top">');
    expect(srcdoc).toContain('<link rel="stylesheet"');
    expect(srcdoc).toContain("script-src 'none'");
    expect(srcdoc).not.toMatch(/<script/i);
    expect(document.body.innerHTML).not.toContain('<p>Please find the agenda attached.');
  });

  it('shows the real address of a clicked link and opens it only after Open', async () => {
    mocked.openMessage.mockResolvedValue(detail());
    renderMessage({ id: 'm1' });

    await clickLinkInBody('https://evil.example/login', 'https://www.demo-council.gov.uk');

    const dialog = await screen.findByRole('dialog', { name: 'Open this link?' });
    expect(hostLine(dialog)).toBe('evil.example');
    expect(dialog.textContent).toContain('Full address: https://evil.example/login');
    expect(within(dialog).getByText(/show a different address/)).toBeTruthy();
    expect(mocked.openExternal).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));

    await fireEvent.click(within(dialog).getByRole('button', { name: 'Open' }));

    expect(mocked.openExternal).toHaveBeenCalledWith('https://evil.example/login');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('does not open a link when the member cancels or presses Escape', async () => {
    mocked.openMessage.mockResolvedValue(detail());
    renderMessage({ id: 'm1' });

    await clickLinkInBody('https://demo-council.gov.uk/agenda', 'Agenda');
    await fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();

    await clickLinkInBody('https://demo-council.gov.uk/agenda', 'Agenda');
    await fireEvent.keyDown(await screen.findByRole('dialog'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();

    expect(mocked.openExternal).not.toHaveBeenCalled();
  });

  it('offers no Open button for a link the app will not open', async () => {
    mocked.openMessage.mockResolvedValue(detail());
    renderMessage({ id: 'm1' });

    await clickLinkInBody('javascript:alert(1)', 'Click me');

    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Member Companion cannot open this kind of link.')).toBeTruthy();
    expect(within(dialog).queryByRole('button', { name: 'Open' })).toBeNull();
  });

  describe('when the shell catches a click on a link in the body (WebKit, where the frame runs no listener)', () => {
    const agenda = 'https://democracy.demoborough.example/ieListDocuments.aspx?CId=130&MId=4521#item-4';

    it('shows the confirmation with the real host on its own line and the whole address, focus on Cancel', async () => {
      mocked.openMessage.mockResolvedValue(detail());
      const { stop } = renderListening({ id: 'm1' });
      const body = await frame();

      linkRequested({ url: agenda });

      const dialog = await screen.findByRole('dialog', { name: 'Open this link?' });
      expect(hostLine(dialog)).toBe('democracy.demoborough.example');
      expect(dialog.textContent).toContain('/ieListDocuments.aspx?CId=130&MId=4521#item-4');
      expect(dialog.getAttribute('aria-describedby')).toBeTruthy();
      expect(document.getElementById(dialog.getAttribute('aria-describedby') ?? '')?.textContent).toContain(
        'democracy.demoborough.example',
      );
      expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
      expect(mocked.openExternal).not.toHaveBeenCalled();

      await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));

      expect(screen.queryByRole('dialog')).toBeNull();
      expect(mocked.openExternal).not.toHaveBeenCalled();
      expect(document.activeElement).toBe(body);
      stop();
    });

    it('opens the address, unchanged, only when the member presses Open', async () => {
      mocked.openMessage.mockResolvedValue(detail());
      const { stop } = renderListening({ id: 'm1' });
      await frame();

      linkRequested({ url: agenda });
      await fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Open' }));

      expect(mocked.openExternal).toHaveBeenCalledExactlyOnceWith(agenda);
      expect(screen.queryByRole('dialog')).toBeNull();
      stop();
    });

    it('says where an address with a false host before an @ sign really goes', async () => {
      mocked.openMessage.mockResolvedValue(detail());
      const { stop } = renderListening({ id: 'm1' });
      await frame();

      linkRequested({ url: 'https://www.council.gov.uk@evil.example/login' });

      const dialog = await screen.findByRole('dialog', { name: 'Open this link?' });
      expect(hostLine(dialog)).toBe('evil.example');
      const warning = within(dialog).getByText(/the part before the @ sign/);
      expect(warning.textContent?.replace(/\s+/g, ' ')).toContain(
        'Warning: the part before the @ sign, “www.council.gov.uk”, is not where this link goes. It goes to evil.example.',
      );
      stop();
    });

    it('offers no Open button for a kind of link the app will not open', async () => {
      mocked.openMessage.mockResolvedValue(detail());
      const { stop } = renderListening({ id: 'm1' });
      await frame();

      linkRequested({ url: 'data:text/html,<p>hi' });

      const dialog = await screen.findByRole('dialog', { name: 'This link cannot be opened' });
      expect(within(dialog).getByText('Member Companion cannot open this kind of link.')).toBeTruthy();
      expect(within(dialog).queryByRole('button', { name: 'Open' })).toBeNull();
      await fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
      expect(mocked.openExternal).not.toHaveBeenCalled();
      stop();
    });

    it('does nothing once the message is closed', async () => {
      mocked.openMessage.mockResolvedValue(detail());
      const { stop, view } = renderListening({ id: 'm1' });
      await frame();
      view.unmount();

      linkRequested({ url: agenda });

      await Promise.resolve();
      expect(screen.queryByRole('dialog')).toBeNull();
      expect(mocked.openExternal).not.toHaveBeenCalled();
      stop();
    });
  });

  it('offers to show blocked images with their approximate size and shows them when asked', async () => {
    mocked.openMessage.mockResolvedValue(detail({ blockedImages: { count: 3, approxBytes: 420_000 } }));
    mocked.showImages.mockResolvedValue(
      detail({ blockedImages: { count: 3, approxBytes: 420_000 }, imagesShown: true, bodyHtml: '<img src="data:,">' }),
    );
    renderMessage({ id: 'm1' });

    expect(await screen.findByText('To save data, 3 pictures from the internet are hidden.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Show images (about 410\u00a0KB)' }));

    expect(mocked.showImages).toHaveBeenCalledWith('m1');
    await waitFor(() => expect(screen.queryByRole('button', { name: /Show images/ })).toBeNull());
    expect((await frame()).getAttribute('srcdoc')).toContain('<img src="data:,">');
    await waitFor(() => expect(statusTexts()).toContain('Images shown'));
  });

  it('says why a message is shown as text and shows it in full when asked', async () => {
    const why = 'This message is very large (5 MB), so only its text is shown.';
    mocked.openMessage.mockResolvedValue(detail({ bodyHtml: '<pre>Minutes</pre>', textForm: why }));
    mocked.openMessageFull.mockResolvedValue(detail({ bodyHtml: '<p>Minutes</p>', textForm: null }));
    renderMessage({ id: 'm1' });

    expect(await screen.findByText(why)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Show the full message' }));

    expect(mocked.openMessageFull).toHaveBeenCalledWith('m1');
    await waitFor(() => expect(screen.queryByText(why)).toBeNull());
    expect((await frame()).getAttribute('srcdoc')).toContain('<p>Minutes</p>');
    await waitFor(() => expect(statusTexts()).toContain('Full message shown'));
  });

  it('counts the images when their size is unknown', async () => {
    mocked.openMessage.mockResolvedValue(detail({ blockedImages: { count: 2, approxBytes: null } }));
    renderMessage({ id: 'm1' });

    expect(await screen.findByRole('button', { name: 'Show 2 images' })).toBeTruthy();
  });

  it('downloads a message that has not been downloaded yet', async () => {
    mocked.openMessage.mockResolvedValue(detail({ bodyState: 'notDownloaded', bodyHtml: null }));
    mocked.fetchBody.mockResolvedValue(detail());
    renderMessage({ id: 'm1' });

    expect(await screen.findByText('This message has not been downloaded yet.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Download message' }));

    expect(mocked.fetchBody).toHaveBeenCalledWith('m1');
    expect(await frame()).toBeTruthy();
  });

  it('explains why the data saver held a body back and downloads it anyway when asked', async () => {
    mocked.openMessage.mockResolvedValue(
      detail({ bodyState: 'heldBack', bodyHtml: null, heldBackReason: 'You have used 90% of your data this month.' }),
    );
    mocked.fetchBody.mockResolvedValue(detail());
    renderMessage({ id: 'm1' });

    expect(await screen.findByText('You have used 90% of your data this month.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Download anyway' }));

    expect(mocked.fetchBody).toHaveBeenCalledWith('m1');
  });

  it('lists attachments with their kind and size and saves one straight away on Wi-Fi', async () => {
    mocked.openMessage.mockResolvedValue(
      detail({ attachments: [{ id: 'a1', name: 'agenda.pdf', contentType: 'application/pdf', size: 420_000, saved: false }] }),
    );
    mocked.downloadAttachment.mockResolvedValue({ state: 'saved', path: '/home/priya/Downloads/agenda.pdf' });
    renderMessage({ id: 'm1' });

    expect(await screen.findByText('PDF document, 410 KB')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Download agenda.pdf' }));

    expect(mocked.downloadAttachment).toHaveBeenCalledWith('m1', 'a1', false);
    expect(await screen.findByText('Saved to /home/priya/Downloads/agenda.pdf')).toBeTruthy();
  });

  it('asks before downloading a large attachment on mobile data and downloads only after a yes', async () => {
    mocked.openMessage.mockResolvedValue(
      detail({ attachments: [{ id: 'a1', name: 'plans.zip', contentType: 'application/zip', size: 12_400_000, saved: false }] }),
    );
    mocked.downloadAttachment
      .mockResolvedValueOnce({ state: 'confirm', size: 12_400_000, network: 'mobile', reason: 'Large files wait for Wi-Fi.' })
      .mockResolvedValueOnce({ state: 'saved', path: '/storage/Download/plans.zip' });
    renderMessage({ id: 'm1' });

    const button = await screen.findByRole('button', { name: 'Download plans.zip' });
    await fireEvent.click(button);

    const dialog = await screen.findByRole('dialog', { name: 'Download plans.zip?' });
    expect(within(dialog).getByText('This file is 12 MB and you are on mobile data. Download it?')).toBeTruthy();
    expect(mocked.downloadAttachment).toHaveBeenCalledTimes(1);

    await fireEvent.click(within(dialog).getByRole('button', { name: 'Download' }));

    expect(mocked.downloadAttachment).toHaveBeenLastCalledWith('m1', 'a1', true);
    expect(await screen.findByText('Saved to /storage/Download/plans.zip')).toBeTruthy();
    expect(document.activeElement).toBe(button);
  });

  it('leaves a large attachment alone when the member says not now', async () => {
    mocked.openMessage.mockResolvedValue(
      detail({ attachments: [{ id: 'a1', name: 'plans.zip', contentType: 'application/zip', size: 12_400_000, saved: false }] }),
    );
    mocked.downloadAttachment.mockResolvedValue({ state: 'confirm', size: 12_400_000, network: 'mobile', reason: '' });
    renderMessage({ id: 'm1' });

    await fireEvent.click(await screen.findByRole('button', { name: 'Download plans.zip' }));
    await fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Not now' }));

    expect(screen.queryByRole('dialog')).toBeNull();
    expect(mocked.downloadAttachment).toHaveBeenCalledTimes(1);
  });

  it('marks as unread and flags, saying what it did', async () => {
    mocked.openMessage.mockResolvedValue(detail({ isRead: true, flagged: false }));
    renderMessage({ id: 'm1' });

    await fireEvent.click(await screen.findByRole('button', { name: 'Mark as unread' }));
    expect(mocked.markRead).toHaveBeenCalledWith('m1', false);
    expect(await screen.findByRole('button', { name: 'Mark as read' })).toBeTruthy();
    await waitFor(() => expect(statusTexts()).toContain('Marked as unread'));

    await fireEvent.click(screen.getByRole('button', { name: 'Flag' }));
    expect(mocked.setFlag).toHaveBeenCalledWith('m1', true);
    expect(await screen.findByRole('button', { name: 'Remove flag' })).toBeTruthy();
    await waitFor(() => expect(statusTexts()).toContain('Flagged'));
  });

  it('moves the message to a folder chosen in a dialog and reports it in plain words', async () => {
    mocked.openMessage.mockResolvedValue(detail());
    const onremoved = vi.fn();
    renderMessage({ id: 'm1', folders, currentFolderId: 'f-inbox', onremoved });

    await fireEvent.click(await screen.findByRole('button', { name: 'Move' }));
    const dialog = await screen.findByRole('dialog', { name: 'Move to which folder?' });
    expect(within(dialog).queryByRole('button', { name: 'Inbox' })).toBeNull();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Archive' }));

    expect(mocked.moveMessage).toHaveBeenCalledWith('m1', 'f-archive');
    await waitFor(() => expect(onremoved).toHaveBeenCalledWith('Message moved to Archive', 'm1'));
  });

  it('deletes only after the member confirms', async () => {
    mocked.openMessage.mockResolvedValue(detail());
    const onremoved = vi.fn();
    renderMessage({ id: 'm1', onremoved });

    const deleteButton = await screen.findByRole('button', { name: 'Delete' });
    await fireEvent.click(deleteButton);
    let dialog = await screen.findByRole('dialog', { name: 'Delete this message?' });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(mocked.deleteMessage).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(deleteButton);

    await fireEvent.click(deleteButton);
    dialog = await screen.findByRole('dialog', { name: 'Delete this message?' });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));

    expect(mocked.deleteMessage).toHaveBeenCalledWith('m1');
    await waitFor(() => expect(onremoved).toHaveBeenCalledWith('Message deleted', 'm1'));
  });

  it('shows a failed action’s reason with Try again, which repeats it', async () => {
    mocked.openMessage.mockResolvedValue(detail());
    mocked.setFlag.mockRejectedValueOnce({ kind: 'storage', message: 'The change could not be saved' });
    renderMessage({ id: 'm1' });

    await fireEvent.click(await screen.findByRole('button', { name: 'Flag' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The change could not be saved.');

    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(mocked.setFlag).toHaveBeenCalledTimes(2);
    expect(await screen.findByRole('button', { name: 'Remove flag' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('asks to reply and reply all with the opened message', async () => {
    const message = detail();
    mocked.openMessage.mockResolvedValue(message);
    const onreply = vi.fn();
    renderMessage({ id: 'm1', onreply });

    await fireEvent.click(await screen.findByRole('button', { name: 'Reply' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Reply all' }));

    expect(onreply).toHaveBeenNthCalledWith(1, 'reply', message, screen.getByRole('button', { name: 'Reply' }));
    expect(onreply).toHaveBeenNthCalledWith(2, 'replyAll', message, screen.getByRole('button', { name: 'Reply all' }));
  });

  it('lists the other messages of the conversation and opens one when pressed', async () => {
    mocked.openMessage.mockResolvedValue(detail({ conversationId: 'c1' }));
    mocked.conversation.mockResolvedValue([
      summary(1, { id: 'm1', conversationId: 'c1' }),
      summary(7, { id: 'm7', conversationId: 'c1', from: 'Sam Resident', subject: 'Re: Planning committee agenda' }),
    ]);
    const onopenmessage = vi.fn();
    renderMessage({ id: 'm1', onopenmessage });

    const section = (await screen.findByRole('heading', { name: 'Also in this conversation' })).closest('section');
    if (!section) throw new Error('No conversation section.');
    expect(mocked.conversation).toHaveBeenCalledWith('c1');
    const buttons = within(section).getAllByRole('button');
    expect(buttons).toHaveLength(1);
    await fireEvent.click(within(section).getByRole('button', { name: /Sam Resident/ }));

    expect(onopenmessage).toHaveBeenCalledWith('m7');
  });

  it('shows why a message could not be opened, with Try again', async () => {
    mocked.openMessage.mockRejectedValueOnce({ kind: 'storage', message: 'The saved message could not be read' });
    mocked.openMessage.mockResolvedValueOnce(detail());
    renderMessage({ id: 'm1' });

    expect((await screen.findByRole('alert')).textContent).toContain('The saved message could not be read.');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('heading', { name: 'Planning committee agenda' })).toBeTruthy();
  });

  it('offers no Try again for a message that has gone', async () => {
    mocked.openMessage.mockRejectedValueOnce({ kind: 'notFound', message: 'This message is no longer in the mailbox' });
    renderMessage({ id: 'm1' });

    expect((await screen.findByRole('alert')).textContent).toContain('This message is no longer in the mailbox.');
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('shows the saved header and says the text comes when back online, for a body not downloaded while offline', async () => {
    mocked.openMessage.mockResolvedValue(detail({ bodyState: 'offline', bodyHtml: null }));
    renderMessage({ id: 'm1' });

    expect(await screen.findByRole('heading', { level: 2, name: 'Planning committee agenda' })).toBeTruthy();
    expect(screen.getByText('Democratic Services <democratic.services@demo-council.gov.uk>')).toBeTruthy();
    expect(
      screen.getByText('You’re offline. This message’s text hasn’t been downloaded yet; it will be when you’re back online.'),
    ).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('button', { name: /Download/ })).toBeNull();
    expect(screen.queryByText('Opening the message…')).toBeNull();
    expect(screen.getByRole('article').getAttribute('aria-busy')).toBe('false');
  });

  it('moves focus to the subject once loaded when asked to', async () => {
    mocked.openMessage.mockResolvedValue(detail());
    renderMessage({ id: 'm1', focusOnLoad: true });

    const heading = await screen.findByRole('heading', { name: 'Planning committee agenda' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });
});
