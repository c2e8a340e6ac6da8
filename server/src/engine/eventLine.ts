/**
 * Reads one line of events.jsonl from its UTF-8 bytes without building its objects: where the
 * loading time of ten million events went (`JSON.parse` built every object of every line, then
 * each property's text was hashed again to find its dictionary code). `read` accepts only lines it
 * understands exactly as `JSON.parse` followed by `WorkspaceBuilder.addEvent` would, and answers
 * false for anything else (a broken line, an unexpected shape, a key written twice, a value of the
 * wrong type), which the caller then hands to that slower path: every problem is still reported by
 * the one place that reports it. Texts are hashed (FNV-1a, as `SharedIdIndex` hashes an ID) as
 * they are scanned, so a dictionary can find a known text without a string being made.
 */

/** How a property's value was written (see `EventLine.kind`). */
const VALUE_NULL = 0;
/** A text of ASCII characters without escapes: its bytes are its characters. */
const VALUE_ASCII = 1;
/** A text with characters past ASCII, without escapes: its bytes decoded as UTF-8. */
const VALUE_UTF8 = 2;
/** A text with escapes: `JSON.parse` of the quoted text. */
const VALUE_ESCAPED = 3;
const VALUE_NUMBER = 4;
const VALUE_TRUE = 5;
const VALUE_FALSE = 6;
/** A list or an object: `JSON.parse` of its text. */
const VALUE_NESTED = 7;
/** A list of texts of ASCII characters without escapes: their tokens are in `listTokens`. */
const VALUE_TEXT_LIST = 8;

// Exported by a list: `export const` would make every use here a property read of the module's exports.
export { VALUE_NULL, VALUE_ASCII, VALUE_UTF8, VALUE_ESCAPED, VALUE_NUMBER, VALUE_TRUE, VALUE_FALSE, VALUE_NESTED, VALUE_TEXT_LIST };

/** Most properties an event may have for this reader (more: the line goes to `JSON.parse`). */
const MAX_PROPERTIES = 64;
/** Most texts in the lists of one event read as `VALUE_TEXT_LIST` (past them, lists are `VALUE_NESTED`). */
const MAX_LIST_TEXTS = 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Powers of ten that are exact doubles (a decimal with at most 15 digits divided by one is correctly rounded). */
const EXACT_POWERS = Array.from({ length: 16 }, (_, k) => 10 ** k);

/** Decodes bytes [start, end) of a line: as ASCII (each byte a character) or as UTF-8. */
export type LineText = (start: number, end: number, ascii: boolean) => string;

/** A text token: bytes [start, end) between its quotes, its FNV-1a hash, and how it was written. */
export interface TextToken {
  start: number;
  end: number;
  hash: number;
  kind: typeof VALUE_ASCII | typeof VALUE_UTF8 | typeof VALUE_ESCAPED;
}

function newToken(): TextToken {
  return { start: 0, end: 0, hash: 0, kind: VALUE_ASCII };
}

/**
 * The parts of one event line that `addEvent` reads, as positions in the line's bytes. Reused
 * from line to line (one per builder): `read` fills it.
 */
export class EventLine {
  readonly profile = newToken();
  readonly metric = newToken();
  hasProfile = false;
  hasMetric = false;
  /** `attributes.timestamp`: a number, or NaN when absent or null. */
  timestamp = NaN;
  /** `attributes.datetime` when it is a text. */
  readonly datetime = newToken();
  hasDatetime = false;
  /** Properties of `attributes.event_properties` in the order written (each key once). */
  count = 0;
  readonly keyStart = new Int32Array(MAX_PROPERTIES);
  readonly keyEnd = new Int32Array(MAX_PROPERTIES);
  readonly keyHash = new Int32Array(MAX_PROPERTIES);
  /** `VALUE_*` of each property's value. */
  readonly kind = new Uint8Array(MAX_PROPERTIES);
  /** A text's bytes between its quotes; a nested value's whole text. */
  readonly valueStart = new Int32Array(MAX_PROPERTIES);
  readonly valueEnd = new Int32Array(MAX_PROPERTIES);
  readonly valueHash = new Int32Array(MAX_PROPERTIES);
  readonly number = new Float64Array(MAX_PROPERTIES);
  /**
   * The texts of the line's `VALUE_TEXT_LIST` values (bytes between quotes, and hash): a
   * property's are [valueStart, valueEnd) of these.
   */
  readonly listTokens = { starts: new Int32Array(MAX_LIST_TEXTS), ends: new Int32Array(MAX_LIST_TEXTS), hashes: new Int32Array(MAX_LIST_TEXTS) };
  private listCount = 0;
  /** Set by `textList`: where the list's texts start. */
  private listFrom = 0;
  /** Scratch room for a caller to look at one key as a token (keys are ASCII). */
  readonly keyToken = newToken();

