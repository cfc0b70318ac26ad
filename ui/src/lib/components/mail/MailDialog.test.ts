import { fireEvent, render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import MailDialog from './MailDialog.svelte';

const body = createRawSnippet(() => ({
  render: () => '<div><button type="button">Go</button><button type="button" data-autofocus>Stay</button></div>',
}));

describe('MailDialog', () => {
  it('is a dialog named by its title, with focus moved to the marked button', () => {
    render(MailDialog, { title: 'Delete this message?', onclose: vi.fn(), children: body });

    const dialog = screen.getByRole('dialog', { name: 'Delete this message?' });
    expect(dialog.tagName).toBe('DIALOG');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Stay' }));
  });

  it('asks to close on Escape and on the native cancel event', async () => {
    const onclose = vi.fn();
    render(MailDialog, { title: 'Move to which folder?', onclose, children: body });

    await fireEvent.keyDown(screen.getByRole('button', { name: 'Go' }), { key: 'Escape' });
    await fireEvent(screen.getByRole('dialog'), new Event('cancel', { cancelable: true }));

    expect(onclose).toHaveBeenCalledTimes(2);
  });

  it('gives focus back to where it was when it closes', () => {
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();

    const { unmount } = render(MailDialog, { title: 'Open this link?', onclose: vi.fn(), children: body });
    expect(document.activeElement).not.toBe(opener);
    unmount();

    expect(document.activeElement).toBe(opener);
    opener.remove();
  });

  it('gives focus to the element it was told to when it closes', () => {
    const target = document.createElement('a');
    target.href = 'https://example.com/';
    document.body.append(target);

    const { unmount } = render(MailDialog, {
      title: 'Open this link?',
      onclose: vi.fn(),
      returnFocus: target,
      children: body,
    });
    unmount();

    expect(document.activeElement).toBe(target);
    target.remove();
  });
});
