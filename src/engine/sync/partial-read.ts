/**
 * An incremental sync's read and tree (README "Incremental sync"): the committed documents it may
 * change (and only those) seeded into the scratch folder, the objects it reads again, the names a
 * new object may not take, and what the directory index must know of the objects not read (their
 * names from the id map, the appIds of managed applications and service principals that read
 * objects name), so a document comes out exactly as a full read writes it.
 */
import { normalizeFolder, parseDocumentPath } from "../../git/paths.js";
import type { JsonObject, JsonValue } from "../../model/document.js";
import type { GitRepository } from "../../git/repository.js";
import { listTreeText } from "../../git/tree.js";
import { DOCUMENT_EXTENSION } from "../../model/document-path.js";
import { readBlobs } from "../../git/blobs.js";
import { filesContaining } from "../../git/grep.js";
import type { GraphGateway } from "../../graph/types.js";
import type { Kind } from "../../model/kind.js";
import { address as addressOf, isKind, parseAddress } from "../../model/kind.js";
import { prefixOfKind } from "../../kinds/registry.js";
import type { KindDescriptor } from "../../kinds/types.js";
import type { NameSet } from "../../kinds/naming.js";
import type { DirectoryIndex } from "../snapshot/directory-index.js";
import { readObjectsById } from "../snapshot/read-kind.js";
import type { RawObject } from "../snapshot/read-kind.js";
import { addManagedPermissions, unknownAppIds } from "../snapshot/service-principal-lookup.js";
import type { PartialRead } from "../snapshot/snapshot.js";
import { hasDelta } from "./incremental-read.js";
import { SortedIdMap } from "../../state/sorted-id-map.js";
import type { ReadDecision } from "./incremental-read.js";

type Incremental = Extract<ReadDecision, { mode: "incremental" }>;

/**
 * The documents of one kind at HEAD: their names (a set), each with its blob. Kept by address
 * (`KIND/NAME`, a slice of git's listing): the id map's keys are addresses too, so the two are
 * compared without building a string per document.
 */
export class DocumentNames implements ReadonlySet<string> {
  constructor(
    readonly kind: Kind,
    /** Address → where its blob's id starts in `listing` (no string is made per document until asked). */
    readonly byAddress: ReadonlyMap<string, number>,
    /** git's listing of the folder the offsets point into. */
    private readonly listing: string,
  ) {}

  /** The blob of the document `name`. */
  blob(name: string): string | undefined {
    const at = this.byAddress.get(`${this.kind}/${name}`);
    return at === undefined ? undefined : this.listing.slice(at, this.listing.indexOf("\t", at));
  }

  has(name: string): boolean {
    return this.byAddress.has(`${this.kind}/${name}`);
  }

  get size(): number {
    return this.byAddress.size;
  }

  *keys(): IterableIterator<string> {
    const skip = this.kind.length + 1;
    for (const address of this.byAddress.keys()) yield address.slice(skip);
  }

  values(): IterableIterator<string> {
    return this.keys();
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of this.keys()) yield [name, name];
  }

  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const name of this.keys()) callback.call(thisArg, name, name, this);
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.keys();
  }
}

/**
 * The committed folder at HEAD by path, without reading the files: document names and blobs by
 * kind (one map entry per document, built from git's listing without parsing each path on its
 * own: a folder of 100,000 documents), and the blobs of any other file under the folder.
 */
export interface CommittedTree {
  /** Document names by kind. */
  names: Map<Kind, DocumentNames>;
  /** Whether a document `KIND/NAME` exists. */
  addresses: { has(address: string): boolean };
  /** The blob of a repository-relative path, if it is a file under the folder. */
  blob(path: string): string | undefined;
}