  private bytes: Uint8Array = new Uint8Array(0);
  private end = 0;
  /** Set by `scanText`: the hash and kind of the text just scanned. */
  private textHash = 0;
  private textKind: TextToken['kind'] = VALUE_ASCII;
  /** Set by `scanNumber`. */
  private numberValue = 0;
  /** Set by `key`: the key just read. */
  private keyStart0 = 0;
  private keyEnd0 = 0;
  private keyHash0 = 0;
  private keyKind0: TextToken['kind'] = VALUE_ASCII;
  /** Set by `open` and `next`: whether another member follows. */
  private more = false;
  /** Set by `fieldKey`. */
  private field = 0;

  /**
   * Reads the event of bytes [start, end) (one line, without its line end: bytes[end], when there
   * is one, is "\n" or "\r"). False when the line is anything `read` does not take exactly as
   * `JSON.parse` and `addEvent` would: the caller then parses it the usual way.
   */
  read(bytes: Uint8Array, start: number, end: number): boolean {
    // What follows the line must end it: the reader looks at bytes[end] (as at any position where
    // the line may have ended), and only a line end, or nothing, can never be read as JSON there.
    if (end < bytes.length && bytes[end] !== 0x0a && bytes[end] !== 0x0d) return false;
    this.bytes = bytes;
    this.end = end;
    this.hasProfile = this.hasMetric = this.hasDatetime = false;
    this.timestamp = NaN;
    this.count = 0;
    this.listCount = 0;
    let at = this.space(start);
    if (bytes[at] !== OPEN_BRACE) return false;
    let seen = 0;
    at = this.open(at);
    while (at >= 0 && this.more) {
      at = this.fieldKey(at, TOP, seen);
      if (at < 0) return false;
      const field = this.field;
      seen |= field;
      if (field === FIELD_TYPE) {
        // Only "event": any other type (null too) is not an event, which the usual path reports.
        if (bytes[at] !== QUOTE) return false;
        const textStart = at + 1;
        at = this.scanText(at);
        if (at < 0 || !asciiIs(bytes, textStart, at - 1, 'event')) return false;
      } else if (field === FIELD_ATTRIBUTES) {
        at = bytes[at] === OPEN_BRACE ? this.attributes(at) : this.literal(at, 'null');
      } else if (field === FIELD_RELATIONSHIPS) {
        at = bytes[at] === OPEN_BRACE ? this.relationships(at) : this.literal(at, 'null');
      } else {
        at = this.skip(at, 0);
      }
      at = this.next(at, CLOSE_BRACE);
    }
    return at >= 0 && this.space(at) === end;
  }

  /** `attributes` (at its "{"): where it ends, or -1. */
  private attributes(at: number): number {
    const bytes = this.bytes;
    let seen = 0;
    at = this.open(at);
    while (at >= 0 && this.more) {
      at = this.fieldKey(at, ATTRIBUTES, seen);
      if (at < 0) return -1;
      const field = this.field;
      seen |= field;
      if (field === FIELD_TIMESTAMP) {
        if (bytes[at] === 0x6e) at = this.literal(at, 'null');
        else if ((at = this.scanNumber(at)) >= 0) this.timestamp = this.numberValue;
      } else if (field === FIELD_DATETIME) {
        if (bytes[at] !== QUOTE) at = this.literal(at, 'null');
        else {
          const start = at + 1;
          at = this.scanText(at);
          if (at >= 0) {
            this.setToken(this.datetime, start, at - 1);
            this.hasDatetime = true;
          }
        }
      } else if (field === FIELD_PROPERTIES) {
        at = bytes[at] === OPEN_BRACE ? this.properties(at) : this.literal(at, 'null');
      } else {
        at = this.skip(at, 0);
      }
      at = this.next(at, CLOSE_BRACE);
    }
    return at;
  }

