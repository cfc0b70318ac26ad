// A committee paper drawn in the app by Mozilla's pdf.js: pages onto canvases, with pdf.js's text
// layer over each so the words can be selected and read by screen readers. pdf.js (and its
// worker) is loaded only when a paper is first opened, and nothing is ever fetched: the paper's
// bytes are handed over, and no fonts, character maps or decoders are asked for from anywhere
// (the app's CSP would refuse them). Links and forms in a paper are not made live.
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist';

type PdfJs = typeof import('pdfjs-dist');

/** A page's size at 100%, in CSS pixels. */
export type PageSize = { width: number; height: number };

/** A page being drawn: wait for it, or stop it (the page scrolled away, or the zoom changed). */
export type PageDrawing = { done: Promise<void>; cancel: () => void };

export interface PdfPaper {
  readonly pageCount: number;
  pageSize(pageNumber: number): Promise<PageSize>;
  /**
   * Draws a page at `scale` (1 is 100%) into `page`: a canvas, sharp on this screen but never
   * larger than a phone can hold, and, `withText`, the page's text laid over it in an element of
   * class `text-layer`. Both are put in place only once drawn, so what was shown before (at
   * another zoom) stays until then. The text follows the zoom by itself (through the CSS
   * variable `--total-scale-factor`), so it is laid out once.
   */
  drawPage(pageNumber: number, scale: number, page: HTMLElement, withText: boolean): PageDrawing;
  /** Takes a page's canvas away and lets go of what pdf.js holds for it (it scrolled far away). */
  releasePage(pageNumber: number, page: HTMLElement): void;
  /** Lets go of everything: the document, its pages and its worker. */
  destroy(): Promise<void>;
}

/** iOS refuses canvases above 16.7 million pixels; pdf.js's own viewer keeps below this too. */
const MAX_CANVAS_PIXELS = 2 ** 24;
/** How long the worker may take to start before pdf.js is left to find its own way. */
const WORKER_START_MS = 10_000;

let library: Promise<PdfJs> | null = null;

function loadLibrary(): Promise<PdfJs> {
  library ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]).then(
    ([pdfjs, worker]) => {
      pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
      return pdfjs;
    },
  );
  // A failed load (say, a chunk missing after an update) is tried afresh next time.
  library.catch(() => (library = null));
  return library;
}

/**
 * Starts pdf.js's worker from the app's own files. pdf.js would start it itself, but on an app
 * served from `tauri://localhost` it takes the worker for another site's and wraps it in a
 * `blob:` script, which the CSP refuses. Null when no worker starts: pdf.js then parses on the
 * page itself, more slowly.
 */
async function startWorker(source: string): Promise<Worker | null> {
  let worker: Worker;
  try {
    worker = new Worker(source, { type: 'module' });
  } catch {
    return null;
  }
  const started = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), WORKER_START_MS);
    // The worker says "ready" once it has loaded; pdf.js needs nothing more from that message.
    worker.addEventListener('message', () => (clearTimeout(timer), resolve(true)), { once: true });
    worker.addEventListener('error', () => (clearTimeout(timer), resolve(false)), { once: true });
  });
  if (started) return worker;
  worker.terminate();
  return null;
}

