import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { outbox, type OutboxItem } from '../../ipc';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import OutboxView from './OutboxView.svelte';

vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  outbox: vi.fn(),
}));

const mockedOutbox = vi.mocked(outbox);

const items: OutboxItem[] = [
  {
    id: 1,
    kind: 'reply',
    summary: 'Reply to ‘Planning committee agenda’',
    state: 'queued',
    reason: null,
    attempts: 0,
    queuedAt: '2025-07-01T08:05:00Z',
  },
  { id: 2, kind: 'send', summary: 'New message to sam@example.com', state: 'sending', reason: null, attempts: 1, queuedAt: '2025-07-01T08:06:00Z' },
  {
    id: 3,
    kind: 'move',
    summary: 'Move ‘Pothole on Mill Lane’ to Archive',
    state: 'failed',
    reason: 'The council’s server refused it',
    attempts: 3,
    queuedAt: '2025-07-01T08:07:00Z',
  },
  { id: 4, kind: 'flag', summary: 'Flag ‘Budget’', state: 'sent', reason: null, attempts: 1, queuedAt: '2025-07-01T08:08:00Z' },
];

let app: AppState;

function renderOutbox() {
  app = new AppState();
  return render(OutboxView, { context: appContext(app) });
}

function item(summary: string): HTMLElement {
  const element = screen.getByText(summary).closest('li');
  if (!element) throw new Error(`No item for ${summary}`);
  return element;
}

describe('OutboxView', () => {
  beforeEach(() => {
    mockedOutbox.mockReset();
  });

  it('shows each item’s summary, state in words, attempts and when it was added', async () => {
    mockedOutbox.mockResolvedValue(items);
    renderOutbox();

    expect(await screen.findByText('Reply to ‘Planning committee agenda’')).toBeTruthy();
    const queued = item('Reply to ‘Planning committee agenda’');
    expect(within(queued).getByText('Queued')).toBeTruthy();
    expect(queued.textContent).toContain('Not tried yet');
    expect(queued.textContent).toContain('added 1 Jul, 09:05');

    const sending = item('New message to sam@example.com');
    expect(within(sending).getByText('Sending')).toBeTruthy();
    expect(sending.textContent).toContain('Tried once');

    const failed = item('Move ‘Pothole on Mill Lane’ to Archive');
    expect(within(failed).getByText('Failed: The council’s server refused it')).toBeTruthy();
    expect(failed.textContent).toContain('Tried 3 times');

    expect(within(item('Flag ‘Budget’')).getByText('Sent')).toBeTruthy();
    expect(screen.getByText('3 items waiting.')).toBeTruthy();
  });

  it('says a failure has no reason rather than leaving it blank', async () => {
    mockedOutbox.mockResolvedValue([{ ...items[2]!, reason: null }]);
    renderOutbox();

    expect(await screen.findByText('Failed: no reason was given')).toBeTruthy();
  });

  it('says when nothing is waiting', async () => {
    mockedOutbox.mockResolvedValue([]);
    renderOutbox();

    expect(await screen.findByText('Nothing is waiting to be sent.')).toBeTruthy();
  });

  it('loads again when the core reports the outbox changed', async () => {
    mockedOutbox.mockResolvedValueOnce([items[0]!]).mockResolvedValueOnce([{ ...items[0]!, state: 'sent', attempts: 1 }]);
    renderOutbox();
    expect(await screen.findByText('Queued')).toBeTruthy();

    app.changed(['outbox']);

    expect(await screen.findByText('Sent')).toBeTruthy();
    expect(mockedOutbox).toHaveBeenCalledTimes(2);
  });

  it('shows a plain error with Try again', async () => {
    mockedOutbox.mockRejectedValueOnce({ kind: 'storage', message: 'The outbox could not be read' }).mockResolvedValueOnce([]);
    renderOutbox();

    expect((await screen.findByRole('alert')).textContent).toContain('The outbox could not be read.');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByText('Nothing is waiting to be sent.')).toBeTruthy();
  });
});
