/**
 * The id map read from its canonical text without parsing it into a map (README "Incremental
 * sync"): `KEY: VALUE` lines sorted by address, so an address is found by a binary search over the
 * text's lines, the entries of one kind are one run of lines, and an edit is a splice of a few
 * lines. A sync of one change to a tenant of 100,000 objects looks up a few ids: it no longer
 * builds a map of 100,000 entries (and their strings) to do so.
 *
 * `scanCanonicalIdMap` accepts exactly the texts the line reader of address-map-file.ts reads as
 * canonical and without problems (plain scalars, sorted, comments only first, a final newline),
 * checking each line in place; anything else is read by that reader, with its diagnostics.
 */
import { isKind } from "../model/kind.js";

const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const COLON = 0x3a;
/** Ids found by searching the text before the table of all ids is built. */
const TEXT_SEARCHES = 16;

/** Where the entries of a canonical id map text start, and how many there are; undefined when the text is not canonical. */
export interface CanonicalScan {
  bodyStart: number;
  count: number;
}

/**
 * Entry lines from where it starts to the end of the text: `KIND/NAME: VALUE` with the key and the
 * value plain (`[A-Za-z0-9][A-Za-z0-9._/@+-]*`), the kind before the first slash, a name after it.
 */
const LINES = /(?:[A-Za-z0-9][A-Za-z0-9._@+-]*\/[A-Za-z0-9._/@+-]+: [A-Za-z0-9][A-Za-z0-9._/@+-]*\n)+$/y;
/**
 * A value address-map-file.ts `AMBIGUOUS` matches, a plain scalar a YAML reader takes for something
 * other than a string (in an entry line, `: ` is only ever the separator).
 */
const AMBIGUOUS_VALUE = /: (?:[-+]?[\d._]+(?:e[-+]?\d+)?|0x[\da-f]+|0o[0-7]+|true|false|null|yes|no|on|off|y|n|~|\.inf|\.nan)\n/i;
/** An id with an upper-case letter. */
const UPPER_CASE_VALUE = /: [a-z0-9._/@+-]*[A-Z]/;
/** One entry line as `LINES` takes it, without its newline. */
const LINE = /^[A-Za-z0-9][A-Za-z0-9._@+-]*\/[A-Za-z0-9._/@+-]+: [A-Za-z0-9][A-Za-z0-9._/@+-]*$/;

/** Where the entries start: after the leading comment lines. */
function bodyStartOf(text: string): number {
  let at = 0;
  while (at < text.length && text.charCodeAt(at) === 0x23) at = text.indexOf("\n", at) + 1;
  return at;
}

/**
 * Whether lines added to a canonical text keep it canonical (README "Incremental sync": the lines
 * git's diff adds to a map checked before, by their line number in `text`, ascending): each an entry
 * line as `scanCanonicalIdMap` accepts it (plain scalars, a known kind, no value YAML reads as other
 * than a string), after the comment lines, its key strictly between those of the lines around it.
 * With the other lines kept from a canonical text in their order, the whole text is then canonical.
 */
export function addedLinesCanonical(text: string, added: readonly { line: number; text: string }[]): boolean {
  const bodyStart = bodyStartOf(text);
  if (!text.endsWith("\n") || bodyStart >= text.length) return false;
  let lineNumber = 1;
  let at = 0;
  for (const { line, text: entry } of added) {
    if (line < lineNumber) return false;
    for (; lineNumber < line && at < text.length; lineNumber++) at = text.indexOf("\n", at) + 1;
    if (lineNumber !== line || at < bodyStart || at >= text.length) return false;
    const colon = entry.indexOf(": ");
    if (!text.startsWith(`${entry}\n`, at) || !LINE.test(entry) || AMBIGUOUS_VALUE.test(`${entry.slice(colon)}\n`) || !isKind(entry.slice(0, entry.indexOf("/")))) return false;
    const end = at + entry.length + 1;
    if (at > bodyStart && compareLines(text, text.lastIndexOf("\n", at - 2) + 1, at) >= 0) return false;
    if (end < text.length && compareLines(text, at, end) >= 0) return false;
  }
  return true;
}

