// Small DOM helpers shared by the views. Data from the backend always goes in as text.

/** The element with this id, of this type; a missing one means the page is incomplete. */
export function byId<T extends HTMLElement>(id: string, type: { new (): T; prototype: T }): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) {
    throw new Error(`Telltale's page has no usable #${id}.`);
  }
  return found;
}

/** A new element holding `text` as plain text. */
export function textElement<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) {
    element.className = className;
  }
  return element;
}

/** Shown, enabled and not the page itself: a fine place for keyboard focus to stay. */
export function usable(element: Element | null): element is HTMLElement {
  return (
    element instanceof HTMLElement &&
    element !== document.body &&
    element.offsetParent !== null &&
    !(element instanceof HTMLButtonElement && element.disabled)
  );
}

/** After an action: keep focus where it is if still usable, else move it to `preferred`. */
export function settleFocus(preferred: HTMLElement): void {
  if (!usable(document.activeElement) && usable(preferred)) {
    preferred.focus();
  }
}
