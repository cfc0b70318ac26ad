import type { BackendError } from './types';

/** Shown when we have nothing better to say. */
export const GENERIC_ERROR_MESSAGE = 'Something went wrong. Please try again.';

/** True when `value` has the shape of an error sent by the Rust core. */
export function isBackendError(value: unknown): value is BackendError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.kind === 'string' && typeof candidate.message === 'string';
}

/**
 * Turns anything a command may throw into one plain sentence for the screen.
 *
 * The core writes its messages for people, so those are shown as they are.
 * Anything else (a JavaScript error, a bare string from the bridge) may be
 * technical, so the member sees a generic message instead.
 */
export function errorMessage(error: unknown): string {
  if (isBackendError(error)) {
    const message = error.message.trim();
    if (message !== '') return asSentence(message);
  }
  return GENERIC_ERROR_MESSAGE;
}

function asSentence(text: string): string {
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