/** Whether an id has an upper-case letter (`lowerCaseIds` of the facts a sync records). */
export function hasUpperCase(id: string): boolean {
  return /[A-Z]/.test(id);
}

/**
 * Compares the line key at `lineStart` (ending at its `:`) with `key`: negative when the line's
 * key sorts first, as JavaScript compares strings (UTF-16 code units; keys are ASCII).
 */
function compareLineKey(text: string, lineStart: number, key: string): number {
  for (let i = 0; ; i++) {
    const c = text.charCodeAt(lineStart + i);
    const lineEnded = c === COLON;
    const keyEnded = i >= key.length;
    if (lineEnded || keyEnded) return lineEnded && keyEnded ? 0 : lineEnded ? -1 : 1;
    const k = key.charCodeAt(i);
    if (c !== k) return c - k;
  }
}

/** Compares the keys of two lines of the text (each ending at its `:`). */
function compareLines(text: string, a: number, b: number): number {
  for (let i = 0; ; i++) {
    const x = text.charCodeAt(a + i);
    const y = text.charCodeAt(b + i);
    if (x === COLON || y === COLON) return x === y ? 0 : x === COLON ? -1 : 1;
    if (x !== y) return x - y;
  }
}

/** Whether `text` holds the same `length` characters at `a` and at `b`. */
function sameChars(text: string, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (text.charCodeAt(a + i) !== text.charCodeAt(b + i)) return false;
  return true;
}

const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);

/** FNV-1a of `text[start, end)`, its ASCII letters lower-cased when `lowerCase`. */
function hashOf(text: string, start: number, end: number, lowerCase: boolean): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (lowerCase ? lower(text.charCodeAt(i)) : text.charCodeAt(i)), 0x01000193);
  return hash >>> 0;
}

/** Whether `text[start, end)` lower-cased is exactly `id`. */
function sameLowerCased(text: string, start: number, end: number, id: string): boolean {
  if (end - start !== id.length) return false;
  for (let i = 0; i < id.length; i++) if (lower(text.charCodeAt(start + i)) !== id.charCodeAt(i)) return false;
  return true;
}

/** Whether two values of the text are the same lower-cased. */
function sameValues(text: string, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let i = 0; i < aEnd - a; i++) if (lower(text.charCodeAt(a + i)) !== lower(text.charCodeAt(b + i))) return false;
  return true;
}

/**
 * The start of the first line at or after `low` (a line start) whose key (up to its `:`) is not
 * below `key`; the text's length when none. The lines from `low` on are sorted by key.
 */
export function lineLowerBound(text: string, low: number, key: string): number {
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const start = text.lastIndexOf("\n", mid - 1) + 1;
    const lineStart = start < low ? low : start;
    if (compareLineKey(text, lineStart, key) < 0) low = text.indexOf("\n", lineStart) + 1;
    else high = lineStart;
  }
  return low;
}

/** Whether the line at `lineStart` has exactly this key. */
export function lineKeyIs(text: string, lineStart: number, key: string): boolean {
  return lineStart < text.length && compareLineKey(text, lineStart, key) === 0;
}

/**
 * Checks the text line by line without building anything: comment lines, then `KEY: VALUE` lines
 * of plain scalars (the key an address `KIND/NAME` of a known kind, the value no number, boolean
 * or null), keys strictly ascending, one final newline. These are the texts address-map-file.ts
 * reads as canonical with no diagnostic, to the same entries.
 */
