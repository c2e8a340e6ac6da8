/**
 * Seeded mutations of valid segment files for the fuzz test (./fuzz.test.ts): the inputs issue 16
 * names (byte flips, truncation, deep nesting, megabyte texts and keys, huge numbers, lone
 * surrogates, duplicate keys, `__proto__` keys, an object where a text belongs). Everything comes
 * from the seed, so a failing run is repeated exactly by its seed and iteration.
 */

/** mulberry32: a small, fast, well-distributed 32-bit generator; enough for choosing mutations. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
}

const MB = 1024 * 1024;

/** Offsets where each match of `pattern` starts, with its length. */
function tokens(text: string, pattern: RegExp): { offset: number; length: number }[] {
  return [...text.matchAll(pattern)].map((m) => ({ offset: m.index ?? 0, length: m[0].length }));
}

const STRINGS = /"(?:[^"\\\n]|\\.)*"/g;
const NUMBERS = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const OPEN_BRACES = /\{/g;

function replaceAt(text: string, at: { offset: number; length: number }, replacement: string): string {
  return text.slice(0, at.offset) + replacement + text.slice(at.offset + at.length);
}

/** After a random `{`: a new first property. */
function insertProperty(text: string, random: Random, property: string): string {
  const braces = tokens(text, OPEN_BRACES);
  if (braces.length === 0) return `{${property}}`;
  const at = random.pick(braces).offset + 1;
  return `${text.slice(0, at)}${property},${text.slice(at)}`;
}

/** One mutation: a name (for failure messages) and what it does to a text. */
interface Mutation {
  name: string;
  apply: (text: string, random: Random) => string;
}

export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'byte flips',
    apply: (text, random) => {
      const chars = [...text];
      for (let n = 1 + random.below(8); n > 0 && chars.length > 0; n--) chars[random.below(chars.length)] = String.fromCharCode(random.below(0x10000));
      return chars.join('');
    },
  },
  { name: 'truncation', apply: (text, random) => text.slice(0, random.below(text.length + 1)) },
  {
    name: 'deep nesting',
    apply: (text, random) => {
      const depth = random.pick([70, 5_000, 50_000]);
      const at = random.below(text.length + 1);
      const closed = random.next() < 0.5;
      return `${text.slice(0, at)}${'['.repeat(depth)}${closed ? ']'.repeat(depth) : ''}${text.slice(at)}`;
    },
  },
  {
    name: '1 MB text',
    apply: (text, random) => {
      const strings = tokens(text, STRINGS);
      return strings.length ? replaceAt(text, random.pick(strings), JSON.stringify(random.pick(['x', 'é', '\u2028', '[']).repeat(MB))) : text;
    },
  },
  { name: '1 MB key', apply: (text, random) => insertProperty(text, random, `${JSON.stringify(`k${random.below(1e9)}${'k'.repeat(MB)}`)}: 1`) },
  {
    name: 'huge number',
    apply: (text, random) => {
      const numbers = tokens(text, NUMBERS);
      const huge = random.pick([
        '1e400',
        '-1e400',
        '1e-400',
        '123456789012345678901234567890',
        '9007199254740993',
        '-0',
        '0.000000000000000000000000001',
        `1${'0'.repeat(10_000)}`,
      ]);
      return numbers.length ? replaceAt(text, random.pick(numbers), huge) : insertProperty(text, random, `"quantity": ${huge}`);
    },
  },
  {
    name: 'lone surrogate',
    apply: (text, random) => {
      const strings = tokens(text, STRINGS);
      const surrogate = random.pick(['\ud800', '\udfff', '\\ud800', '\\udc00x', '\ud83d']);
      if (strings.length === 0) return `${text}${surrogate}`;
      const at = random.pick(strings);
      return replaceAt(text, { offset: at.offset + 1, length: 0 }, surrogate);
    },
  },
  {
    name: 'duplicate key',
    apply: (text, random) =>
      insertProperty(text, random, random.pick(['"type": "profile-region"', '"condition_groups": []', '"conditions": {}', '"operator": "equals"'])),
  },
  {
    name: '__proto__ key',
    apply: (text, random) =>
      insertProperty(
        text,
        random,
        random.pick(['"__proto__": {"polluted": true}', '"__proto__": null', '"constructor": {"prototype": {"polluted": 1}}', '"hasOwnProperty": 1']),
      ),
  },
  {
    name: '{} for a text',
    apply: (text, random) => {
      const strings = tokens(text, STRINGS);
      return strings.length ? replaceAt(text, random.pick(strings), random.pick(['{}', '[]', 'null', '{"a": {}}', 'true'])) : text;
    },
  },
];

/** One to three mutations of `text`; their names say which. */
export function mutate(text: string, random: Random): { text: string; mutations: string[] } {
  const mutations: string[] = [];
  let result = text;
  for (let n = 1 + random.below(3); n > 0; n--) {
    const mutation = random.pick(MUTATIONS);
    mutations.push(mutation.name);
    result = mutation.apply(result, random);
  }
  return { text: result, mutations };
}
