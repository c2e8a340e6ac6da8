/** Small helpers for writing JSON text directly (faster than building objects for JSON.stringify). */

export const round2 = (x: number): number => Math.round(x * 100) / 100;

/** A JSON string literal, or null. */
export function q(s: string | null): string {
  return s === null ? 'null' : JSON.stringify(s);
}

/**
 * JSON text with every non-ASCII character written as a \u escape: event lines stay one-byte
 * strings, which V8 concatenates and encodes much faster (the parsed values are the same).
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