export async function committedTree(repo: GitRepository, head: string, folder: string): Promise<CommittedTree> {
  const byKind = new Map<Kind, Map<string, number>>();
  const others = new Map<string, string>();
  let text = "";
  if (head) {
    text = await listTreeText(repo, head, folder);
    const clean = normalizeFolder(folder);
    const prefix = clean === "" ? "" : `${clean}/`;
    // The entries of one kind folder come one after another (git lists them sorted by path).
    let kindStart = "";
    let kindBlobs: Map<string, number> | undefined;
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf("\0", start);
      if (end < 0) end = text.length;
      const space = text.indexOf(" ", start);
      const tab = text.indexOf("\t", start);
      const entry = start;
      start = end + 1;
      // `<mode> SP blob SP <object> TAB <path>` NUL.
      if (!(space > entry && tab > space && tab < end && text.startsWith(" blob ", space))) continue;
      const at = tab + 1;
      if (!(kindStart !== "" && text.startsWith(kindStart, at))) {
        kindBlobs = undefined;
        kindStart = "";
        const slash = text.indexOf("/", at + prefix.length);
        const kind = text.startsWith(prefix, at) && slash > at + prefix.length && slash < end ? text.slice(at + prefix.length, slash) : undefined;
        if (kind !== undefined && isKind(kind)) {
          kindStart = `${prefix}${kind}/`;
          kindBlobs = byKind.get(kind);
          if (!kindBlobs) byKind.set(kind, (kindBlobs = new Map()));
        }
      }
      const nameAt = at + kindStart.length;
      const named = kindBlobs !== undefined && end - nameAt > DOCUMENT_EXTENSION.length && text.startsWith(DOCUMENT_EXTENSION, end - DOCUMENT_EXTENSION.length);
      const slash = named ? text.indexOf("/", nameAt) : -1;
      // The address `KIND/NAME` is the path less the folder and the extension.
      if (kindBlobs && named && (slash < 0 || slash >= end)) kindBlobs.set(text.slice(at + prefix.length, end - DOCUMENT_EXTENSION.length), space + 6);
      else others.set(text.slice(at, end), text.slice(space + 6, tab));
    }
  }
  const names = new Map([...byKind].map(([kind, blobs]) => [kind, new DocumentNames(kind, blobs, text)]));
  let lastKind: { prefix: string; blobs: Map<string, number> } | undefined;
  return {
    names,
    addresses: {
      has: (address) => {
        // Asked for every id of the map in turn: addresses of one kind come one after another.
        if (lastKind && address.startsWith(lastKind.prefix)) return lastKind.blobs.has(address);
        const slash = address.indexOf("/");
        const blobs = slash > 0 ? byKind.get(address.slice(0, slash) as Kind) : undefined;
        if (!blobs) return false;
        lastKind = { prefix: address.slice(0, slash + 1), blobs };
        return blobs.has(address);
      },
    },
    blob: (path) => {
      const where = parseDocumentPath(folder, path);
      return (where ? names.get(where.kind)?.blob(where.name) : undefined) ?? others.get(path);
    },
  };
}

/** Object id (lower case) → address: which document a delta item or audit target is. */
export interface AddressById {
  get(id: string): string | undefined;
}

/** Lookups answered by searching the id map's text before the whole map is turned around. */
const TEXT_LOOKUPS = 16;

/**
 * Object id (lower case) → address, from the id map. A sync of a few changes looks up a few ids:
 * with the map's canonical text (`KEY: VALUE` lines, ASCII), those are found by searching the text
 * (the line ending in `: <id>`, checked against the map); only past a few lookups, or when the
 * text cannot answer exactly, is the whole map turned around.
 */
