// Who is signed in. The core decides; this is the UI's view of its answer.
import { accountStatus, signIn, signOut, type AccountStatus, type Member } from '../ipc';
import { Resource, type ErrorReport } from './resource.svelte';
import { Task } from './task.svelte';

export class AccountState {
  readonly status: Resource<AccountStatus>;
  /** Signing in: the system browser is open at the council's sign-in page. */
  readonly signingIn: Task;
  readonly signingOut: Task;

  constructor(report: ErrorReport) {
    this.status = new Resource(report);
    this.signingIn = new Task(report);
    this.signingOut = new Task(report);
  }

  get member(): Member | null {
    const status = this.status.current;
    return status?.state === 'signedIn' ? status.member : null;
  }

  get demo(): boolean {
    return this.status.current?.demo ?? false;
  }

  load(): Promise<boolean> {
    return this.status.load(accountStatus);
  }

  /** True once signed in. */
  async signIn(): Promise<boolean> {
    return this.signingIn.run(async () => this.status.set(await signIn()));
  }

  /**
   * True once signed out. `settle` runs before the answer is shown, and says whether to show it
   * (signing out clears the device, and the app lock may now stand in front of the sign-in).
   */
  async signOut(settle: () => Promise<boolean> = async () => true): Promise<boolean> {
    return this.signingOut.run(async () => {
      const status = await signOut();
      if (await settle()) this.status.set(status);
    });
  }

  /** The app locked: not even who is signed in is kept; it is asked again once unlocked. */
  forget(): void {
    this.status.clear();
    this.signingIn.dismiss();
    this.signingOut.dismiss();
  }

  /** The core turned a command away because the sign-in is no longer good: ask for it again. */
  signInRequired(problem: string): void {
    this.status.set({ state: 'signedOut', demo: this.demo, problem });
  }
}
