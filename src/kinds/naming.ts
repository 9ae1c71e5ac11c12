/**
 * Document names proposed for live objects: a stable slug of the display name, and collision
 * handling for export (two objects with the same display name get a short id suffix).
 */

export const MAX_NAME_LENGTH = 100;
const FALLBACK = "unnamed";

/**
 * Lower-case ASCII slug: accents stripped, every run of other characters collapsed to one `-`,
 * no leading/trailing dash, at most 100 characters (cut at a dash when possible). `fallback` (or
 * "unnamed") when nothing is left, e.g. for a display name in a non-Latin script.
 */
export function slugify(text: string, fallback: string = FALLBACK): string {
  // eslint-disable-next-line no-control-regex
  const plain = /^[\x00-\x7f]*$/.test(text);
  const ascii = (plain ? text : text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "")).toLowerCase();
  let slug = ascii.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  if (slug.length > MAX_NAME_LENGTH) {
    const cut = slug.slice(0, MAX_NAME_LENGTH);
    const dash = cut.lastIndexOf("-");
    slug = (dash > MAX_NAME_LENGTH / 2 ? cut.slice(0, dash) : cut).replace(/-+$/, "");
  }
  return slug.length > 0 ? slug : fallback;
}

/** A short, stable suffix from an object id: its first `length` letters and digits, lower-case. */
export function idSuffix(id: string, length = 8): string {
  const compact = id.toLowerCase().replace(/[^a-z0-9]/g, "");
  return compact.slice(0, length) || "x";
}

/** Names that are taken: only looked up. */
export type NameSet = Pick<ReadonlySet<string>, "has">;

export interface NameCandidate {
  /** Object id in the tenant (or another stable key). */
  id: string;
  /** The descriptor's proposal (`descriptor.documentName(spec)`). */
  proposed: string;
}

/**
 * Final document names for one kind, by object id. Objects already named in the repository keep
 * their name (`existing`, id → name), so a new look-alike never renames an old file. Among the
 * others, a proposal used once takes it as is; colliding proposals all get `-<id prefix>`
 * (lengthened until unique), so the result does not depend on the order objects were read in.
 */
export function assignDocumentNames(
  candidates: readonly NameCandidate[],
  existing: ReadonlyMap<string, string> = new Map(),
  reserved: NameSet = new Set(),
): Map<string, string> {
  const result = new Map<string, string>();
  // The reserved names are looked up, not copied (an incremental sync reserves 100,000 of them).
  const names = new Set<string>();
  const taken = { has: (name: string): boolean => names.has(name) || reserved.has(name), add: (name: string): void => void names.add(name) };
  const sorted = [...candidates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const { id } of sorted) {
    const name = existing.get(id);
    if (name !== undefined && !taken.has(name)) {
      result.set(id, name);
      taken.add(name);
    }
  }
  const pending = sorted.filter((c) => !result.has(c.id));
  const counts = new Map<string, number>();
  for (const c of pending) counts.set(c.proposed, (counts.get(c.proposed) ?? 0) + 1);
  for (const c of pending) {
    if (counts.get(c.proposed) === 1 && !taken.has(c.proposed)) {
      result.set(c.id, c.proposed);
      taken.add(c.proposed);
      continue;
    }
    let length = 8;
    let name = `${c.proposed}-${idSuffix(c.id, length)}`;
    while (taken.has(name) && length < 64) {
      length += 4;
      name = `${c.proposed}-${idSuffix(c.id, length)}`;
    }
    let n = 2;
    const base = name;
    while (taken.has(name)) name = `${base}-${n++}`;
    result.set(c.id, name);
    taken.add(name);
  }
  return result;
}