  /** `relationships` (at its "{"), whose "profile" and "metric" must be `{"data": {"id": "..."}}`: where it ends, or -1. */
  private relationships(at: number): number {
    let seen = 0;
    at = this.open(at);
    while (at >= 0 && this.more) {
      at = this.fieldKey(at, RELATIONSHIPS, seen);
      if (at < 0) return -1;
      const field = this.field;
      seen |= field;
      if (field === 0) {
        at = this.skip(at, 0);
      } else {
        at = this.relationship(at, field === FIELD_PROFILE ? this.profile : this.metric);
        if (at < 0) return -1;
        if (field === FIELD_PROFILE) this.hasProfile = true;
        else this.hasMetric = true;
      }
      at = this.next(at, CLOSE_BRACE);
    }
    return at;
  }

  /**
   * The key at `at` and its ":", named as a field of the object `level` (`TOP`, `ATTRIBUTES` or
   * `RELATIONSHIPS`: the field's bit, 0 for any other key) into `field`: where the value starts,
   * or -1, also for a named key already in `seen` (written twice: JSON.parse keeps the last, and
   * this reader does not read on).
   */
  private fieldKey(at: number, level: number, seen: number): number {
    at = this.key(at);
    if (at < 0) return -1;
    const bytes = this.bytes;
    const start = this.keyStart0;
    const end = this.keyEnd0;
    const field = level === TOP ? topField(bytes, start, end) : level === ATTRIBUTES ? attributeField(bytes, start, end) : relationshipField(bytes, start, end);
    this.field = field;
    return (seen & field) !== 0 ? -1 : at;
  }

  /**
   * `{"data": {"id": "..."}}` at `at` (`depth` 0: the relationship; 1: its data), other members
   * skipped; the ID (not empty) into `token`. Anything else (no data, data or an ID written twice,
   * an ID that is not a text) is -1: the usual path reports it.
   */
  private relationship(at: number, token: TextToken, depth = 0): number {
    const bytes = this.bytes;
    if (bytes[at] !== OPEN_BRACE) return -1;
    let found = false;
    at = this.open(at);
    while (at >= 0 && this.more) {
      at = this.key(at);
      if (at < 0) return -1;
      if (!asciiIs(bytes, this.keyStart0, this.keyEnd0, depth === 0 ? 'data' : 'id')) {
        at = this.skip(at, 0);
      } else {
        if (found) return -1;
        found = true;
        at = depth === 0 ? this.relationship(at, token, 1) : this.id(at, token);
      }
      at = this.next(at, CLOSE_BRACE);
    }
    return found ? at : -1;
  }

  /** The ID at `at`: a text that is not empty, into `token`. Where it ends, or -1. */
  private id(at: number, token: TextToken): number {
    if (this.bytes[at] !== QUOTE) return -1;
    const end = this.scanText(at);
    if (end < 0 || end - at === 2) return -1; // an empty ID is none
    this.setToken(token, at + 1, end - 1);
    return end;
  }

