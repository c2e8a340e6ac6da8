/// <reference lib="dom" />

/**
 * Builds an element. Values become attributes (set one by one) and text nodes: never HTML, so
 * untrusted profile data cannot become markup.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) element.append(child);
  return element;
}

export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
