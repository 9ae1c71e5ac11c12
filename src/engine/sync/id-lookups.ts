/**
 * The id map as an incremental sync asks it (README "Incremental sync"): which document an object id
 * is, and which ids have no document at HEAD, without turning the whole map around.
 */
import type { Kind } from "../../model/kind.js";
import { isKind } from "../../model/kind.js";
import type { CommittedTree, KindDocuments } from "./committed-tree.js";
import { SortedIdMap } from "../../state/sorted-id-map.js";

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
  let documents: KindDocuments | undefined;
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
      documents = kind ? tree.names.get(kind) : undefined;
    }
    if (documents?.hasAddress(address)) count += 1;
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
    const documents = tree.names.get(kind);
    let count = 0;
    for (; at < end; at = text.indexOf("\n", at) + 1) {
      const address = text.slice(at, text.indexOf(": ", at));
      if (documents?.hasAddress(address)) count += 1;
      else idsWithoutDocuments.push(address);
    }
    if (count > 0) withId.set(kind, count);
  }
  return { idsWithoutDocuments, withId };
}
