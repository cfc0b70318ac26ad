import { render, screen, waitFor } from '@testing-library/svelte';
import type { Component } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import LazyView from './LazyView.svelte';
import LoadingState from './LoadingState.svelte';

/** Any small component stands in for a section's view: here, the loading message itself. */
type View = { default: Component<Record<string, unknown>> };
const view: View = { default: LoadingState as unknown as View['default'] };

describe('LazyView', () => {
  it('says the section is opening, then shows its view with its props and tells the shell once', async () => {
    let arrive: (module: View) => void = () => {};
    const load = () => new Promise<View>((resolve) => (arrive = resolve));
    const onshown = vi.fn();
    render(LazyView, {
      props: { load, props: { loading: true, label: 'The view itself' }, label: 'Calendar', onshown },
    });

    expect(screen.getByRole('status').textContent).toContain('Opening Calendar…');
    expect(onshown).not.toHaveBeenCalled();

    arrive(view);
    expect(await screen.findByText('The view itself')).toBeTruthy();
    expect(screen.queryByText('Opening Calendar…')).toBeNull();
    await waitFor(() => expect(onshown).toHaveBeenCalledTimes(1));
  });

  it('says plainly when a section cannot be loaded, and shows nothing half-made', async () => {
    const load = (): Promise<View> => Promise.reject(new Error('Failed to fetch dynamically imported module'));
    const onshown = vi.fn();
    render(LazyView, { props: { load, props: {}, label: 'Data', onshown } });

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Data could not be shown');
    expect(alert.textContent).toContain('Restart Member Companion');
    expect(alert.textContent).not.toContain('Failed to fetch');
    expect(onshown).not.toHaveBeenCalled();
  });
});
