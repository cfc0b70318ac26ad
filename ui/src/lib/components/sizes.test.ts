// The same bytes read the same on every screen: the status bar, the data screen and a message's
// attachments all write sizes with the one formatter, in the core's units (1 MB = 1,048,576 bytes).
import { render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dataOverview, onSyncProgress, openMessage, syncStatus, type SyncProgress } from '../ipc';
import { AppState } from '../state/app.svelte';
import { appContext } from '../state/context';
import StatusBar from './common/StatusBar.svelte';
import DataView from './data/DataView.svelte';
import { overviewFixture } from './data/fixtures';
import MessageView from './mail/MessageView.svelte';
import { detail } from './mail/testing';

vi.mock('../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../ipc')>()),
  syncStatus: vi.fn(),
  onSyncProgress: vi.fn(),
  dataOverview: vi.fn(),
  openMessage: vi.fn(),
  conversation: vi.fn(),
}));
// jsdom has no canvas.
vi.mock('./data/chart', () => ({ createChart: () => ({ update: () => {}, destroy: () => {} }) }));

/** 12,582,912 bytes: 12 MB in the core's units, but 12.6 MB in powers of 1,000. */
const BYTES = 12 * 1024 * 1024;

let progress: (next: SyncProgress) => void = () => {};

describe('data sizes', () => {
  beforeEach(() => {
    vi.mocked(syncStatus).mockResolvedValue({ online: true, lastSyncedAt: null, running: true, lastError: null, planNote: null });
    vi.mocked(onSyncProgress).mockImplementation(async (handler) => {
      progress = handler;
      return () => {};
    });
    vi.mocked(dataOverview).mockResolvedValue(overviewFixture({ lastSync: { at: '2025-11-23T09:05:00Z', bytes: BYTES } }));
    vi.mocked(openMessage).mockResolvedValue(
      detail({ attachments: [{ id: 'a1', name: 'plans.pdf', contentType: 'application/pdf', size: BYTES, saved: false }] }),
    );
  });

  it('read the same in the status bar, on the data screen and on an attachment', async () => {
    const app = new AppState();
    app.listen();
    const context = appContext(app);
    render(StatusBar, { context });
    render(DataView, { context });
    render(MessageView, { props: { id: 'm1' }, context });
    await waitFor(() => expect(app.updates.status.loaded).toBe(true));
    progress({ collection: 'mail', done: 4, bytes: BYTES });
    await tick();

    const statusBar = await screen.findByText(/^Updating mail… 4 items, /);
    const lastUpdate = (await screen.findByText(/The last update used/)).querySelector('strong');
    const attachment = await screen.findByText(/^PDF document, /);

    const statusBarSize = statusBar.textContent?.replace('Updating mail… 4 items, ', '');
    expect(statusBarSize).toBe('12\u00a0MB');
    expect(lastUpdate?.textContent).toBe(statusBarSize);
    expect(attachment.textContent).toBe(`PDF document, ${statusBarSize}`);
  });
});
