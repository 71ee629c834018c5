/*
 * xterm.js under the console's Content-Security-Policy (`style-src 'self'`, no 'unsafe-inline').
 *
 * xterm's DOM renderer styles itself with `<style>` elements it fills at run time (theme colours,
 * cell size, scrollbar) and, for 24-bit colours, with `style="…"` attributes on its spans. The
 * CSP blocks both (and reports each as a violation). Rather than weaken the policy for the whole
 * console, the document xterm creates its elements with is wrapped: a `<style>` becomes an
 * element whose text goes into a constructed stylesheet (adoptedStyleSheets), and a span's style
 * attribute is set through CSSOM (`style.cssText`). The CSP governs neither: CSSOM is script, and
 * the scripts are ours. script-src is untouched.
 */

const SHEET_TAG = 'xterm-sheet-style';

/** A `<style>` stand-in: what xterm writes into it is applied as a constructed stylesheet. */
class SheetStyleElement extends HTMLElement {
  readonly styleSheet = new CSSStyleSheet();
  cssText = '';

  connectedCallback(): void {
    this.ownerDocument.adoptedStyleSheets = [...this.ownerDocument.adoptedStyleSheets, this.styleSheet];
  }

  disconnectedCallback(): void {
    this.ownerDocument.adoptedStyleSheets = this.ownerDocument.adoptedStyleSheets.filter(
      (sheet) => sheet !== this.styleSheet,
    );
  }
}
// xterm sets `textContent`, which Node declares as a property: redefine it on this class only.
Object.defineProperty(SheetStyleElement.prototype, 'textContent', {
  get(this: SheetStyleElement) {
    return this.cssText;
  },
  set(this: SheetStyleElement, css: string | null) {
    this.cssText = css ?? '';
    this.styleSheet.replaceSync(this.cssText);
  },
});

function defineSheetElement(): void {
  if (!customElements.get(SHEET_TAG)) customElements.define(SHEET_TAG, SheetStyleElement);
}

function setAttributeThroughCssom(this: HTMLElement, name: string, value: string): void {
  if (name.toLowerCase() === 'style') this.style.cssText = value;
  else Element.prototype.setAttribute.call(this, name, value);
}

function createCspSafeElement(doc: Document, tag: string, options?: ElementCreationOptions): HTMLElement {
  if (tag.toLowerCase() === 'style') return Document.prototype.createElement.call(doc, SHEET_TAG);
  const element = Document.prototype.createElement.call(doc, tag, options);
  element.setAttribute = setAttributeThroughCssom;
  return element;
}

/** The document to give xterm as `documentOverride`: the real one, creating CSP-safe elements. */
export function cspSafeDocument(doc: Document): Document {
  defineSheetElement();
  return new Proxy(doc, {
    get(target, property) {
      if (property === 'createElement') {
        return (tag: string, options?: ElementCreationOptions) => createCspSafeElement(target, tag, options);
      }
      const value: unknown = Reflect.get(target, property, target);
      // Native methods must be called on the real document, not on the proxy.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Runs `open` (xterm's Terminal.open) while the document itself creates CSP-safe elements: xterm
 * builds its viewport there with the page's document rather than `documentOverride`. Restored at
 * once; nothing else runs in between (open is synchronous).
 */
export function whileCspSafe(doc: Document, open: () => void): void {
  defineSheetElement();
  // An own property over Document.prototype's method, deleted afterwards.
  const patched = doc as { createElement?: unknown };
  patched.createElement = (tag: string, options?: ElementCreationOptions) => createCspSafeElement(doc, tag, options);
  try {
    open();
  } finally {
    delete patched.createElement;
  }
}
