// Hands the app's state to the components below App, which read their feature from it.
import { getContext, setContext } from 'svelte';
import type { AppState } from './app.svelte';

const KEY = Symbol('app-state');

/** Called once, by App, while it is being created. */
export function provideAppState(app: AppState): void {
  setContext(KEY, app);
}

/** The context to mount a component with outside App (a test, or a harness). */
export function appContext(app: AppState): Map<symbol, AppState> {
  return new Map([[KEY, app]]);
}

export function getAppState(): AppState {
  const app = getContext<AppState | undefined>(KEY);
  if (!app) throw new Error('No app state: mount the component inside App, or with appContext().');
  return app;
}

export const getProtectionState = () => getAppState().protection;
export const getAccountState = () => getAppState().account;
export const getUpdatesState = () => getAppState().updates;
export const getMailState = () => getAppState().mail;
export const getCalendarState = () => getAppState().calendar;
export const getPapersState = () => getAppState().papers;
export const getContactsState = () => getAppState().contacts;
export const getSearchState = () => getAppState().search;
export const getDataState = () => getAppState().data;
export const getNotificationsState = () => getAppState().notifications;
export const getTrialState = () => getAppState().trial;
export const getLinkRequests = () => getAppState().links;
