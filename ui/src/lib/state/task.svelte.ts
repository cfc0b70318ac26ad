// A change the member asks the core to make, one at a time, with its failure kept for Try again.
import { toBackendError, type BackendError } from '../ipc';
import type { ErrorReport } from './resource.svelte';

export class Task {
  /** What is running, by the name it was given, or null. */
  running = $state<string | null>(null);
  /** Why the last run failed, or null. */
  error = $state.raw<BackendError | null>(null);

  readonly #report: ErrorReport;
  #again: (() => Promise<boolean>) | null = null;

  constructor(report: ErrorReport = () => {}) {
    this.#report = report;
  }

  get busy(): boolean {
    return this.running !== null;
  }

  /**
   * Runs `work` unless something is already running (a second press does nothing). True when it
   * worked; a failure is kept in `error`.
   */
  async run(work: () => Promise<void>, name = 'work'): Promise<boolean> {
    if (this.running !== null) return false;
    this.running = name;
    this.error = null;
    this.#again = () => this.run(work, name);
    try {
      await work();
      return true;
    } catch (thrown) {
      const error = toBackendError(thrown);
      this.error = error;
      this.#report(error);
      return false;
    } finally {
      this.running = null;
    }
  }

  /** Runs the last work again (the Try again button). */
  retry(): Promise<boolean> {
    return this.#again ? this.#again() : Promise.resolve(false);
  }

  /** Puts a failure away (the screen moved on to something else). */
  dismiss(): void {
    this.error = null;
  }
}
