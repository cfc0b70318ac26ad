// Searching the saved mail, calendar and contacts.
import { search, searchServer, type ChangedCollection, type SearchResults, type ServerSearchResults } from '../ipc';
import { Resource, type ErrorReport } from './resource.svelte';

const SEARCHED: readonly ChangedCollection[] = ['mail', 'calendar', 'contacts'];

export class SearchState {
  readonly results: Resource<SearchResults>;
  /** Older mail found on the server, asked for by the member (it costs data). */
  readonly server: Resource<ServerSearchResults>;

  constructor(report: ErrorReport) {
    this.results = new Resource(report);
    // Offline is shown in place; other failures go to the app like any other.
    this.server = new Resource(report);
  }

  /** Searches for `query`; an empty query clears the results and drops any answer on its way. */
  run(query: string): Promise<boolean> {
    const words = query.trim();
    // The server's answer was to other words.
    if (this.server.current?.query !== words) this.server.clear();
    if (words === '') {
      this.results.clear();
      return Promise.resolve(false);
    }
    return this.results.load(() => search(words));
  }

  /** Searches the whole mailbox on the server for `query` (mail older than the device keeps). */
  runServer(query: string): Promise<boolean> {
    const words = query.trim();
    if (words === '') return Promise.resolve(false);
    return this.server.load(() => searchServer(words), { clear: true });
  }

  /** Something searched changed: search again for the same words, quietly. */
  changed(collections: readonly ChangedCollection[]): void {
    if (collections.some((collection) => SEARCHED.includes(collection))) void this.results.refresh();
  }

  reset(): void {
    this.results.clear();
    this.server.clear();
  }
}