export function addressesById(ids: ReadonlyMap<string, string>, text?: { text: string | undefined; canonical: boolean }): AddressById {
  // A map read in place from its text has its own index of ids.
  if (ids instanceof SortedIdMap) return { get: (id) => ids.addressOfId(id) };
  let reversed: Map<string, string> | undefined;
  let lowered: string | undefined;
  let lookups = 0;
  const reverse = (): Map<string, string> => {
    if (!reversed) {
      reversed = new Map<string, string>();
      for (const [address, id] of ids) reversed.set(id.toLowerCase(), address);
    }
    return reversed;
  };
  // The text answers only for the map it holds: as many entry lines as the map has entries.
  let matches: boolean | undefined;
  const entryLines = (body: string): number => {
    let count = 0;
    for (let at = body.indexOf("\n"); at >= 0 && at + 1 < body.length; at = body.indexOf("\n", at + 1)) if (body.charCodeAt(at + 1) !== 0x23 /* # */) count += 1;
    return count;
  };
  const search = (id: string): string | undefined | null => {
    if (!text?.canonical || text.text === undefined || /[\s:]/.test(id)) return null;
    matches ??= entryLines(text.text) === ids.size;
    if (!matches) return null;
    lowered ??= text.text.toLowerCase();
    const needle = `: ${id}\n`;
    const at = lowered.indexOf(needle);
    if (at < 0) return undefined;
    // Another line with the same id: the map's last one wins, as when it is turned around.
    if (lowered.indexOf(needle, at + 1) >= 0) return null;
    const address = text.text.slice(text.text.lastIndexOf("\n", at) + 1, at);
    return ids.get(address)?.toLowerCase() === id ? address : null;
  };
  return {
    get(id) {
      if (!reversed && lookups < TEXT_LOOKUPS) {
        lookups += 1;
        const found = search(id);
        if (found !== null) return found;
      }
      return reverse().get(id);
    },
  };
}

/** The files at HEAD of these paths (those that exist). */
export async function readCommitted(repo: GitRepository, tree: CommittedTree, paths: Iterable<string>): Promise<Map<string, string>> {
  const blobs = new Map<string, string>();
  for (const path of paths) {
    const blob = tree.blob(path);
    if (blob !== undefined) blobs.set(path, blob);
  }
  const wanted = [...blobs.keys()].sort();
  const contents = await readBlobs(repo, [...blobs.values()]);
  return new Map(wanted.map((p) => [p, (contents.get(blobs.get(p) as string) ?? Buffer.alloc(0)).toString("utf8")]));
}

/** Addresses of the documents at `head` under `folder` that contain any of the texts (`git grep -F`). */
export async function documentsContaining(repo: GitRepository, head: string, folder: string, texts: readonly string[]): Promise<string[]> {
  if (texts.length === 0 || !head) return [];
  const out: string[] = [];
  for (const path of await filesContaining(repo, head, folder, texts)) {
    const where = parseDocumentPath(folder, path);
    if (where) out.push(addressOf(where.kind, where.name));
  }
  return out;
}

/**
 * The id map against the documents at HEAD, in one walk of the map's addresses (no map or set of
 * them is built): the ids whose documents are absent, and how many documents of each kind have an
 * id. A document without an id is then looked for only in a kind where that count falls short of
 * its documents (the usual case: none).
 */
export interface IdCoverage {
  /** Addresses in the id map with no document at HEAD, in the map's order. */
  idsWithoutDocuments: string[];
  /** Documents with an id, by kind. */
  withId: Map<Kind, number>;
}

export function idCoverage(ids: ReadonlyMap<string, string>, tree: Pick<CommittedTree, "names">): IdCoverage {
  const idsWithoutDocuments: string[] = [];
  const withId = new Map<Kind, number>();
  // The addresses of one kind come one after another in a sorted map: its documents are looked up once per kind.
  let prefix = "";
  let documents: ReadonlyMap<string, number> | undefined;
  let kind: Kind | undefined;
  let count = 0;
  const flush = (): void => {
    if (kind !== undefined && count > 0) withId.set(kind, (withId.get(kind) ?? 0) + count);
    count = 0;
  };
  if (ids instanceof SortedIdMap) return sortedIdCoverage(ids, tree);
  for (const address of ids.keys()) {
    if (prefix === "" || !address.startsWith(prefix)) {
      flush();
      const slash = address.indexOf("/");
      prefix = slash > 0 ? address.slice(0, slash + 1) : "";
      kind = slash > 0 && isKind(address.slice(0, slash)) ? (address.slice(0, slash) as Kind) : undefined;
      documents = kind ? tree.names.get(kind)?.byAddress : undefined;
    }
    if (documents?.has(address)) count += 1;
    else idsWithoutDocuments.push(address);
  }
  flush();
  return { idsWithoutDocuments, withId };
}