  /** `event_properties` (at its "{"): each key once, ASCII, its value classified. Where it ends, or -1. */
  private properties(at: number): number {
    const bytes = this.bytes;
    at = this.open(at);
    while (at >= 0 && this.more) {
      at = this.key(at);
      if (at < 0) return -1;
      const index = this.count;
      const keyStart = this.keyStart0;
      const keyEnd = this.keyEnd0;
      const hash = this.keyHash0;
      if (index === MAX_PROPERTIES || this.keyKind0 !== VALUE_ASCII || isIndexLike(bytes, keyStart, keyEnd)) return -1;
      // A key written twice: JSON.parse keeps its last value in its first place; left to it.
      for (let other = 0; other < index; other++)
        if (this.keyHash[other] === hash && sameBytes(bytes, this.keyStart[other], this.keyEnd[other], keyStart, keyEnd)) return -1;
      this.keyStart[index] = keyStart;
      this.keyEnd[index] = keyEnd;
      this.keyHash[index] = hash;
      const first = bytes[at];
      let list: number;
      if (first === QUOTE) {
        const start = at + 1;
        at = this.scanText(at);
        this.kind[index] = this.textKind;
        this.valueStart[index] = start;
        this.valueEnd[index] = at - 1;
        this.valueHash[index] = this.textHash;
      } else if (first === OPEN_BRACKET && (list = this.textList(at)) >= 0) {
        this.kind[index] = VALUE_TEXT_LIST;
        this.valueStart[index] = this.listFrom;
        this.valueEnd[index] = this.listCount;
        at = list;
      } else if (first === OPEN_BRACE || first === OPEN_BRACKET) {
        this.valueStart[index] = at;
        at = this.skip(at, 0);
        this.kind[index] = VALUE_NESTED;
        this.valueEnd[index] = at;
      } else if (first === 0x74) {
        at = this.literal(at, 'true');
        this.kind[index] = VALUE_TRUE;
      } else if (first === 0x66) {
        at = this.literal(at, 'false');
        this.kind[index] = VALUE_FALSE;
      } else if (first === 0x6e) {
        at = this.literal(at, 'null');
        this.kind[index] = VALUE_NULL;
      } else {
        at = this.scanNumber(at);
        this.kind[index] = VALUE_NUMBER;
        this.number[index] = this.numberValue;
      }
      if (at < 0) return -1;
      this.count++;
      at = this.next(at, CLOSE_BRACE);
    }
    return at;
  }

  /**
   * The list at `at` ("[") when all its elements are texts of ASCII characters without escapes
   * (their tokens added from `listFrom`, up to `listCount`): where it ends; else -1, nothing added.
   */
  private textList(at: number): number {
    const bytes = this.bytes;
    const from = (this.listFrom = this.listCount);
    at = this.space(at + 1);
    if (bytes[at] === CLOSE_BRACKET) return at + 1;
    while (bytes[at] === QUOTE && this.listCount < MAX_LIST_TEXTS) {
      const start = at + 1;
      at = this.scanText(at);
      if (at < 0 || this.textKind !== VALUE_ASCII) break;
      const n = this.listCount++;
      this.listTokens.starts[n] = start;
      this.listTokens.ends[n] = at - 1;
      this.listTokens.hashes[n] = this.textHash;
      at = this.space(at);
      if (bytes[at] === CLOSE_BRACKET) return at + 1;
      if (bytes[at] !== COMMA) break;
      at = this.space(at + 1);
    }
    this.listCount = from;
    return -1;
  }

  /** After an object's "{" at `at`: the first key's position, `more` false when the object is empty (then after its "}"). */
  private open(at: number): number {
    at = this.space(at + 1);
    if (this.bytes[at] === CLOSE_BRACE) {
      this.more = false;
      return at + 1;
    }
    this.more = true;
    return at;
  }

  /**
   * A member's key at `at` and its ":": sets `keyStart0`, `keyEnd0` (between the quotes), `keyKind0`
   * and `keyHash0`; returns where the value starts, or -1. A key with escapes might spell a name
   * read here, so it is -1 (left to JSON.parse).
   */
  private key(at: number): number {
    const bytes = this.bytes;
    if (bytes[at] !== QUOTE) return -1;
    this.keyStart0 = at + 1;
    at = this.scanText(at);
    if (at < 0 || this.textKind === VALUE_ESCAPED) return -1;
    this.keyEnd0 = at - 1;
    this.keyKind0 = this.textKind;
    this.keyHash0 = this.textHash;
    at = this.space(at);
    if (bytes[at] !== COLON) return -1;
    return this.space(at + 1);
  }

  /** After a member's or element's value (ending at `at`, -1: failed): past a "," (`more`) or past `close` (not `more`), or -1. */
  private next(at: number, close: number): number {
    if (at < 0) return -1;
    at = this.space(at);
    const c = this.bytes[at];
    if (c === COMMA) {
      this.more = true;
      return this.space(at + 1);
    }
    this.more = false;
    return c === close ? at + 1 : -1;
  }

