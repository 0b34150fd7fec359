// Small DOM helpers of the verify page: elements are built with text only, so nothing from the server is ever
// parsed as HTML.

export const page = {
  pathname: (): string => location.pathname,
  byId<T extends HTMLElement = HTMLElement>(id: string): T {
    const el = document.getElementById(id);
    if (!el) throw new Error(`the page has no #${id}`);
    return el as T;
  },
  el(tag: string, text = '', className = ''): HTMLElement {
    const el = document.createElement(tag);
    el.textContent = text;
    if (className) el.className = className;
    return el;
  },
};
