// The contacts screens' view of the core: the list as filtered, and the contacts opened from it
// (or from search), each kept up to date while shown.
import {
  contactDetails,
  contacts,
  directoryPerson,
  directorySearch,
  openExternal,
  type ContactDetail,
  type ContactSummary,
  type DirectoryPage,
  type DirectoryPerson,
} from '../ipc';
import { Resource, type ErrorReport } from './resource.svelte';
import { Task } from './task.svelte';

/** The council directory's people that match a search, with the search they answer. */
export type DirectoryFound = DirectoryPage & { query: string };

/** One person from the council's directory, shown with call and email. */
export class PersonDetails {
  readonly id: string;
  readonly detail: Resource<DirectoryPerson>;
  readonly opening: Task;

  constructor(id: string, report: ErrorReport) {
    this.id = id;
    this.detail = new Resource(report);
    this.opening = new Task(report);
  }

  load(): Promise<boolean> {
    return this.detail.load(() => directoryPerson(this.id));
  }

  /** Opens a `tel:` or `mailto:` address outside the app. */
  openLink(url: string): Promise<boolean> {
    return this.opening.run(() => openExternal(url));
  }
}

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
  /** The council's directory, as searched on the directory screen. */
  readonly directory: Resource<DirectoryFound>;
  readonly #report: ErrorReport;
  readonly #shown = new Set<ContactDetails>();

  constructor(report: ErrorReport) {
    this.#report = report;
    this.list = new Resource(report);
    this.directory = new Resource(report);
  }

  /** Lists the directory's people, unless that is loaded or on its way. */
  openDirectory(): void {
    if (!this.directory.loaded && !this.directory.loading) void this.findPeople('');
  }

  /** People whose name, job title, department or address match `query`. */
  findPeople(query: string): Promise<boolean> {
    const wanted = query.trim();
    return this.directory.load(async () => ({ query: wanted, ...(await directorySearch(wanted)) }));
  }

  openPerson(id: string): PersonDetails {
    const person = new PersonDetails(id, this.#report);
    void person.load();
    return person;
  }

  /** The phone's copy of the directory changed (an update on Wi-Fi). */
  directoryChanged(): void {
    if (this.directory.loaded) void this.directory.refresh();
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
    this.directory.clear();
    this.#shown.clear();
  }
}