  /** Skips any JSON value at `at` (checked as `JSON.parse` would); returns where it ends, or -1. */
  private skip(at: number, depth: number): number {
    const bytes = this.bytes;
    const first = bytes[at];
    if (first === QUOTE) return this.scanText(at);
    if (first === OPEN_BRACE || first === OPEN_BRACKET) {
      if (depth > 64) return -1; // deeper than any event: JSON.parse's own limits decide
      const close = first === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
      at = this.space(at + 1);
      if (bytes[at] === close) return at + 1;
      for (;;) {
        if (first === OPEN_BRACE) {
          if (bytes[at] !== QUOTE) return -1;
          at = this.scanText(at);
          if (at < 0) return -1;
          at = this.space(at);
          if (bytes[at] !== COLON) return -1;
          at = this.space(at + 1);
        }
        at = this.skip(at, depth + 1);
        if (at < 0) return -1;
        at = this.space(at);
        if (bytes[at] === COMMA) {
          at = this.space(at + 1);
          continue;
        }
        return bytes[at] === close ? at + 1 : -1;
      }
    }
    if (first === 0x74) return this.literal(at, 'true');
    if (first === 0x66) return this.literal(at, 'false');
    if (first === 0x6e) return this.literal(at, 'null');
    return this.scanNumber(at);
  }

  /**
   * The text at `at` (its opening quote): returns where it ends (after its closing quote), or -1
   * when it is not a JSON text. Sets `textKind` and `textHash` (over its bytes, escapes as written).
   */
  private scanText(at: number): number {
    const bytes = this.bytes;
    const end = this.end;
    let hash = 0x811c9dc5 | 0;
    let kind: TextToken['kind'] = VALUE_ASCII;
    for (let i = at + 1; i < end; i++) {
      const c = bytes[i];
      if (c === QUOTE) {
        this.textHash = hash | 0;
        this.textKind = kind;
        return i + 1;
      }
      if (c < 0x20) return -1; // a control character must be escaped
      if (c === BACKSLASH) {
        kind = VALUE_ESCAPED;
        const escaped = bytes[++i];
        if (escaped === 0x75) {
          for (let k = 1; k <= 4; k++) if (!isHex(bytes[i + k])) return -1;
          i += 4;
        } else if (!isSimpleEscape(escaped)) return -1;
        continue;
      }
      if (c >= 0x80 && kind === VALUE_ASCII) kind = VALUE_UTF8;
      hash = Math.imul(hash ^ c, 0x01000193);
    }
    return -1;
  }

  /**
   * The number at `at` in JSON's grammar: returns where it ends, or -1. Sets `numberValue`: a
   * decimal of at most 15 digits without exponent as digits / 10^k (both exact, so the quotient is
   * rounded as `JSON.parse` rounds), anything longer by `Number` of its text.
   */
  private scanNumber(at: number): number {
    const bytes = this.bytes;
    let i = at;
    const negative = bytes[i] === MINUS;
    if (negative) i++;
    let digits = 0;
    let mantissa = 0;
    let fraction = 0;
    if (bytes[i] === DIGIT_0) {
      i++;
    } else if (bytes[i] > DIGIT_0 && bytes[i] <= DIGIT_9) {
      while (bytes[i] >= DIGIT_0 && bytes[i] <= DIGIT_9) {
        mantissa = mantissa * 10 + (bytes[i] - DIGIT_0);
        digits++;
        i++;
      }
    } else {
      return -1;
    }
    if (bytes[i] === DOT) {
      i++;
      if (!(bytes[i] >= DIGIT_0 && bytes[i] <= DIGIT_9)) return -1;
      while (bytes[i] >= DIGIT_0 && bytes[i] <= DIGIT_9) {
        mantissa = mantissa * 10 + (bytes[i] - DIGIT_0);
        digits++;
        fraction++;
        i++;
      }
    }
    let exact = digits <= 15;
    if (bytes[i] === 0x65 || bytes[i] === 0x45) {
      exact = false;
      i++;
      if (bytes[i] === PLUS || bytes[i] === MINUS) i++;
      if (!(bytes[i] >= DIGIT_0 && bytes[i] <= DIGIT_9)) return -1;
      while (bytes[i] >= DIGIT_0 && bytes[i] <= DIGIT_9) i++;
    }
    if (exact) {
      const value = fraction === 0 ? mantissa : mantissa / EXACT_POWERS[fraction];
      this.numberValue = negative ? -value : value;
    } else {
      let text = '';
      for (let k = at; k < i; k++) text += String.fromCharCode(bytes[k]);
      this.numberValue = Number(text);
    }
    return i;
  }

