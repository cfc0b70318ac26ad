// Where a link the shell caught goes. A link clicked in a message or event body is a navigation
// of the whole page (`<base target="_top">`): the shell refuses it and sends its address as the
// `link-requested` event. The view showing that body registers here while it is on screen, and
// shows its own confirmation; nothing opens unless the member then agrees. With no view to ask,
// the address is dropped.

/** A view that shows a body whose links can be followed. */
export type LinkHandler = {
  /**
   * The part of the page the links are in (the body's frame, or what holds it): a request goes
   * only to a view that is on screen, and first to the one that holds keyboard focus.
   */
  element: () => HTMLElement | null | undefined;
  /** Shows the view's confirmation for the address, as a click on the link would. */
  show: (url: string) => void;
};

export class LinkRequests {
  /** Newest last. */
  readonly #handlers: LinkHandler[] = [];

  /** Registers a view while it is mounted; returns the function that takes it away again. */
  register(handler: LinkHandler): () => void {
    // Its own entry, so registering the same handler twice needs two removals.
    const entry: LinkHandler = { element: handler.element, show: handler.show };
    this.#handlers.push(entry);
    return () => {
      const index = this.#handlers.indexOf(entry);
      if (index >= 0) this.#handlers.splice(index, 1);
    };
  }

  /**
   * Event `link-requested`: the view the link was clicked in is asked to show it. That is the
   * one holding focus (a click in a frame focuses it), else the most recently registered one
   * on screen; a view kept in a hidden section or pane is never asked. True when one was asked.
   */
  requested(url: string): boolean {
    const shown = this.#handlers
      .map((handler) => ({ handler, element: handler.element() }))
      .filter((entry): entry is { handler: LinkHandler; element: HTMLElement } => !!entry.element && onScreen(entry.element))
      .reverse();
    const focused = typeof document === 'undefined' ? null : document.activeElement;
    const target = shown.find(({ element }) => focused !== null && element.contains(focused)) ?? shown[0];
    if (!target) return false;
    target.handler.show(url);
    return true;
  }
}

/** In the page and not hidden: not under a `hidden` section or pane, nor out of the layout. */
function onScreen(element: HTMLElement): boolean {
  if (!element.isConnected || element.closest('[hidden]')) return false;
  return typeof element.checkVisibility === 'function' ? element.checkVisibility() : true;
}
