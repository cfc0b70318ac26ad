// Shared by the app lock's tests: what a screen reader hears for a box, and typing into one.
import { fireEvent, screen } from '@testing-library/svelte';
import { expect } from 'vitest';

/** Everything a box is described by (its hint and errors), as one line of text. */
export function description(box: HTMLElement): string {
  return (box.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The live region a box's errors are announced from, as it reads now. */
export function announced(box: HTMLElement): string {
  const error = (box.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id))
    .find((element) => element?.closest('[role="alert"]'));
  return error?.closest('[role="alert"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

export async function type(label: string, value: string): Promise<void> {
  await fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

/** Checks that a PIN box hides what is typed, asks for numbers and is never remembered. */
export function expectPinBox(box: HTMLElement): void {
  expect(box.getAttribute('type')).toBe('password');
  expect(box.getAttribute('inputmode')).toBe('numeric');
  expect(box.getAttribute('autocomplete')).toBe('off');
}
