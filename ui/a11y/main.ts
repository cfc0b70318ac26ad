// Entry point of the accessibility audit harness: the real App, with the Rust core played by
// fixtures (./mockCore.ts). Built only by `npm run a11y`; the app's own bundle never includes it.
// Query flags: `?state=signedOut` starts signed out; `?consent=none` starts before the member has
// answered the trial's consent screen, so that screen shows first; `?lock=choosePin`, `wiped`,
// `locked` or `reachCouncil` starts at that app lock screen (see HarnessOptions in mockCore.ts).
import { emit } from '@tauri-apps/api/event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { mount } from 'svelte';
import '../src/app.css';
import App from '../src/App.svelte';
import { createCore, unknownCommands } from './mockCore';

declare global {
  interface Window {
    /** Read by `isTauri()` in @tauri-apps/api/core; the real webview sets it. */
    isTauri?: boolean;
    /** For the audit script: commands the fixtures could not answer. */
    __a11yUnknownCommands?: string[];
    /** For the audit script: sends an event from the "core", as the Rust side's `app.emit` does. */
    __a11yEmit?: (event: string, payload: unknown) => Promise<void>;
  }
}

const params = new URLSearchParams(window.location.search);
const LOCKS = ['open', 'choosePin', 'wiped', 'locked', 'reachCouncil'] as const;
const lock = LOCKS.find((state) => state === params.get('lock')) ?? 'open';
const core = createCore({
  signedOut: params.get('state') === 'signedOut',
  consentNeeded: params.get('consent') === 'none',
  lock,
});

// mockIPC sets window.__TAURI_INTERNALS__, but `isTauri()` reads a flag of its own: without it
// every call in src/lib/ipc fails with "not running".
window.isTauri = true;
// shouldMockEvents answers plugin:event|listen/unlisten/emit, so `listen()` works as in the app.
mockIPC((command, payload) => core(command, (payload ?? {}) as Record<string, unknown>), { shouldMockEvents: true });
window.__a11yUnknownCommands = unknownCommands;
window.__a11yEmit = (event, payload) => emit(event, payload);

// The audit opens other pages beside this one (to check the framed message bodies), which hides
// this one; in the app, being hidden locks it. The harness stays "visible", so the screens after
// those checks are still the app's: the lock screen is reached by its own steps.
Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });

const target = document.getElementById('app');
if (!target) throw new Error('The audit harness could not find its #app element.');
mount(App, { target });
