import type { Bitset } from '../engine/bitset';

/** The p-quantile (0 < p ≤ 1) of sorted numbers by nearest rank, or null for none. */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1];
}

/** Rounds down to two significant digits: 874.83 → 870, 1619.86 → 1600, 95.3 → 95. */
export function niceFloor(value: number): number {
  if (!(value > 0)) return 0;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 1);
  return Math.floor(value / magnitude) * magnitude;
}

/** The smallest of `steps` (ascending) at or above `value`, else the largest step. */
export function stepUp(value: number, steps: readonly number[]): number {
  return steps.find((s) => s >= value) ?? steps[steps.length - 1];
}

/** |A ∩ B| / |A ∪ B|; 1 when both are empty. */
export function jaccard(a: Bitset, b: Bitset): { jaccard: number; both: number; union: number } {
  const both = a.and(b).count();
  const union = a.or(b).count();
  return { jaccard: union === 0 ? 1 : both / union, both, union };
}

export const formatCount = (n: number) => n.toLocaleString('en-US');
export const formatShare = (share: number) => `${(100 * share).toFixed(1)}%`;
export const formatMoney = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 })}`;
export const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

/** "vip-customers.json" → "vip customers"; "Jazz Fans" stays. */
export function readableName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const text = base
    .replace(/\.(segment\.)?json$/i, '')
    .replace(/[-_]+/g, ' ')
    .trim();
  const cased = text.replace(/\b(vip|eu|sms|uk|usa)\b/gi, (w) => w.toUpperCase());
  return cased.charAt(0).toUpperCase() + cased.slice(1);
}

/** "Hip-Hop" → "hip-hop", "Audio Gear" → "audio-gear": a stage ID / file-name part. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'segment'
  );
}
