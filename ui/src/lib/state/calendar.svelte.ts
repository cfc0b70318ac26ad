// The calendar screens' view of the core: the agenda or one day, and the events opened from it
// (or from search), each kept up to date while shown.
import {
  agenda,
  eventDetails,
  openExternal,
  respondToEvent,
  type AgendaDay,
  type EventDetail,
  type EventResponse,
  type ResponseStatus,
} from '../ipc';
import { addDays, todayInLondon } from '../format';
import { Resource, type ErrorReport, type LoadOptions } from './resource.svelte';
import { Task } from './task.svelte';

/** How many days the agenda shows, starting today. */
export const AGENDA_DAYS = 14;

export type CalendarMode = 'agenda' | 'day';

/** The member's own response status once an answer has been sent. */
export function statusAfter(response: EventResponse): ResponseStatus {
  switch (response) {
    case 'accept':
      return 'accepted';
    case 'tentativelyAccept':
      return 'tentativelyAccepted';
    case 'decline':
      return 'declined';
  }
}

/** One event's details, and the member's answer to its invitation. */
export class EventDetails {
  readonly id: string;
  readonly detail: Resource<EventDetail>;
  /** Named by the answer being sent. */
  readonly responding: Task;
  /** Opening the online meeting, or a link from the description, outside the app. */
  readonly opening: Task;

  constructor(id: string, report: ErrorReport) {
    this.id = id;
    this.detail = new Resource(report);
    this.responding = new Task(report);
    this.opening = new Task(report);
  }

  load(): Promise<boolean> {
    return this.detail.load(() => eventDetails(this.id));
  }

  /** Answers the invitation, with an optional comment for the organiser. */
  respond(response: EventResponse, comment: string): Promise<boolean> {
    return this.responding.run(async () => {
      await respondToEvent(this.id, response, comment);
      this.detail.update((event) => ({ ...event, responseStatus: statusAfter(response) }));
    }, response);
  }

  /** Opens an address outside the app, once the member has seen where it goes. */
  openLink(url: string): Promise<boolean> {
    return this.opening.run(() => openExternal(url));
  }
}

export class CalendarState {
  readonly days: Resource<AgendaDay[]>;
  mode = $state<CalendarMode>('agenda');
  /** The day shown in day mode, a London date "YYYY-MM-DD". */
  day = $state(todayInLondon());
  /** Today in London when the days were last asked for. */
  today = $state(todayInLondon());

  readonly #report: ErrorReport;
  /** The events open on screen, refreshed when the calendar changes. */
  readonly #shown = new Set<EventDetails>();

  constructor(report: ErrorReport) {
    this.#report = report;
    this.days = new Resource(report);
  }

  /** Loads what the calendar screen shows first, unless it is loaded or on its way. */
  open(): void {
    if (!this.days.loaded && !this.days.loading) void this.load();
  }

  /** Asks for the agenda from today, or for the day shown. */
  load(): Promise<boolean> {
    return this.#ask({ clear: true });
  }

  show(mode: CalendarMode): Promise<boolean> {
    this.mode = mode;
    if (mode === 'day') this.day = todayInLondon();
    return this.load();
  }

  moveDay(days: number): Promise<boolean> {
    this.day = addDays(this.day, days);
    return this.load();
  }

  goToToday(): Promise<boolean> {
    this.day = todayInLondon();
    return this.load();
  }

  /** Keeps "Today" honest when the app stays open past midnight in London. */
  keepToday(): void {
    if (todayInLondon() !== this.today && this.days.loaded) void this.#ask({ quiet: true });
  }

  /** An event shown on screen until `closeEvent`; it follows changes to the calendar. */
  openEvent(id: string): EventDetails {
    const details = new EventDetails(id, this.#report);
    this.#shown.add(details);
    void details.load();
    return details;
  }

  closeEvent(details: EventDetails): void {
    this.#shown.delete(details);
  }

  /** The core's saved calendar changed. */
  changed(): void {
    void this.days.refresh();
    for (const details of this.#shown) void details.detail.refresh();
  }

  #ask(options: LoadOptions): Promise<boolean> {
    this.today = todayInLondon();
    const from = this.mode === 'agenda' ? this.today : this.day;
    const count = this.mode === 'agenda' ? AGENDA_DAYS : 1;
    return this.days.load(() => agenda(from, count), options);
  }

  reset(): void {
    this.days.clear();
    this.mode = 'agenda';
    this.#shown.clear();
  }
}
