/**
 * An id map as a few changes over another, without copying it: a sync of one change to a tenant of
 * 100,000 objects reads, looks up and records ids through these instead of copying the whole map
 * for each step (README "Incremental sync"). `edits` sets an address's id, or removes it (`null`).
 */
export class EditedIdMap implements ReadonlyMap<string, string> {
  readonly base: ReadonlyMap<string, string>;
  readonly edits: ReadonlyMap<string, string | null>;
  private counted: number | undefined;

  constructor(base: ReadonlyMap<string, string>, edits: ReadonlyMap<string, string | null>) {
    // Edits over edits are merged, so lookups never walk a chain.
    if (base instanceof EditedIdMap) {
      this.base = base.base;
      this.edits = new Map([...base.edits, ...edits]);
    } else {
      this.base = base;
      this.edits = edits;
    }
  }

  get(key: string): string | undefined {
    const edited = this.edits.get(key);
    if (edited === null) return undefined;
    return edited ?? this.base.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  get size(): number {
    if (this.counted === undefined) {
      let size = this.base.size;
      for (const [key, id] of this.edits) {
        const before = this.base.has(key);
        if (id === null && before) size--;
        else if (id !== null && !before) size++;
      }
      this.counted = size;
    }
    return this.counted;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const [key, id] of this.base) {
      const edited = this.edits.get(key);
      if (edited === undefined) yield [key, id];
      else if (edited !== null) yield [key, edited];
    }
    for (const [key, id] of this.edits) if (id !== null && !this.base.has(key)) yield [key, id];
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<string> {
    for (const [, id] of this.entries()) yield id;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  forEach(callback: (value: string, key: string, map: ReadonlyMap<string, string>) => void, thisArg?: unknown): void {
    for (const [key, id] of this.entries()) callback.call(thisArg, id, key, this);
  }
}

/**
 * The addresses where two maps may differ: the keys of their edits when both are edits over the
 * same map (or that map itself); undefined when they share nothing and must be compared whole.
 */
export function keysThatMayDiffer(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): Set<string> | undefined {
  const baseOf = (map: ReadonlyMap<string, string>): ReadonlyMap<string, string> => (map instanceof EditedIdMap ? map.base : map);
  if (baseOf(a) !== baseOf(b)) return undefined;
  const keys = new Set<string>();
  for (const map of [a, b]) if (map instanceof EditedIdMap) for (const key of map.edits.keys()) keys.add(key);
  return keys;
}
