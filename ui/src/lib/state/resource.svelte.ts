// Something the UI reads from the core, with its loading, its failure and the order of its
// answers looked after in one place. Every feature's state is built from these.
import { toBackendError, type BackendError } from '../ipc';

/** Told about every failure, so the app can act on its kind (sign in again, show it is offline). */
export type ErrorReport = (error: BackendError) => void;

/** When the council's service says it is busy, ask again after this long. */
export const THROTTLED_RETRY_MS = 30_000;

export type LoadOptions = {
  /** Forget the value first: the question changed, so the old answer would mislead. */
  clear?: boolean;
  /** A refresh of what is shown: if it fails, keep showing it without a problem. */
  quiet?: boolean;
};

export class Resource<T> {
  /** The answer shown: kept while asking again, and when asking again fails. */
  current = $state.raw<T | undefined>(undefined);
  /** A request is on its way. */
  loading = $state(false);
  /** Why the latest request failed, or null. Being offline is not a failure: see `offline`. */
  error = $state.raw<BackendError | null>(null);
  /** The latest request could not reach the council: `current` is what is saved on the device. */
  offline = $state(false);

  readonly #report: ErrorReport;
  /** Each request takes the next number; only the answer to the newest one is kept. */
  #newest = 0;
  #lastRequest: (() => Promise<T>) | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(report: ErrorReport = () => {}) {
    this.#report = report;
  }

  get loaded(): boolean {
    return this.current !== undefined;
  }

  /**
   * Asks the core. An answer is kept only if no newer request has been made meanwhile, so a
   * slower answer to an older question never replaces a newer one. True when it was kept.
   */
  async load(request: () => Promise<T>, options: LoadOptions = {}): Promise<boolean> {
    const number = this.#start(request);
    if (options.clear) this.current = undefined;
    if (options.clear || !options.quiet) {
      this.error = null;
      this.offline = false;
    }
    this.loading = true;
    try {
      const value = await request();
      if (number !== this.#newest) return false;
      this.current = value;
      this.error = null;
      this.offline = false;
      return true;
    } catch (thrown) {
      if (number !== this.#newest) return false;
      this.#failed(toBackendError(thrown), number, options.quiet ?? false);
      return false;
    } finally {
      if (number === this.#newest) this.loading = false;
    }
  }

  /** Asks the last question again (the Try again button). */
  retry(): Promise<boolean> {
    return this.#lastRequest ? this.load(this.#lastRequest) : Promise.resolve(false);
  }

  /** Asks the last question again quietly, if it was ever asked (the core's data changed). */
  refresh(): Promise<boolean> {
    return this.#lastRequest ? this.load(this.#lastRequest, { quiet: true }) : Promise.resolve(false);
  }

  /**
   * Sends a change whose answer is the new value (showing a message's pictures answers with the
   * message as it now is). The answer replaces the value unless a newer request has been made
   * meanwhile. A failure is thrown for the caller to show; the value stays as it was.
   */
  async change(request: () => Promise<T>): Promise<T> {
    const number = ++this.#newest;
    // A load still on its way is now older than this change: its answer will be dropped.
    this.loading = false;
    const value = await request();
    if (number === this.#newest) this.#show(value);
    return value;
  }

  /** The newest value, from the core's own event: any answer still on its way is older. */
  set(value: T): void {
    this.#newest += 1;
    this.#show(value);
  }

  /** Changes the value shown at once, without asking the core (a message just marked read). */
  update(change: (value: T) => T): void {
    if (this.current !== undefined) this.current = change(this.current);
  }

  /** Forgets everything, and drops any answer still on its way (signing out, an emptied search). */
  clear(): void {
    this.#newest += 1;
    this.#lastRequest = null;
    clearTimeout(this.#retryTimer);
    this.current = undefined;
    this.loading = false;
    this.error = null;
    this.offline = false;
  }

  #start(request: () => Promise<T>): number {
    clearTimeout(this.#retryTimer);
    this.#lastRequest = request;
    return ++this.#newest;
  }

  #show(value: T): void {
    clearTimeout(this.#retryTimer);
    this.current = value;
    this.loading = false;
    this.error = null;
    this.offline = false;
  }

  #failed(error: BackendError, number: number, quiet: boolean): void {
    this.#report(error);
    // The report may have moved the app on (signed out, so this was cleared): nothing to show.
    if (number !== this.#newest) return;
    if (error.kind === 'offline') {
      this.offline = true;
      return;
    }
    if (!(quiet && this.loaded)) this.error = error;
    if (error.kind === 'throttled') {
      this.#retryTimer = setTimeout(() => {
        if (number === this.#newest) void this.retry();
      }, THROTTLED_RETRY_MS);
    }
  }
}
