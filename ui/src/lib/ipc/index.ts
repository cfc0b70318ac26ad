// The one door to the Rust core. No other module may import `@tauri-apps/api`:
// components call the typed functions here, and tests mock this module.
import { invoke, isTauri } from '@tauri-apps/api/core';
import type { BackendError, DemoOverview } from './types';

export type * from './types';
export { errorMessage, isBackendError, GENERIC_ERROR_MESSAGE } from './errors';

/** The member, their folders and the newest inbox messages from the demo council. */
export async function demoOverview(): Promise<DemoOverview> {
  requireCore();
  return invoke<DemoOverview>('demo_overview');
}

/** Fails plainly when the page is opened in a web browser instead of the app. */
function requireCore(): void {
  if (!isTauri()) {
    const error: BackendError = {
      kind: 'unavailable',
      message: 'Member Companion is not running. Open it from its app icon, not in a web browser',
    };
    throw error;
  }
}
