// The UI's state, one object per feature, created once for the app. It listens to the core's
// events once and tells each feature what changed, and it acts on the kind of every failure:
// a sign-in that is no longer good goes back to the sign-in screen, being offline shows, and a
// locked app shows its lock screen. Nothing of the member's is asked for, or kept, while the app
// is locked.
import {
  displaySettingsSeen,
  onAllowanceAlert,
  onDataChanged,
  onLinkRequested,
  onNoticeOpened,
  onSyncProgress,
  onSyncStatus,
  errorMessage,
  type BackendError,
  type NoticeTarget,
  type ChangedCollection,
} from '../ipc';
import { AccountState } from './account.svelte';
import { CalendarState } from './calendar.svelte';
import { ContactsState } from './contacts.svelte';
import { DataState } from './data.svelte';
import { watchDisplaySettings } from './display';
import { LinkRequests } from './links';
import { MailState } from './mail.svelte';
import { NotificationsState } from './notifications.svelte';
import { PapersState } from './papers.svelte';
import { ProtectionState } from './protection.svelte';
import { SearchState } from './search.svelte';
import { TrialState } from './trial.svelte';
import { UpdatesState } from './updates.svelte';

type Stop = () => void;

export class AppState {
  readonly protection: ProtectionState;
  readonly account: AccountState;
  readonly updates: UpdatesState;
  readonly mail: MailState;
  readonly calendar: CalendarState;
  /** Committee papers: the member's committees' meetings and their agendas. */
  readonly papers: PapersState;
  readonly contacts: ContactsState;
  readonly search: SearchState;
  readonly data: DataState;
  readonly notifications: NotificationsState;
  readonly trial: TrialState;
  /** The message or event views on screen, to show a link the shell caught. */
  readonly links = new LinkRequests();
  /**
   * What a clicked notification asked to open, until the app can show it: at once when it is
   * open, after the PIN when it is locked. The shell's view takes it with `takeNotice`.
   */
  noticeToOpen = $state.raw<{ target: NoticeTarget; seq: number } | null>(null);

  /** Who is signed in is being asked, after the app opened. */
  #opening: Promise<void> | null = null;

  constructor() {
    const report = (error: BackendError) => this.#failed(error);
    this.protection = new ProtectionState(report, {
      closed: () => this.#close(),
      opened: () => void this.#openAccount(),
    });
    this.account = new AccountState(report);
    this.updates = new UpdatesState(report);
    this.mail = new MailState(report);
    this.calendar = new CalendarState(report);
    this.papers = new PapersState(report);
    this.contacts = new ContactsState(report);
    this.search = new SearchState(report);
    this.data = new DataState(report);
    this.notifications = new NotificationsState(report);
    this.trial = new TrialState(report);
  }

  /**
   * Asks where the app lock stands and, once it is open, who is signed in and, if someone is,
   * whether they have answered the trial's consent.
   */
  async open(): Promise<void> {
    await this.protection.load();
    if (this.protection.unlocked) await this.#openAccount();
  }

  /** True once signed in and the trial's consent has been checked. */
  async signIn(): Promise<boolean> {
    if (!(await this.account.signIn())) return false;
    await this.trial.checkConsent();
    return true;
  }

  /** True once signed out; nothing of the member's is kept in the UI. */
  async signOut(): Promise<boolean> {
    // Signing out removes everything from the device, so the core now asks for a new PIN: the
    // lock is asked before the answer shows, so the sign-in screen does not flash up first.
    const signedOut = await this.account.signOut(async () => {
      await this.protection.changed();
      return this.protection.unlocked;
    });
    if (!signedOut) return false;
    this.#forget();
    return true;
  }

  /**
   * Listens to the core's events: one subscription each for the whole app. Returns a function
   * that stops them all, including any that had not finished starting.
   */
  listen(): Stop {
    const stopEvents = keepListening(
      onDataChanged(({ collections }) => this.changed(collections)),
      onSyncStatus((status) => this.updates.statusArrived(status)),
      onSyncProgress((progress) => this.updates.progressArrived(progress)),
      onAllowanceAlert((alert) => this.updates.alertArrived(alert)),
      onLinkRequested(({ url }) => this.linkRequested(url)),
      onNoticeOpened((target) => this.noticeOpened(target)),
    );
    // The member using the app keeps it open; hiding it locks it.
    const stopWatching = this.protection.watch();
    // Evidence for the trial, never the member's concern: a failure to note it is let go.
    const stopDisplay = watchDisplaySettings(window, (settings) => {
      displaySettingsSeen(settings).catch(() => {});
    });
    return () => {
      stopEvents();
      stopWatching();
      stopDisplay();
    };
  }

