// The app lock: whether the member must choose a PIN, enter it, or let the app reach the council
// before anything of theirs is shown. The core decides; this is the UI's view of its answer. It
// also tells the core when the member is using the app (so it does not lock while they are),
// and locks the app when it is hidden or sent to the background.
import {
  protectionChangePin,
  protectionChoosePin,
  protectionForgetPin,
  protectionLock,
  protectionSettings,
  protectionStatus,
  protectionTouch,
  protectionUnlock,
  toBackendError,
  type ProtectionSettings,
  type ProtectionStatus,
} from '../ipc';
import { Resource, type ErrorReport, type LoadOptions } from './resource.svelte';
import { Task } from './task.svelte';

/** The core is told the member is using the app at most this often. */
export const TOUCH_EVERY_MS = 15_000;

/** What counts as the member using the app. */
const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;

export type ProtectionHooks = {
  /** The app is not open (locked, a PIN to choose, or the council to reach): drop the member's data. */
  closed: () => void;
  /** The app has just opened (unlocked, or a PIN chosen): ask who is signed in. */
  opened: () => void;
};

export class ProtectionState {
  readonly status: Resource<ProtectionStatus>;
  readonly settings: Resource<ProtectionSettings>;
  readonly choosing: Task;
  readonly unlocking: Task;
  readonly locking: Task;
  readonly changingPin: Task;
  readonly forgetting: Task;
  /** When the wait after wrong PINs ends (milliseconds since 1970), or 0 when there is none. */
  waitUntil = $state(0);

  readonly #hooks: ProtectionHooks;
  /** The status the hooks were last told about. */
  #settled: ProtectionStatus | undefined;
  #touchedAt = Number.NEGATIVE_INFINITY;

  constructor(report: ErrorReport, hooks: ProtectionHooks) {
    // "Locked" from the lock's own commands is the lock speaking, not news that it has locked.
    const own: ErrorReport = (error) => {
      if (error.kind !== 'locked') report(error);
    };
    this.status = new Resource(own);
    this.settings = new Resource(own);
    this.choosing = new Task(own);
    this.unlocking = new Task(own);
    this.locking = new Task(own);
    this.changingPin = new Task(own);
    this.forgetting = new Task(own);
    this.#hooks = hooks;
  }

  /** The app is open: the member's mail may be shown. */
  get unlocked(): boolean {
    return this.status.current?.state === 'unlocked';
  }

  /** The core has said the app is not open (before it has said anything, it is neither). */
  get closed(): boolean {
    const status = this.status.current;
    return status !== undefined && status.state !== 'unlocked';
  }

  /** Asks the core where the lock stands. True when its answer was kept. */
  async load(options?: LoadOptions): Promise<boolean> {
    const kept = await this.status.load(protectionStatus, options);
    this.#settle();
    return kept;
  }

  /**
   * The lock changed by itself (event `data-changed` with "protection": an idle lock, a wipe),
   * or a command found the app locked: ask again.
   */
  changed(): Promise<boolean> {
    return this.load({ quiet: true });
  }

  /** A command was turned away because the app is locked: catch up, unless already known. */
  lockedElsewhere(): void {
    if (this.unlocked && !this.status.loading) void this.changed();
  }

  /** True once the PIN is chosen. */
  choosePin(pin: string): Promise<boolean> {
    return this.choosing.run(async () => this.#show(await protectionChoosePin(pin)));
  }

  /**
   * True when the PIN opened the app. A wrong PIN is not a failure: the status says how many
   * tries are left, and how long to wait.
   */
  async unlock(pin: string): Promise<boolean> {
    const answered = await this.unlocking.run(async () => this.#show(await protectionUnlock(pin)));
    // A PIN sent while a wait runs: the status says how long is left.
    if (!answered && this.unlocking.error?.kind === 'locked') await this.changed();
    return answered && this.unlocked;
  }

  /** Locks now (the member's Lock now, or the app hidden). */
  lock(): Promise<boolean> {
    return this.locking.run(async () => this.#show(await protectionLock()));
  }

  /** True once changed. A wrong current PIN counts as a wrong PIN, so the lock is asked again. */
  async changePin(current: string, next: string): Promise<boolean> {
    const changed = await this.changingPin.run(() => protectionChangePin(current, next));
    if (!changed) await this.changed();
    return changed;
  }

  /** "Forgotten your PIN?": everything is removed from the device, and a new PIN chosen. */
  forgetPin(): Promise<boolean> {
    return this.forgetting.run(async () => this.#show(await protectionForgetPin()));
  }

  loadSettings(): Promise<boolean> {
    return this.settings.load(protectionSettings);
  }

  /** The member did something: tell the core, at most every 15 seconds, while the app is open. */
  touch(): void {
    if (!this.unlocked) return;
    const now = Date.now();
    if (now - this.#touchedAt < TOUCH_EVERY_MS) return;
    this.#touchedAt = now;
    protectionTouch().catch((thrown: unknown) => {
      // Too late: it had locked already. Anything else can wait for the next touch.
      if (toBackendError(thrown).kind === 'locked') this.lockedElsewhere();
    });
  }

  /**
   * Watches for the member using the app, and for the app being hidden or sent to the
   * background (which locks it). Returns a function that stops watching.
   */
  watch(): () => void {
    if (typeof window === 'undefined' || typeof document === 'undefined') return () => {};
    const active = () => this.touch();
    const visibility = () => {
      if (document.visibilityState === 'hidden' && this.unlocked) void this.lock();
    };
    // Capturing, so that nothing a screen does with the event can hide it.
    const options: AddEventListenerOptions = { capture: true, passive: true };
    for (const type of ACTIVITY) window.addEventListener(type, active, options);
    document.addEventListener('visibilitychange', visibility);
    return () => {
      for (const type of ACTIVITY) window.removeEventListener(type, active, options);
      document.removeEventListener('visibilitychange', visibility);
    };
  }

  #show(next: ProtectionStatus): void {
    this.status.set(next);
    this.#settle();
  }

  /**
   * Tells the app when the lock has opened or closed: once for each change between open and not
   * open, not for every answer (each wrong PIN answers a new locked status). The wait after wrong
   * PINs is started again from every new answer.
   */
  #settle(): void {
    const next = this.status.current;
    if (next === undefined || next === this.#settled) return;
    const was = this.#settled;
    this.#settled = next;
    this.waitUntil = next.state === 'locked' && next.waitSeconds > 0 ? Date.now() + next.waitSeconds * 1000 : 0;
    const wasOpen = was?.state === 'unlocked';
    if (next.state === 'unlocked') {
      if (!wasOpen) this.#hooks.opened();
      return;
    }
    // Already closed: what the member had was dropped then.
    if (was !== undefined && !wasOpen) return;
    this.settings.clear();
    this.#hooks.closed();
  }
}
