// The member's notification settings (the notifications themselves come from the core).
import { notificationSettings, setNotificationSettings, type NotificationSettings } from '../ipc';
import { Resource, type ErrorReport } from './resource.svelte';
import { Task } from './task.svelte';

export class NotificationsState {
  readonly settings: Resource<NotificationSettings>;
  readonly saving: Task;

  constructor(report: ErrorReport) {
    this.settings = new Resource(report);
    this.saving = new Task(report);
  }

  load(): Promise<boolean> {
    return this.settings.load(() => notificationSettings());
  }

  /** Keeps `next`; the core's answer (addresses tidied, the council's part) is what shows. */
  save(next: NotificationSettings): Promise<boolean> {
    return this.saving.run(async () => {
      this.settings.set(await setNotificationSettings(next));
    }, 'save');
  }

  reset(): void {
    this.settings.clear();
  }
}
