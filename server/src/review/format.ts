/** Small text helpers shared by the review reports. */

export const formatNumber = (n: number): string => n.toLocaleString('en-US');

export const plural = (n: number, one: string, many = `${one}s`): string => `${formatNumber(n)} ${n === 1 ? one : many}`;

/** A short commit ID for people (the full one is in the JSON). */
export const shortCommit = (commit: string): string => commit.slice(0, 12);