export function scanCanonicalIdMap(text: string): CanonicalScan | undefined {
  if (!text.endsWith("\n")) return undefined;
  let at = 0;
  // Leading comment lines (`#`), then no empty or comment line until the end.
  while (at < text.length && text.charCodeAt(at) === 0x23) at = text.indexOf("\n", at) + 1;
  const bodyStart = at;
  if (bodyStart >= text.length) return undefined;
  // Every line `KIND/NAME: VALUE` of plain scalars, and no value a YAML reader takes for anything
  // but a string: two regular expressions over the whole text (native code, no string per line).
  LINES.lastIndex = bodyStart;
  if (!LINES.test(text) || AMBIGUOUS_VALUE.test(text)) return undefined;
  let count = 0;
  let previous = -1;
  // The kind of the previous line (`user/`: `kindLength` characters from `kindStart`, the slash included).
  let kindStart = -1;
  let kindLength = 0;
  for (; at < text.length; at = text.indexOf("\n", at) + 1) {
    if (!(kindLength > 0 && sameChars(text, kindStart, at, kindLength))) {
      const slash = text.indexOf("/", at);
      if (!isKind(text.slice(at, slash))) return undefined;
      kindStart = at;
      kindLength = slash + 1 - at;
    }
    // Keys strictly ascending.
    if (previous >= 0 && compareLines(text, previous, at) >= 0) return undefined;
    previous = at;
    count += 1;
  }
  return { bodyStart, count };
}

/**
 * The id map as its canonical text (`scanCanonicalIdMap` accepted it): looked up by binary search,
 * iterated by reading its lines. Read-only, like the committed map it stands for.
 */
export class SortedIdMap implements ReadonlyMap<string, string> {
  /** Open-addressing table of line starts + 1 by the hash of their id lower-cased (built on the first `addressOfId`). */
  private idTable: Int32Array | undefined;
  private searches = 0;
  /** Whether any id has an upper-case letter (else an id is found by searching the text as it is). */
  private upperCase: boolean | undefined;

  constructor(
    readonly text: string,
    private readonly scan: CanonicalScan,
  ) {}

  /** The map of a canonical text, or undefined when the text is not canonical. */
  static of(text: string): SortedIdMap | undefined {
    const scan = scanCanonicalIdMap(text);
    return scan ? new SortedIdMap(text, scan) : undefined;
  }

  /**
   * The map of a text already known canonical with `entries` entries (a sync checked it, or the
   * lines git changed since, README "Incremental sync"): not scanned again. `lowerCaseIds`: no id
   * has an upper-case letter.
   */
  static checked(text: string, entries: number, lowerCaseIds: boolean): SortedIdMap {
    const map = new SortedIdMap(text, { bodyStart: bodyStartOf(text), count: entries });
    if (lowerCaseIds) map.upperCase = false;
    return map;
  }

  /** Whether some id has an upper-case letter. */
  hasUpperCaseIds(): boolean {
    this.upperCase ??= UPPER_CASE_VALUE.test(this.text);
    return this.upperCase;
  }

  /** The kinds with entries, in order (each found by a binary search past the last one's run of lines). */
  *kinds(): IterableIterator<string> {
    const { text } = this;
    for (let at = this.scan.bodyStart; at < text.length; ) {
      const kind = text.slice(at, text.indexOf("/", at));
      yield kind;
      at = this.rangeOf(`${kind}/`).end;
    }
  }

  /** How many entries have an address starting with `prefix` (`user/`). */
  countOf(prefix: string): number {
    const { start, end } = this.rangeOf(prefix);
    let count = 0;
    for (let at = start; at < end; at = this.text.indexOf("\n", at) + 1) count += 1;
    return count;
  }

  get size(): number {
    return this.scan.count;
  }

  /** The start of the first line whose key is not below `key` (the text's length when none). */
  lowerBound(key: string): number {
    return lineLowerBound(this.text, this.scan.bodyStart, key);
  }

  /** Whether the line at `lineStart` has exactly this key. */
  keyIs(lineStart: number, key: string): boolean {
    return lineKeyIs(this.text, lineStart, key);
  }

  get(key: string): string | undefined {
    const at = this.lowerBound(key);
    if (!this.keyIs(at, key)) return undefined;
    return this.text.slice(at + key.length + 2, this.text.indexOf("\n", at));
  }

