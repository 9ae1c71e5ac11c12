/**
 * An incremental sync's read (README "Incremental sync"; the committed tree and the id map's lookups
 * are `committed-tree.ts` and `id-lookups.ts`): the committed documents it may
 * change (and only those) put in the folder the export writes into (held in memory), the objects it reads again, the names a
 * new object may not take, and what the directory index must know of the objects not read (their
 * names from the id map, the appIds of managed applications and service principals that read
 * objects name), so a document comes out exactly as a full read writes it.
 */
import type { JsonObject, JsonValue } from "../../model/document.js";
import type { GraphGateway } from "../../graph/types.js";
import type { Kind } from "../../model/kind.js";
import { address as addressOf, parseAddress } from "../../model/kind.js";
import { prefixOfKind } from "../../kinds/registry.js";
import type { KindDescriptor } from "../../kinds/types.js";
import type { NameSet } from "../../kinds/naming.js";
import type { DirectoryIndex } from "../snapshot/directory-index.js";
import { readObjectsById } from "../snapshot/read-kind.js";
import type { RawObject } from "../snapshot/read-kind.js";
import { addManagedPermissions, unknownAppIds } from "../snapshot/service-principal-lookup.js";
import type { PartialRead } from "../snapshot/snapshot.js";
import { unknownIds } from "../snapshot/snapshot.js";
import { hasDelta } from "./incremental-read.js";
import { SortedIdMap } from "../../state/sorted-id-map.js";
import type { ReadDecision } from "./incremental-read.js";

import type { CommittedTree } from "./committed-tree.js";
import type { AddressById, IdCoverage } from "./id-lookups.js";

type Incremental = Extract<ReadDecision, { mode: "incremental" }>;

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
    for (const address of names.addresses()) if (whole || !ids.has(address)) touched.add(address);
  }
  return touched;
}

/**
 * Names at HEAD a new object may not take: every document not put in the export's folder
 * (looked up in the committed tree, not copied).
 */
export function reservedNames(tree: CommittedTree, touched: ReadonlySet<string>): Map<Kind, NameSet> {
  const reserved = new Map<Kind, NameSet>();
  for (const [kind, names] of tree.names) reserved.set(kind, { has: (name) => names.has(name) && !touched.has(addressOf(kind, name)) });
  return reserved;
}

/** The snapshot's incremental read: by id for delta kinds, whole kinds as usual, nothing of the others. */
/**
 * `referencedOnly` (sync, which only names the ids the objects read refer to, README "Incremental
 * sync"): the index is completed with the objects not read that those references name (and every
 * managed application and service principal, which appIds are matched against), not with every
 * entry of the kinds read; `drift` plans documents whose references by name need them all.
 */
export function partialRead(gateway: GraphGateway, descriptors: readonly KindDescriptor[], decision: Incremental, ids: ReadonlyMap<string, string>, options: { referencedOnly?: boolean } = {}): PartialRead {
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
      const referenced = options.referencedOnly ? new Set(unknownIds(descriptors, raw, index, new Map())) : undefined;
      const appKinds = new Set<string>(["application/", "servicePrincipal/"]);
      for (const [address, id] of named.length === 0 ? [] : entriesStartingWith(ids, named.map((k) => k.start))) {
        if (referenced && !referenced.has(id.toLowerCase()) && !appKinds.has(address.slice(0, address.indexOf("/") + 1))) continue;
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
