import { createRawSnippet } from 'svelte';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import BackButton from './BackButton.svelte';
import Button from './Button.svelte';
import TextField from './TextField.svelte';

const words = (text: string) => createRawSnippet(() => ({ render: () => `<span>${text}</span>` }));

describe('Button', () => {
  it('is a plain button that calls back when pressed', async () => {
    const onclick = vi.fn();
    render(Button, { props: { onclick, children: words('Save') } });

    const button = screen.getByRole('button', { name: 'Save' });
    await fireEvent.click(button);

    expect(button.getAttribute('type')).toBe('button');
    expect(onclick).toHaveBeenCalledOnce();
  });

  it('stays focusable but does nothing while busy, and says so', async () => {
    const onclick = vi.fn();
    render(Button, { props: { onclick, busy: true, children: words('Send') } });

    const button = screen.getByRole('button', { name: 'Send' });
    await fireEvent.click(button);

    expect(onclick).not.toHaveBeenCalled();
    expect(button.hasAttribute('disabled')).toBe(false);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.getAttribute('aria-busy')).toBe('true');
  });

  it('does not submit its form while busy', async () => {
    const form = document.createElement('form');
    const onsubmit = vi.fn((event: Event) => event.preventDefault());
    form.addEventListener('submit', onsubmit);
    document.body.append(form);
    render(Button, { target: form, props: { type: 'submit', busy: true, children: words('Send') } });

    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    expect(onsubmit).not.toHaveBeenCalled();
    form.remove();
  });

  it('says whether an answer is the one chosen', () => {
    render(Button, { props: { pressed: false, children: words('Decline') } });
    expect(screen.getByRole('button', { name: 'Decline' }).getAttribute('aria-pressed')).toBe('false');
  });
});

describe('BackButton', () => {
  it('says where it goes back to', async () => {
    const onclick = vi.fn();
    render(BackButton, { props: { label: 'Back to calendar', onclick } });

    await fireEvent.click(screen.getByRole('button', { name: 'Back to calendar' }));

    expect(onclick).toHaveBeenCalledOnce();
  });
});

describe('TextField', () => {
  it('ties its visible label and its hint to the box', () => {
    render(TextField, { props: { label: 'Cc', optional: true, value: '', hint: 'Email addresses, separated by commas' } });

    const box = screen.getByLabelText('Cc (optional)');
    expect(box.getAttribute('aria-describedby')).toBe(screen.getByText('Email addresses, separated by commas').id);
    expect(box.hasAttribute('aria-invalid')).toBe(false);
  });

  it('marks the box invalid and reads each error with it', () => {
    render(TextField, {
      props: { label: 'To', value: 'bob@', hint: 'Addresses', errors: ['“bob@” is not a full email address.', 'Enter one more.'] },
    });

    const box = screen.getByLabelText('To');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    const [hint, error] = (box.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id));
    expect(hint?.textContent).toBe('Addresses');
    expect(error?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Error: “bob@” is not a full email address. Error: Enter one more.',
    );
  });

  it('reads an error out the moment it appears when live, from a region that was already there', async () => {
    const { rerender } = render(TextField, { props: { label: 'PIN', value: '', live: true } });

    const region = screen.getByRole('alert');
    expect(region.textContent?.trim()).toBe('');
    expect(screen.getByLabelText('PIN').hasAttribute('aria-describedby')).toBe(false);

    await rerender({ label: 'PIN', value: '', live: true, errors: ['Enter your PIN.'] });

    expect(screen.getByRole('alert')).toBe(region);
    expect(region.textContent?.replace(/\s+/g, ' ').trim()).toBe('Error: Enter your PIN.');
    const box = screen.getByLabelText('PIN');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(box.getAttribute('aria-describedby') ?? '')?.closest('[role="alert"]')).toBe(region);
  });

  it('is a box of several lines when given rows', () => {
    render(TextField, { props: { label: 'Your reply', value: 'Thank you', rows: 4 } });

    const box = screen.getByLabelText('Your reply') as HTMLTextAreaElement;
    expect(box.tagName).toBe('TEXTAREA');
    expect(box.value).toBe('Thank you');
  });
});
