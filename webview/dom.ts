// Builds DOM nodes with every string from a report set as text, never parsed as HTML.
type Child = Node | string | number | null | undefined | false;

export function h(tag: string, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return element;
}

/** A button whose handler is attached here, never as an inline attribute (the CSP forbids those). */
export function button(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const element = h('button', { type: 'button', title }, label) as HTMLButtonElement;
  element.addEventListener('click', onClick);
  return element;
}

export function fixed(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}
