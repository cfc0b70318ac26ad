// Entry point of the accessibility audit harness: the real App, with the Rust core played by
// fixtures (./mockCore.ts). Built only by `npm run a11y`; the app's own bundle never includes it.
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
  }
}

const params = new URLSearchParams(window.location.search);
const core = createCore({ signedOut: params.get('state') === 'signedOut' });

// mockIPC sets window.__TAURI_INTERNALS__, but `isTauri()` reads a flag of its own: without it
// every call in src/lib/ipc fails with "not running".
window.isTauri = true;
// shouldMockEvents answers plugin:event|listen/unlisten/emit, so `listen()` works as in the app.
mockIPC((command, payload) => core(command, (payload ?? {}) as Record<string, unknown>), { shouldMockEvents: true });
window.__a11yUnknownCommands = unknownCommands;

const target = document.getElementById('app');
if (!target) throw new Error('The audit harness could not find its #app element.');
mount(App, { target });