  has(key: string): boolean {
    return this.keyIs(this.lowerBound(key), key);
  }

  /**
   * The address whose id lower-cased is `id`, as the map turned around (id lower-cased → address)
   * answers: of several lines with that id, the last. Found through a table of line offsets hashed
   * in place, so no string is made per entry.
   */
  addressOfId(id: string): string | undefined {
    const { text } = this;
    // No id holds an upper-case letter: a few ids are found by searching the text as it is.
    if (!this.idTable && !this.hasUpperCaseIds() && this.searches < TEXT_SEARCHES) {
      this.searches += 1;
      // Only a plain id in lower case can be an id of the map lower-cased.
      if (id === "" || !isAlnum(id.charCodeAt(0)) || /[^a-z0-9._/@+-]/.test(id)) return undefined;
      const needle = `: ${id}\n`;
      let at = text.indexOf(needle, this.scan.bodyStart);
      if (at < 0) return undefined;
      // Of several lines with that id, the last.
      for (let next = text.indexOf(needle, at + 1); next >= 0; next = text.indexOf(needle, next + 1)) at = next;
      return text.slice(text.lastIndexOf("\n", at) + 1, at);
    }
    this.idTable ??= this.buildIdTable();
    const table = this.idTable;
    const mask = table.length - 1;
    for (let slot = hashOf(id, 0, id.length, false) & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot] as number;
      if (entry === 0) return undefined;
      const colon = text.indexOf(": ", entry - 1);
      if (sameLowerCased(text, colon + 2, text.indexOf("\n", colon), id)) return text.slice(entry - 1, colon);
    }
  }

  private buildIdTable(): Int32Array {
    const { text } = this;
    let size = 1;
    while (size < this.scan.count * 2) size <<= 1;
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let at = this.scan.bodyStart; at < text.length; ) {
      const end = text.indexOf("\n", at);
      const value = text.indexOf(": ", at) + 2;
      for (let slot = hashOf(text, value, end, true) & mask; ; slot = (slot + 1) & mask) {
        const entry = table[slot] as number;
        if (entry === 0) {
          table[slot] = at + 1;
          break;
        }
        // The same id on an earlier line: the later line wins.
        const other = text.indexOf(": ", entry - 1) + 2;
        if (sameValues(text, other, text.indexOf("\n", other), value, end)) {
          table[slot] = at + 1;
          break;
        }
      }
      at = end + 1;
    }
    return table;
  }

  /** The entries whose address starts with `prefix` (`group/`), in order. */
  *withPrefix(prefix: string): IterableIterator<[string, string]> {
    const { text } = this;
    for (let at = this.lowerBound(prefix); at < text.length && text.startsWith(prefix, at); ) {
      const end = text.indexOf("\n", at);
      const colon = text.indexOf(": ", at);
      yield [text.slice(at, colon), text.slice(colon + 2, end)];
      at = end + 1;
    }
  }

  /** Line starts of the entries whose address starts with `prefix`: [first, end). */
  rangeOf(prefix: string): { start: number; end: number } {
    const start = this.lowerBound(prefix);
    // The first address past the prefix: the prefix with its last character raised by one.
    const after = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    return { start, end: this.lowerBound(after) };
  }

  *entries(): IterableIterator<[string, string]> {
    const { text } = this;
    for (let at = this.scan.bodyStart; at < text.length; ) {
      const end = text.indexOf("\n", at);
      const colon = text.indexOf(": ", at);
      yield [text.slice(at, colon), text.slice(colon + 2, end)];
      at = end + 1;
    }
  }

  *keys(): IterableIterator<string> {
    const { text } = this;
    for (let at = this.scan.bodyStart; at < text.length; at = text.indexOf("\n", at) + 1) yield text.slice(at, text.indexOf(": ", at));
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  forEach(callback: (value: string, key: string, map: ReadonlyMap<string, string>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}
