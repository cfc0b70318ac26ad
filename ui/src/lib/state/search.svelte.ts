// Searching the saved mail, calendar and contacts.
import { search, type ChangedCollection, type SearchResults } from '../ipc';
import { Resource, type ErrorReport } from './resource.svelte';

const SEARCHED: readonly ChangedCollection[] = ['mail', 'calendar', 'contacts'];

export class SearchState {
  readonly results: Resource<SearchResults>;

  constructor(report: ErrorReport) {
    this.results = new Resource(report);
  }

  /** Searches for `query`; an empty query clears the results and drops any answer on its way. */
  run(query: string): Promise<boolean> {
    const words = query.trim();
    if (words === '') {
      this.results.clear();
      return Promise.resolve(false);
    }
    return this.results.load(() => search(words));
  }

  /** Something searched changed: search again for the same words, quietly. */
  changed(collections: readonly ChangedCollection[]): void {
    if (collections.some((collection) => SEARCHED.includes(collection))) void this.results.refresh();
  }

  reset(): void {
    this.results.clear();
  }
}