/** `idCoverage` of a map read in place: each kind's run of lines walked in the text, only its addresses sliced. */
function sortedIdCoverage(ids: SortedIdMap, tree: Pick<CommittedTree, "names">): IdCoverage {
  const idsWithoutDocuments: string[] = [];
  const withId = new Map<Kind, number>();
  const { text } = ids;
  for (let at = ids.lowerBound(""); at < text.length; ) {
    // The map's text is canonical: every key is `KIND/NAME` of a known kind.
    const slash = text.indexOf("/", at);
    const kind = text.slice(at, slash) as Kind;
    const { end } = ids.rangeOf(text.slice(at, slash + 1));
    const documents = tree.names.get(kind)?.byAddress;
    let count = 0;
    for (; at < end; at = text.indexOf("\n", at) + 1) {
      const address = text.slice(at, text.indexOf(": ", at));
      if (documents?.has(address)) count += 1;
      else idsWithoutDocuments.push(address);
    }
    if (count > 0) withId.set(kind, count);
  }
  return { idsWithoutDocuments, withId };
}

/**
 * The documents an incremental read may change: those of the objects read again or removed, every
 * document of a kind read whole, and documents of delta kinds with no id yet (a new object takes
 * the name of the one with its natural key).
 */
export function touchedAddresses(decision: Incremental, ids: ReadonlyMap<string, string>, byId: AddressById, tree: CommittedTree, coverage: IdCoverage): Set<string> {
  const touched = new Set<string>();
  for (const map of [decision.objects, decision.removed]) {
    for (const ids of map.values()) {
      for (const id of ids) {
        const address = byId.get(id);
        if (address) touched.add(address);
      }
    }
  }
  for (const [kind, names] of tree.names) {
    const whole = decision.whole.has(kind);
    if (!whole && !hasDelta(kind)) continue;
    // Every document of the kind has an id: none to look for.
    if (!whole && (coverage.withId.get(kind) ?? 0) === names.size) continue;
    for (const address of names.byAddress.keys()) if (whole || !ids.has(address)) touched.add(address);
  }
  return touched;
}

/**
 * Names at HEAD a new object may not take: every document not seeded into the scratch folder
 * (looked up in the committed tree, not copied).
 */
export function reservedNames(tree: CommittedTree, touched: ReadonlySet<string>): Map<Kind, NameSet> {
  const reserved = new Map<Kind, NameSet>();
  for (const [kind, names] of tree.names) reserved.set(kind, { has: (name) => names.has(name) && !touched.has(addressOf(kind, name)) });
  return reserved;
}

