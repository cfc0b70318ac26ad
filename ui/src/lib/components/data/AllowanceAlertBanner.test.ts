import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { AllowanceAlert } from '../../ipc';
import AllowanceAlertBanner from './AllowanceAlertBanner.svelte';

const seventyFive: AllowanceAlert = {
  percent: 75,
  title: '75% of your mobile data used',
  body: 'You have used 768 MB of your 1 GB this month (to 30 November).',
};

describe('AllowanceAlertBanner', () => {
  it('keeps an empty polite live region in the page while there is no warning, so a warning is heard when it comes', () => {
    const { container } = render(AllowanceAlertBanner, { props: { alert: null, onshow: vi.fn(), ondismiss: vi.fn() } });

    const region = screen.getByRole('status');
    expect(region.textContent?.trim()).toBe('');
    expect(screen.queryByRole('button')).toBeNull();
    expect(container.querySelector('.allowance-alert.shown')).toBeNull();
  });

  it('shows the title and words, with a way to the data screen and a way to put it away', async () => {
    const onshow = vi.fn();
    const ondismiss = vi.fn();
    const { container } = render(AllowanceAlertBanner, { props: { alert: seventyFive, onshow, ondismiss } });

    const region = screen.getByRole('status');
    expect(region.textContent).toContain(seventyFive.title);
    expect(region.textContent).toContain(seventyFive.body);
    expect(container.querySelector('.allowance-alert.shown:not(.over)')).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'See your data use' }));
    expect(onshow).toHaveBeenCalledOnce();
    const dismiss = screen.getByRole('button', { name: 'Dismiss' });
    expect(screen.getByText(seventyFive.title).closest('p')?.id).toBe(dismiss.getAttribute('aria-describedby'));
    await fireEvent.click(dismiss);
    expect(ondismiss).toHaveBeenCalledOnce();
  });

  it('marks a warning that the whole allowance is used as more serious', () => {
    const { container } = render(AllowanceAlertBanner, {
      props: {
        alert: { percent: 100, title: 'You have used all your mobile data', body: 'Going over can cost more.' },
        onshow: vi.fn(),
        ondismiss: vi.fn(),
      },
    });

    expect(container.querySelector('.allowance-alert.shown.over')).toBeTruthy();
  });
});
