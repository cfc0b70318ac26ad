// The UI's state, one object per feature, created once for the app. It listens to the core's
// events once and tells each feature what changed, and it acts on the kind of every failure:
// a sign-in that is no longer good goes back to the sign-in screen, and being offline shows.
import {
  onAllowanceAlert,
  onDataChanged,
  onSyncProgress,
  onSyncStatus,
  errorMessage,
  type BackendError,
  type ChangedCollection,
} from '../ipc';
import { AccountState } from './account.svelte';
import { CalendarState } from './calendar.svelte';
import { ContactsState } from './contacts.svelte';
import { DataState } from './data.svelte';
import { MailState } from './mail.svelte';
import { SearchState } from './search.svelte';
import { TrialState } from './trial.svelte';
import { UpdatesState } from './updates.svelte';

type Stop = () => void;

export class AppState {
  readonly account: AccountState;
  readonly updates: UpdatesState;
  readonly mail: MailState;
  readonly calendar: CalendarState;
  readonly contacts: ContactsState;
  readonly search: SearchState;
  readonly data: DataState;
  readonly trial: TrialState;

  constructor() {
    const report = (error: BackendError) => this.#failed(error);
    this.account = new AccountState(report);
    this.updates = new UpdatesState(report);
    this.mail = new MailState(report);
    this.calendar = new CalendarState(report);
    this.contacts = new ContactsState(report);
    this.search = new SearchState(report);
    this.data = new DataState(report);
    this.trial = new TrialState(report);
  }

  /** Asks who is signed in and, if someone is, whether they have answered the trial's consent. */
  async open(): Promise<void> {
    if ((await this.account.load()) && this.account.member) await this.trial.checkConsent();
  }

  /** True once signed in and the trial's consent has been checked. */
  async signIn(): Promise<boolean> {
    if (!(await this.account.signIn())) return false;
    await this.trial.checkConsent();
    return true;
  }

  /** True once signed out; nothing of the member's is kept in the UI. */
  async signOut(): Promise<boolean> {
    if (!(await this.account.signOut())) return false;
    this.#forget();
    return true;
  }

  /**
   * Listens to the core's events: one subscription each for the whole app. Returns a function
   * that stops them all, including any that had not finished starting.
   */
  listen(): Stop {
    return keepListening(
      onDataChanged(({ collections }) => this.changed(collections)),
      onSyncStatus((status) => this.updates.statusArrived(status)),
      onSyncProgress((progress) => this.updates.progressArrived(progress)),
      onAllowanceAlert((alert) => this.updates.alertArrived(alert)),
    );
  }

  /** Event `data-changed`: tells each feature whose data changed. */
  changed(collections: readonly ChangedCollection[]): void {
    const has = (collection: ChangedCollection) => collections.includes(collection);
    // The council ended the session during a background update: the core says who is signed in now.
    if (has('account')) void this.account.load();
    if (has('mail') || has('outbox')) this.mail.changed(collections);
    if (has('calendar')) this.calendar.changed();
    if (has('contacts')) this.contacts.changed();
    if (has('allowance')) this.data.changed();
    if (has('trial')) this.trial.changed();
    this.search.changed(collections);
  }

  #failed(error: BackendError): void {
    if (error.kind === 'signInRequired') {
      this.account.signInRequired(errorMessage(error));
      this.#forget();
    } else if (error.kind === 'offline') {
      this.updates.wentOffline();
    }
  }

  #forget(): void {
    this.updates.reset();
    this.mail.reset();
    this.calendar.reset();
    this.contacts.reset();
    this.search.reset();
    this.data.reset();
    this.trial.reset();
  }
}

function keepListening(...subscriptions: Array<Promise<Stop>>): Stop {
  let stopped = false;
  const stops: Stop[] = [];
  for (const subscription of subscriptions) {
    subscription
      .then((stop) => {
        if (stopped) stop();
        else stops.push(stop);
      })
      .catch(() => {
        // Without the event the screens still work; they just update less eagerly.
      });
  }
  return () => {
    stopped = true;
    for (const stop of stops.splice(0)) stop();
  };
}