  /** The literal `word` at `at`: where it ends, or -1. */
  private literal(at: number, word: string): number {
    return at + word.length <= this.end && asciiIs(this.bytes, at, at + word.length, word) ? at + word.length : -1;
  }

  /** Skips JSON's white space from `at`; returns the first other position (or the line's end). */
  private space(at: number): number {
    const bytes = this.bytes;
    const end = this.end;
    while (at < end) {
      const c = bytes[at];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      at++;
    }
    return at;
  }

  private setToken(token: TextToken, start: number, end: number): void {
    token.start = start;
    token.end = end;
    token.hash = this.textHash;
    token.kind = this.textKind;
  }
}

/** The objects whose fields `fieldKey` names. */
const TOP = 0;
const ATTRIBUTES = 1;
const RELATIONSHIPS = 2;

const FIELD_TYPE = 1;
const FIELD_ATTRIBUTES = 2;
const FIELD_RELATIONSHIPS = 4;
const FIELD_ID = 8;
const FIELD_TIMESTAMP = 1;
const FIELD_DATETIME = 2;
const FIELD_PROPERTIES = 4;
const FIELD_PROFILE = 1;
const FIELD_METRIC = 2;

function topField(bytes: Uint8Array, start: number, end: number): number {
  if (asciiIs(bytes, start, end, 'type')) return FIELD_TYPE;
  if (asciiIs(bytes, start, end, 'attributes')) return FIELD_ATTRIBUTES;
  if (asciiIs(bytes, start, end, 'relationships')) return FIELD_RELATIONSHIPS;
  return asciiIs(bytes, start, end, 'id') ? FIELD_ID : 0;
}

function attributeField(bytes: Uint8Array, start: number, end: number): number {
  if (asciiIs(bytes, start, end, 'timestamp')) return FIELD_TIMESTAMP;
  if (asciiIs(bytes, start, end, 'datetime')) return FIELD_DATETIME;
  return asciiIs(bytes, start, end, 'event_properties') ? FIELD_PROPERTIES : 0;
}

function relationshipField(bytes: Uint8Array, start: number, end: number): number {
  if (asciiIs(bytes, start, end, 'profile')) return FIELD_PROFILE;
  return asciiIs(bytes, start, end, 'metric') ? FIELD_METRIC : 0;
}

/** Whether bytes [start, end) are the ASCII text `word`. */
export function asciiIs(bytes: Uint8Array, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (bytes[start + i] !== word.charCodeAt(i)) return false;
  return true;
}

function sameBytes(bytes: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (bytes[aStart + i] !== bytes[bStart + i]) return false;
  return true;
}

/** A key of digits only: JavaScript lists such keys first, in numeric order, where this reader keeps the order written. */
function isIndexLike(bytes: Uint8Array, start: number, end: number): boolean {
  if (start === end) return false;
  for (let i = start; i < end; i++) if (bytes[i] < DIGIT_0 || bytes[i] > DIGIT_9) return false;
  return true;
}

function isHex(c: number): boolean {
  return (c >= DIGIT_0 && c <= DIGIT_9) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** `"`, `\`, `/`, `b`, `f`, `n`, `r`, `t` after a backslash. */
function isSimpleEscape(c: number): boolean {
  return c === QUOTE || c === BACKSLASH || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74;
}

/** The FNV-1a hash of a text of ASCII characters, as `EventLine` hashes its bytes. */
export function asciiHash(text: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash | 0;
}