/** The snapshot's incremental read: by id for delta kinds, whole kinds as usual, nothing of the others. */
export function partialRead(gateway: GraphGateway, descriptors: readonly KindDescriptor[], decision: Incremental, ids: ReadonlyMap<string, string>): PartialRead {
  const requested = new Map<Kind, Set<string>>();
  return {
    read(descriptor, scope) {
      if (decision.whole.has(descriptor.kind)) return undefined;
      const wanted = decision.objects.get(descriptor.kind);
      if (!hasDelta(descriptor.kind) || !wanted || wanted.size === 0) return Promise.resolve([]);
      requested.set(descriptor.kind, wanted);
      return readObjectsById(gateway, descriptor, [...wanted], scope);
    },
    async completeIndex(index, raw) {
      // Objects asked for and not returned are gone (or no longer managed): their ids name nothing, as in a full read.
      const gone = new Set<string>();
      for (const [kind, wanted] of requested) {
        const found = new Set((raw.get(kind) ?? []).map((o) => o.id.toLowerCase()));
        for (const id of wanted) if (!found.has(id)) gone.add(id);
      }
      for (const removed of decision.removed.values()) for (const id of removed) gone.add(id);
      // Kinds referenced by a key (users by UPN) are named from the objects read, not by document
      // name: only the entries of the other kinds read are looked at (by their address's start,
      // without parsing each of 100,000 addresses).
      const named = descriptors.flatMap((d) => {
        const prefix = prefixOfKind(d.kind);
        return raw.has(d.kind) && !d.nameFromReferences && d.reference?.key === undefined && prefix ? [{ kind: d.kind, start: `${d.kind}/`, prefix }] : [];
      });
      const nameOf = new Map<string, { kind: Kind; name: string }>();
      for (const [address, id] of named.length === 0 ? [] : entriesStartingWith(ids, named.map((k) => k.start))) {
        const kind = named.find((k) => address.startsWith(k.start));
        const parsed = kind ? parseAddress(address) : undefined;
        const lower = id.toLowerCase();
        if (!kind || !parsed || gone.has(lower)) continue;
        nameOf.set(lower, parsed);
        if (!index.knows(id)) index.add(kind.prefix, parsed.name, id);
      }
      await addManagedAppIds(gateway, index, descriptors, raw, nameOf);
    },
  };
}

/**
 * The map's entries whose address starts with one of `prefixes` (`group/`), in the map's order:
 * for a sorted map, only those runs of its lines are read.
 */
function entriesStartingWith(ids: ReadonlyMap<string, string>, prefixes: readonly string[]): Iterable<[string, string]> {
  if (!(ids instanceof SortedIdMap)) return ids;
  // Each prefix ends with a slash: their runs are disjoint, and in the order of the prefixes sorted.
  return [...prefixes].sort().flatMap((prefix) => [...ids.withPrefix(prefix)]);
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** appIds the read objects name that belong to managed applications or service principals not read: their appIds and permissions. */
async function addManagedAppIds(
  gateway: GraphGateway,
  index: DirectoryIndex,
  descriptors: readonly KindDescriptor[],
  raw: ReadonlyMap<Kind, RawObject[]>,
  nameOf: ReadonlyMap<string, { kind: Kind; name: string }>,
): Promise<void> {
  const bodies = new Map([...raw].map(([kind, objects]) => [kind as string, objects.map((o) => o.body)]));
  const appIds = unknownAppIds(descriptors, bodies, index);
  if (appIds.length === 0) return;
  const lookups: Array<[Kind, string, string]> = [
    ["application", "/applications", "id,appId,appRoles,api"],
    ["servicePrincipal", "/servicePrincipals", "id,appId,appRoles,oauth2PermissionScopes"],
  ];
  for (const [kind, path, select] of lookups) {
    if (!descriptors.some((d) => d.kind === kind)) continue;
    const prefix = prefixOfKind(kind);
    if (!prefix) continue;
    for (let start = 0; start < appIds.length; start += 15) {
      const chunk = appIds.slice(start, start + 15);
      const found: JsonObject[] = await gateway.list(path, { query: { $filter: `appId in (${chunk.map((a) => `'${a}'`).join(",")})`, $select: select } });
      for (const body of found) {
        const id = text(body.id);
        const appId = text(body.appId);
        const managed = id ? nameOf.get(id.toLowerCase()) : undefined;
        if (!id || !appId || managed?.kind !== kind) continue;
        index.add(prefix, managed.name, id, appId);
        addManagedPermissions(index, kind, [body]);
      }
    }
  }
}

/** The credential metadata after an incremental read: the committed map with the documents it read replaced. */
export function mergedTenantState(committed: ReadonlyMap<string, JsonObject>, touched: ReadonlySet<string>, read: ReadonlyMap<string, JsonObject>): Map<string, JsonObject> {
  const merged = new Map([...committed].filter(([address]) => !touched.has(address)));
  for (const [address, state] of read) merged.set(address, state);
  return new Map([...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
