// How the core's updates from the council stand: the last one, the one running now and its
// progress, and data-allowance warnings. Fed by the core's events through the app state.
import { syncNow, syncStatus, type AllowanceAlert, type SyncProgress, type SyncStatus } from '../ipc';
import { Resource, type ErrorReport } from './resource.svelte';
import { Task } from './task.svelte';

/** An update that has just finished, to be announced (a new object each time). */
export type UpdateOutcome = { status: SyncStatus };

export class UpdatesState {
  readonly status: Resource<SyncStatus>;
  /** The member's own Refresh (or pull to refresh). */
  readonly refreshing: Task;
  /** What the running update is doing, or null. */
  progress = $state.raw<SyncProgress | null>(null);
  /** The latest data-allowance warning, until the member dismisses it or goes to see their data. */
  alert = $state.raw<AllowanceAlert | null>(null);
  /** The latest update that finished while the member could be waiting for it. */
  outcome = $state.raw<UpdateOutcome | null>(null);

  /** A command failed because the council could not be reached, since the last status. */
  #offlineSeen = $state(false);
  /** The member pressed Refresh: say how it ended even if no event said it was running. */
  #awaitingOutcome = false;

  constructor(report: ErrorReport) {
    this.status = new Resource(report);
    this.refreshing = new Task(report);
  }

  /** An update is running, or the member's own refresh is on its way. */
  get busy(): boolean {
    return this.refreshing.busy || (this.status.current?.running ?? false) || this.progress !== null;
  }

  get online(): boolean {
    return !this.#offlineSeen && (this.status.current?.online ?? true);
  }

  load(): Promise<boolean> {
    return this.status.load(syncStatus);
  }

  /** Starts an update now, unless one is running. True when it finished without a failure to ask. */
  async refresh(): Promise<boolean> {
    if (this.busy) return false;
    this.#awaitingOutcome = true;
    const ok = await this.refreshing.run(async () => this.statusArrived(await syncNow()));
    if (!ok) this.#awaitingOutcome = false;
    return ok;
  }

  /** Event `sync-status`, or the answer to Refresh. */
  statusArrived(next: SyncStatus): void {
    const wasRunning = this.status.current?.running ?? false;
    this.status.set(next);
    this.refreshing.dismiss();
    this.#offlineSeen = false;
    if (next.running) return;
    this.progress = null;
    if (wasRunning || this.#awaitingOutcome) {
      this.#awaitingOutcome = false;
      this.outcome = { status: next };
    }
  }

  /** Event `sync-progress`. */
  progressArrived(progress: SyncProgress): void {
    this.progress = progress;
  }

  /** Event `allowance-alert`: a newer warning replaces the one shown. */
  alertArrived(alert: AllowanceAlert): void {
    this.alert = alert;
  }

  dismissAlert(): void {
    this.alert = null;
  }

  /** A command could not reach the council: show the offline indicator until the next status. */
  wentOffline(): void {
    this.#offlineSeen = true;
  }

  /** Signed out: nothing of the last member's is shown. */
  reset(): void {
    this.alert = null;
    this.outcome = null;
  }
}
