// The contacts screens' view of the core: the list as filtered, and the contacts opened from it
// (or from search), each kept up to date while shown.
import { contactDetails, contacts, openExternal, type ContactDetail, type ContactSummary } from '../ipc';
import { Resource, type ErrorReport } from './resource.svelte';
import { Task } from './task.svelte';

/** The contacts that match a filter, with the filter they answer. */
export type ContactList = { filter: string; items: ContactSummary[] };

export class ContactDetails {
  readonly id: string;
  readonly detail: Resource<ContactDetail>;
  /** Calling or emailing the contact, through the phone's own apps. */
  readonly opening: Task;

  constructor(id: string, report: ErrorReport) {
    this.id = id;
    this.detail = new Resource(report);
    this.opening = new Task(report);
  }

  load(): Promise<boolean> {
    return this.detail.load(() => contactDetails(this.id));
  }

  /** Opens a `tel:` or `mailto:` address outside the app. */
  openLink(url: string): Promise<boolean> {
    return this.opening.run(() => openExternal(url));
  }
}

export class ContactsState {
  readonly list: Resource<ContactList>;
  readonly #report: ErrorReport;
  readonly #shown = new Set<ContactDetails>();

  constructor(report: ErrorReport) {
    this.#report = report;
    this.list = new Resource(report);
  }

  /** Loads every contact, unless the list is loaded or on its way. */
  open(): void {
    if (!this.list.loaded && !this.list.loading) void this.find('');
  }

  /** The contacts whose name, job title or organisation contains `filter`; the list shown stays until they come. */
  find(filter: string): Promise<boolean> {
    const wanted = filter.trim();
    return this.list.load(async () => ({ filter: wanted, items: await contacts(wanted) }));
  }

  /** A contact shown on screen until `closeContact`; it follows changes to the contacts. */
  openContact(id: string): ContactDetails {
    const details = new ContactDetails(id, this.#report);
    this.#shown.add(details);
    void details.load();
    return details;
  }

  closeContact(details: ContactDetails): void {
    this.#shown.delete(details);
  }

  /** The core's saved contacts changed. */
  changed(): void {
    void this.list.refresh();
    for (const details of this.#shown) void details.detail.refresh();
  }

  reset(): void {
    this.list.clear();
    this.#shown.clear();
  }
}
