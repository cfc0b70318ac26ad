// What the UI says and does when a command fails. It decides from the error's kind, never from
// its words: the words are for the member.
import type { BackendError, ErrorKind } from './types';

/** Shown when we have nothing better to say. */
export const GENERIC_ERROR_MESSAGE = 'Something went wrong. Please try again.';

/** Shown politely, instead of an error, while the app shows saved data because it is offline. */
export const OFFLINE_NOTICE = 'You’re offline — showing what’s saved on this device.';

/**
 * What can be done about a failure: `retry` now; `retryLater`, which the app does by itself;
 * `signIn` again; `unlock` the app (its PIN, or a wait after wrong PINs); `fix` what was entered;
 * or `none`, when trying again cannot help.
 */
export type ErrorAction = 'retry' | 'retryLater' | 'signIn' | 'unlock' | 'fix' | 'none';

type KindRule = {
  /** Said when the core sent no words of its own. */
  words: string;
  /** The UI's words replace the core's, because they describe what the UI does next. */
  ownWords?: true;
  action: ErrorAction;
};

const KINDS: Record<ErrorKind, KindRule> = {
  offline: { words: 'You’re offline. Try again when you’re back online.', action: 'retry' },
  throttled: {
    words: 'The council’s service is busy just now. This will be tried again in a moment.',
    ownWords: true,
    action: 'retryLater',
  },
  signInRequired: { words: 'Your sign-in has ended. Please sign in again.', action: 'signIn' },
  signInFailed: { words: 'Signing in did not work. Please try again.', action: 'retry' },
  locked: { words: 'Member Companion is locked.', action: 'unlock' },
  notFound: { words: 'That is no longer saved on this device.', action: 'none' },
  invalid: { words: 'That could not be done as it stands.', action: 'fix' },
  storage: { words: 'What is saved on this device could not be read.', action: 'retry' },
  internal: { words: GENERIC_ERROR_MESSAGE, action: 'retry' },
  unavailable: { words: 'Member Companion is not running. Open it from its app icon.', action: 'retry' },
};

function isErrorKind(kind: unknown): kind is ErrorKind {
  return typeof kind === 'string' && Object.hasOwn(KINDS, kind);
}

/** True when `value` is an error sent by the Rust core, of a kind this UI knows. */
export function isBackendError(value: unknown): value is BackendError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return isErrorKind(candidate.kind) && typeof candidate.message === 'string';
}

/**
 * Anything a command may throw, as a core error. An unknown kind (a newer core) keeps its words
 * as an `internal` fault; anything else (a JavaScript error, a bare string from the bridge) may
 * be technical, so it becomes an `internal` fault with no words and the member sees a generic
 * message.
 */
export function toBackendError(value: unknown): BackendError {
  if (isBackendError(value)) return value;
  const message = (value as { message?: unknown } | null)?.message;
  const fromCore = typeof (value as { kind?: unknown } | null)?.kind === 'string' && typeof message === 'string';
  return { kind: 'internal', message: fromCore ? message : '' };
}

/**
 * One plain sentence for the screen: the core's own words, which name the problem, or the
 * kind's words when it sent none (or when the UI's words say what happens next).
 */
export function errorMessage(error: unknown): string {
  const { kind, message } = toBackendError(error);
  const rule = KINDS[kind];
  const words = message.trim();
  return rule.ownWords || words === '' ? rule.words : asSentence(words);
}

/** What the member, or the app, can do about the failure. */
export function errorAction(error: unknown): ErrorAction {
  return KINDS[toBackendError(error).kind].action;
}

function asSentence(text: string): string {
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