/** Opens a paper's bytes. pdf.js takes them over: `bytes` is empty afterwards. */
export async function openPdf(bytes: Uint8Array): Promise<PdfPaper> {
  const pdfjs = await loadLibrary();
  const webWorker = await startWorker(pdfjs.GlobalWorkerOptions.workerSrc);
  const worker = webWorker ? pdfjs.PDFWorker.create({ port: webWorker }) : undefined;
  const task = pdfjs.getDocument({
    data: bytes,
    worker,
    // Fonts are drawn without building code from the paper (the CSP allows no eval either).
    isEvalSupported: false,
    enableXfa: false,
  });
  const stop = async () => {
    await task.destroy().catch(() => {});
    worker?.destroy();
    webWorker?.terminate();
  };
  try {
    return new Paper(pdfjs, await task.promise, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

class Paper implements PdfPaper {
  readonly #pdfjs: PdfJs;
  readonly #document: PDFDocumentProxy;
  readonly #stop: () => Promise<void>;
  readonly #pages = new Map<number, Promise<PDFPageProxy>>();
  #destroyed = false;

  constructor(pdfjs: PdfJs, document: PDFDocumentProxy, stop: () => Promise<void>) {
    this.#pdfjs = pdfjs;
    this.#document = document;
    this.#stop = stop;
  }

  get pageCount(): number {
    return this.#document.numPages;
  }

  async pageSize(pageNumber: number): Promise<PageSize> {
    const viewport = (await this.#page(pageNumber)).getViewport({ scale: 1 });
    return { width: viewport.width, height: viewport.height };
  }

  drawPage(pageNumber: number, scale: number, page: HTMLElement, withText: boolean): PageDrawing {
    let cancelled = false;
    let cancelWork: () => void = () => {};
    const done = (async () => {
      const pdfPage = await this.#page(pageNumber);
      if (cancelled) return;
      const viewport = pdfPage.getViewport({ scale });
      const wanted = window.devicePixelRatio || 1;
      const ratio = Math.min(wanted, Math.sqrt(MAX_CANVAS_PIXELS / Math.max(1, viewport.width * viewport.height)));
      const canvas = document.createElement('canvas');
      canvas.setAttribute('aria-hidden', 'true');
      canvas.width = Math.max(1, Math.floor(viewport.width * ratio));
      canvas.height = Math.max(1, Math.floor(viewport.height * ratio));
      const render = pdfPage.render({
        canvas,
        viewport,
        transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
      });
      const textLayer = withText ? document.createElement('div') : null;
      const text = textLayer
        ? new this.#pdfjs.TextLayer({
            textContentSource: pdfPage.streamTextContent({ includeMarkedContent: true, disableNormalization: true }),
            container: textLayer,
            viewport,
          })
        : null;
      cancelWork = () => {
        render.cancel();
        text?.cancel();
        canvas.width = canvas.height = 0;
      };
      await Promise.all([render.promise, text?.render()]);
      if (cancelled) return;
      const before = page.querySelector<HTMLCanvasElement>(':scope > canvas');
      if (before) {
        before.replaceWith(canvas);
        before.width = before.height = 0;
      } else {
        page.prepend(canvas);
      }
      if (textLayer) {
        textLayer.className = 'text-layer';
        const shown = page.querySelector(':scope > .text-layer');
        if (shown) shown.replaceWith(textLayer);
        else canvas.after(textLayer);
      }
    })().catch((error: unknown) => {
      // Stopped on purpose: not a failure.
      if (cancelled || error instanceof this.#pdfjs.RenderingCancelledException) return;
      if (error instanceof this.#pdfjs.AbortException) return;
      throw error;
    });
    return {
      done,
      cancel: () => {
        cancelled = true;
        cancelWork();
      },
    };
  }

  releasePage(pageNumber: number, page: HTMLElement): void {
    const canvas = page.querySelector<HTMLCanvasElement>(':scope > canvas');
    if (canvas) {
      canvas.width = canvas.height = 0;
      canvas.remove();
    }
    void this.#pages
      .get(pageNumber)
      ?.then((loaded) => loaded.cleanup())
      .catch(() => {});
  }

  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#pages.clear();
    await this.#stop();
  }

  #page(pageNumber: number): Promise<PDFPageProxy> {
    let page = this.#pages.get(pageNumber);
    if (!page) {
      page = this.#document.getPage(pageNumber);
      this.#pages.set(pageNumber, page);
      // A page that could not be read is asked for afresh next time.
      page.catch(() => this.#pages.delete(pageNumber));
    }
    return page;
  }
}
