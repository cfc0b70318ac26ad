import { afterEach, describe, expect, it, vi } from 'vitest';
import { LinkRequests } from './links';

const url = 'https://council.example/agenda';

/** A frame-like element in the page, optionally inside a hidden section. */
function frame(options: { hidden?: boolean } = {}): HTMLElement {
  const section = document.createElement('section');
  section.hidden = options.hidden ?? false;
  const element = document.createElement('iframe');
  section.append(element);
  document.body.append(section);
  return element;
}

describe('LinkRequests', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('ignores a request when no view is registered', () => {
    expect(new LinkRequests().requested(url)).toBe(false);
  });

  it('gives the request to the most recently registered view on screen', () => {
    const links = new LinkRequests();
    const older = vi.fn();
    const newer = vi.fn();
    links.register({ element: () => frame(), show: older });
    links.register({ element: () => frame(), show: newer });

    expect(links.requested(url)).toBe(true);

    expect(newer).toHaveBeenCalledExactlyOnceWith(url);
    expect(older).not.toHaveBeenCalled();
  });

  it('gives it back to the view before once the newer one is unregistered', () => {
    const links = new LinkRequests();
    const older = vi.fn();
    const newer = vi.fn();
    links.register({ element: () => frame(), show: older });
    const unregister = links.register({ element: () => frame(), show: newer });

    unregister();
    unregister();
    links.requested(url);

    expect(older).toHaveBeenCalledExactlyOnceWith(url);
    expect(newer).not.toHaveBeenCalled();
  });

  it('skips a view kept in a hidden section, and one with no frame yet', () => {
    const links = new LinkRequests();
    const shown = vi.fn();
    const hidden = vi.fn();
    const loading = vi.fn();
    links.register({ element: () => frame(), show: shown });
    links.register({ element: () => frame({ hidden: true }), show: hidden });
    links.register({ element: () => undefined, show: loading });

    links.requested(url);

    expect(shown).toHaveBeenCalledExactlyOnceWith(url);
    expect(hidden).not.toHaveBeenCalled();
    expect(loading).not.toHaveBeenCalled();
  });

  it('ignores the request when every registered view is out of sight', () => {
    const links = new LinkRequests();
    const hidden = vi.fn();
    links.register({ element: () => frame({ hidden: true }), show: hidden });

    expect(links.requested(url)).toBe(false);
    expect(hidden).not.toHaveBeenCalled();
  });

  it('prefers the view holding focus, where the click was', () => {
    const links = new LinkRequests();
    const focusedFrame = frame();
    const clicked = vi.fn();
    const newer = vi.fn();
    links.register({ element: () => focusedFrame, show: clicked });
    links.register({ element: () => frame(), show: newer });
    focusedFrame.focus();

    links.requested(url);

    expect(clicked).toHaveBeenCalledExactlyOnceWith(url);
    expect(newer).not.toHaveBeenCalled();
  });
});
