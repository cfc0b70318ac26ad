import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { whatWeCollect } from '../../ipc';
import { collected } from './fixtures';
import { AppState } from '../../state/app.svelte';
import { appContext } from '../../state/context';
import WhatWeCollect from './WhatWeCollect.svelte';

// The one door to the Rust core: the list is mocked, errorMessage stays real.
vi.mock('../../ipc', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ipc')>()),
  whatWeCollect: vi.fn(),
}));

const mocked = vi.mocked(whatWeCollect);

function renderList(props: { level?: 2 | 3; focusOnOpen?: boolean; onback?: () => void }) {
  return render(WhatWeCollect, { props, context: appContext(new AppState()) });
}

describe('WhatWeCollect', () => {
  beforeEach(() => {
    mocked.mockReset().mockResolvedValue(collected);
  });

  it('lists each kind of evidence with what it holds, as a page of its own with a way back', async () => {
    const onback = vi.fn();
    renderList({ focusOnOpen: true, onback });

    const heading = screen.getByRole('heading', { level: 2, name: 'What we collect' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    await screen.findByText('Survey answers');
    const terms = Array.from(document.querySelectorAll('dt'), (dt) => [dt.textContent, dt.nextElementSibling?.textContent]);
    expect(terms).toEqual(collected.map((item) => [item.what, item.detail]));

    await fireEvent.click(screen.getByRole('button', { name: 'Back to Trial' }));
    expect(onback).toHaveBeenCalledTimes(1);
  });

  it('fits inside another screen with a lower heading, no way back, and leaves focus alone', async () => {
    renderList({ level: 3 });

    const heading = screen.getByRole('heading', { level: 3, name: 'What we collect' });
    await screen.findByText('Never collected');
    expect(document.activeElement).not.toBe(heading);
    expect(screen.queryByRole('button', { name: 'Back to Trial' })).toBeNull();
  });

  it('says when the list could not be loaded and tries again', async () => {
    mocked.mockRejectedValueOnce({ kind: 'unavailable', message: 'Member Companion is not running' });
    renderList({});

    expect((await screen.findByRole('alert')).textContent).toContain('Member Companion is not running.');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Survey answers')).toBeTruthy();
    expect(mocked).toHaveBeenCalledTimes(2);
  });
});
