// The data allowance screen's view of the core: this month's figures, and the member's changes
// to the level, the network, spending allowances and the whole phone's own figure. Every change
// answers with the new figures.
import {
  dataOverview,
  setDeviceUsage,
  setLevel,
  setNetwork,
  spendAnyway,
  type AllowanceLevel,
  type DataOverview,
} from '../ipc';
import { Resource, type ErrorReport } from './resource.svelte';
import { Task } from './task.svelte';

export type Network = DataOverview['network'];
/** What the member chooses: a network, or whatever the computer says. */
export type NetworkChoice = Network | 'system';

/**
 * A setting chosen from radio buttons. Arrow keys move through a radio group one choice at a
 * time, so only the newest choice is sent, once the one before has been answered: the core
 * always ends on the member's last choice.
 */
export class Setting<T> {
  readonly task: Task;
  /** The newest choice while it is on its way (wrapped, as a choice may itself be null). */
  wanted = $state.raw<{ value: T } | null>(null);
  readonly #send: (value: T) => Promise<DataOverview>;
  /** The choice whose sending failed, for Try again. */
  #failed: { value: T } | null = null;

  constructor(report: ErrorReport, send: (value: T) => Promise<DataOverview>) {
    this.task = new Task(report);
    this.#send = send;
  }

  /**
   * Chooses `value`. Resolves with the figures the core answered for the last choice sent, or
   * null when this choice joined one already on its way, or failed.
   */
  async choose(value: T): Promise<DataOverview | null> {
    this.wanted = { value };
    if (this.task.busy) return null;
    let answer = null as DataOverview | null;
    let sent: { value: T } | null = null;
    while (this.wanted !== null && this.wanted !== sent) {
      const picked: { value: T } = this.wanted;
      sent = picked;
      const ok = await this.task.run(async () => {
        answer = await this.#send(picked.value);
      });
      if (!ok) {
        this.#failed = picked;
        answer = null;
        break;
      }
    }
    this.wanted = null;
    return answer;
  }

  /** Sends the choice that failed again. */
  retry(): Promise<DataOverview | null> {
    const failed = this.#failed;
    this.#failed = null;
    return failed ? this.choose(failed.value) : Promise.resolve(null);
  }
}

export class DataState {
  readonly overview: Resource<DataOverview>;
  /** Null is Automatic: the core chooses the level from how much is left. */
  readonly level: Setting<AllowanceLevel | null>;
  readonly network: Setting<NetworkChoice>;
  readonly spending: Task;
  /** Saving or clearing the whole phone's own figure. */
  readonly device: Task;

  constructor(report: ErrorReport) {
    this.overview = new Resource(report);
    this.level = new Setting(report, (level) => this.overview.change(() => setLevel(level)));
    this.network = new Setting(report, (network) => this.overview.change(() => setNetwork(network)));
    this.spending = new Task(report);
    this.device = new Task(report);
  }

  load(): Promise<boolean> {
    return this.overview.load(dataOverview);
  }

  /** "Spend 20 MB anyway": lets the saver pass this many more bytes. Resolves with the new figures. */
  spendAnyway(bytes: number): Promise<DataOverview | null> {
    return this.#change(this.spending, () => spendAnyway(bytes));
  }

  /** The whole phone's use this month, from its settings; null clears it. */
  setDeviceUsage(bytes: number | null): Promise<DataOverview | null> {
    return this.#change(this.device, () => setDeviceUsage(bytes));
  }

  /** The core's allowance figures changed. */
  changed(): void {
    void this.overview.refresh();
  }

  reset(): void {
    this.overview.clear();
  }

  async #change(task: Task, request: () => Promise<DataOverview>): Promise<DataOverview | null> {
    let answer = null as DataOverview | null;
    await task.run(async () => {
      answer = await this.overview.change(request);
    });
    return answer;
  }
}