  /** Event `data-changed`: tells each feature whose data changed. */
  changed(collections: readonly ChangedCollection[]): void {
    const has = (collection: ChangedCollection) => collections.includes(collection);
    // The lock changed by itself: locked when idle, or cleared after the account was disabled,
    // at the council's request or after too long offline.
    if (has('protection')) void this.protection.changed();
    // While locked nothing of the member's is asked for; it is all asked again on unlocking.
    if (this.protection.closed) return;
    // The council ended the session during a background update, or the app has just been
    // unlocked: the core says who is signed in now.
    if (has('account') && this.protection.unlocked) void this.#accountChanged();
    if (has('mail') || has('outbox')) this.mail.changed(collections);
    if (has('calendar')) {
      this.calendar.changed();
      // The papers are brought up to date with the calendar (the core has no collection of
      // their own to name yet).
      this.papers.changed();
    }
    if (has('contacts')) this.contacts.changed();
    if (has('directory')) this.contacts.directoryChanged();
    if (has('allowance')) this.data.changed();
    if (has('trial')) this.trial.changed();
    this.search.changed(collections);
  }

  /**
   * Event `link-requested`: a link clicked in a body, which the shell did not follow. The view
   * it was clicked in shows where it goes and asks; with none on screen (or the app locked),
   * nothing happens. True when a view was asked.
   */
  /** Event `notice-opened`: kept until the app's sections can show it. */
  noticeOpened(target: NoticeTarget): void {
    this.noticeToOpen = { target, seq: (this.noticeToOpen?.seq ?? 0) + 1 };
  }

  /** The notice waiting to be opened, once; null when there is none. */
  takeNotice(): NoticeTarget | null {
    const notice = this.noticeToOpen;
    if (notice === null) return null;
    this.noticeToOpen = null;
    return notice.target;
  }

  linkRequested(url: string): boolean {
    if (this.protection.closed) return false;
    return this.links.requested(url);
  }

  #failed(error: BackendError): void {
    if (error.kind === 'signInRequired') {
      this.account.signInRequired(errorMessage(error));
      this.#forget();
    } else if (error.kind === 'offline') {
      this.updates.wentOffline();
    } else if (error.kind === 'locked') {
      // The core locked before its event arrived: show the lock screen now.
      this.protection.lockedElsewhere();
    }
  }

  /** Who is signed in, then the trial's consent; one at a time, however often it is asked. */
  #openAccount(): Promise<void> {
    if (this.#opening) return this.#opening;
    const opening = this.#accountChanged().finally(() => {
      if (this.#opening === opening) this.#opening = null;
    });
    this.#opening = opening;
    return opening;
  }

  /**
   * Asks who is signed in and, when someone is and their answer to the consent screen is not
   * known yet, asks for it. The consent is judged by what is known once the answer is in, not by
   * whether this answer was the one kept: unlocking asks who is signed in and the core's event
   * asks again, and whichever answer is kept, the consent must still be asked once.
   */
  async #accountChanged(): Promise<void> {
    await this.account.load();
    if (!this.account.member || !this.protection.unlocked) return;
    if (this.trial.consentChecked || this.trial.consent.loading) return;
    await this.trial.checkConsent();
  }

  /**
   * The app locked, or was cleared: nothing of the member's stays in the UI, not even their
   * name. The screens that showed it have gone with the app's lock screen.
   */
  #close(): void {
    // An answer still on its way is dropped; opening again asks afresh.
    this.#opening = null;
    this.#forget();
    this.account.forget();
  }

  #forget(): void {
    this.noticeToOpen = null;
    this.updates.reset();
    this.mail.reset();
    this.calendar.reset();
    this.papers.reset();
    this.contacts.reset();
    this.search.reset();
    this.data.reset();
    this.notifications.reset();
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
