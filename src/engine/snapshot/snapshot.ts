import type { EntraDocument, JsonObject } from "../../model/document.js";
import { isGuid } from "../../kinds/reference-syntax.js";
import type { GraphGateway } from "../../graph/types.js";
import type { Kind } from "../../model/kind.js";
import { assignDocumentNames } from "../../kinds/naming.js";
import type { NameSet } from "../../kinds/naming.js";
import { kindOfPrefix, naturalKeyValue } from "../../kinds/registry.js";
import { allReferenceFields, normalizeLive } from "../../kinds/normalize.js";
import { setAtIndexedPath, visitPath } from "../../kinds/paths.js";
import type { KindDescriptor } from "../../kinds/types.js";
import { DirectoryIndex } from "./directory-index.js";
import { lookUpDirectoryObjects } from "./directory-lookup.js";
import { lookUpTenantNames } from "./tenant-names.js";
import { addManagedPermissions, lookUpResourcesById, lookUpServicePrincipals, unknownAppIds, unknownResourceIds } from "./service-principal-lookup.js";
import { checkBetaOnly, needsBetaCheck } from "./beta-only.js";
import type { BetaCheck } from "./beta-only.js";
import { listKind, listsPlainly, readKind } from "./read-kind.js";
import type { RawObject, ReadHooks } from "./read-kind.js";
import { addKindToIndex, FinalAnswers, streamable } from "./streamed-documents.js";
import type { IdResolver } from "../../kinds/references.js";

/** A live object in document form, with what the writer needs for comments. */
export interface LiveDocument extends EntraDocument {
  /** Indexed spec path → display name, for GUIDs of objects not managed here. */
  annotations: Record<string, string>;
}

export interface Snapshot {
  documents: LiveDocument[];
  /** Kinds whose read failed, with the reason: never treated as "everything deleted". */
  failed: Map<Kind, string>;
  /** Kinds read successfully. */
  read: Kind[];
  /** Ids ↔ names of this tenant, for apply and restore. */
  index: DirectoryIndex;
  /** Raw Graph objects by kind (for fingerprints and restore). */
  raw: Map<Kind, RawObject[]>;
  /**
   * Kinds read through v1.0 whose beta API is richer: the objects with beta-only properties set
   * (invisible in their documents), or why that could not be checked.
   */
  betaChecks: BetaCheck[];
}

export interface SnapshotOptions {
  /** Existing document names by kind and id, so a re-export never renames a file. */
  existingNames?: ReadonlyMap<Kind, ReadonlyMap<string, string>>;
  /**
   * Names of documents that carry no id yet (written by hand, then created by apply), by kind and
   * lower-cased natural key: the object they created keeps the document's name instead of getting
   * one from its display name.
   */
  namesByKey?: ReadonlyMap<Kind, ReadonlyMap<string, string>>;
  /** Names a new object may not take: documents of other environments only (README "Several tenants"). */
  reservedNames?: ReadonlyMap<Kind, NameSet>;
  onKind?: (kind: Kind, count: number | Error) => void;
  /**
   * The configured kinds (default: the kinds read). A kind's `linkCompanion` is read when it names
   * one of them, so narrowing a run with `--kinds` does not change what a group's members are.
   */
  scope?: ReadonlySet<Kind>;
  /**
   * Documents of a kind that are final as soon as that kind is read (it has no reference fields,
   * so no other kind and no directory look-up can change them), handed over while later kinds are
   * still being read: an export writes them in the meantime. Not awaited. The same documents are
   * also part of the snapshot's `documents`.
   */
  onEarlyDocuments?: (kind: Kind, documents: LiveDocument[]) => void;
  /**
   * An incremental read (README "Incremental sync"): the objects to read of a kind instead of all
   * of them (undefined: the whole kind), and what the index must know of the objects not read
   * (their names and appIds), added before any id is looked up.
   */
  partial?: PartialRead;
  /**
   * Documents of a kind with relationships (groups) handed over one by one while that kind is still
   * read, each as soon as it is final: all its references name objects already read
   * (streamed-documents.ts); the others come at the end as usual. Not awaited. The same documents
   * are part of `documents` if the kind is read completely; they are not to be used if the kind
   * ends up failed or withheld (not in `read`).
   */
  onStreamedDocument?: (document: LiveDocument) => void;
}

export interface PartialRead {
  /** `scope`: the kinds read (a kind's `linkCompanion` depends on them). */
  read(descriptor: KindDescriptor, scope: ReadonlySet<Kind>): Promise<RawObject[]> | undefined;
  completeIndex(index: DirectoryIndex, raw: ReadonlyMap<Kind, RawObject[]>): Promise<void>;
}

/** Reads the kinds in scope, in dependency order, into documents (docs/design.md §2, ARCHITECTURE.md). */
export async function takeSnapshot(
  gateway: GraphGateway,
  descriptors: readonly KindDescriptor[],
  options: SnapshotOptions = {},
): Promise<Snapshot> {
  const raw = new Map<Kind, RawObject[]>();
  const failed = new Map<Kind, string>();
  const names = new Map<Kind, Map<string, string>>();
  const early = new Map<Kind, LiveDocument[]>();
  const betaChecks: BetaCheck[] = [];
  // With onStreamedDocument: the kinds read so far, and the documents made during their read (not
  // for an incremental read, whose index is only complete at the end).
  const onStreamed = options.partial ? undefined : options.onStreamedDocument;
  const readSoFar = new DirectoryIndex();
  const streamed = new Map<RawObject, LiveDocument>();
  // The next kind's list is asked for while a kind is read (its pages only wait for each other), so
  // the bucket's refill is not left unused while one kind's pages follow each other (README "export").
  let ahead: { kind: Kind; bodies: Promise<JsonObject[]> } | undefined;
  const scope = options.scope ?? new Set(descriptors.map((d) => d.kind));
  for (const [at, descriptor] of descriptors.entries()) {
    const listed = ahead?.kind === descriptor.kind ? ahead.bodies : undefined;
    ahead = undefined;
    const next = descriptors[at + 1];
    if (!options.partial && next && listsPlainly(next)) {
      const bodies = listKind(gateway, next);
      bodies.catch(() => undefined); // its failure is the next kind's, reported in its turn
      ahead = { kind: next.kind, bodies };
    }
    try {
      const hooks: ReadHooks = {};
      if (onStreamed && streamable(descriptor)) {
        hooks.onListed = (objects) => {
          const assigned = assignNames(descriptor, objects, options);
          names.set(descriptor.kind, assigned);
          addKindToIndex(readSoFar, descriptor, objects, assigned);
        };
        hooks.onObject = (object) => {
          const answers = new FinalAnswers(readSoFar);
          const [document] = liveDocuments(descriptor, [object], names.get(descriptor.kind), answers);
          if (!document || !answers.complete) return;
          streamed.set(object, document);
          onStreamed(document);
        };
      }
      const objects = await (options.partial?.read(descriptor, scope) ?? readKind(gateway, descriptor, hooks, listed, scope));
      raw.set(descriptor.kind, objects);
      if (onStreamed && !hooks.onListed && !descriptor.nameFromReferences) {
        const assigned = names.get(descriptor.kind) ?? assignNames(descriptor, objects, options);
        names.set(descriptor.kind, assigned);
        addKindToIndex(readSoFar, descriptor, objects, assigned);
      }
      if (needsBetaCheck(descriptor)) betaChecks.push(await checkBetaOnly(gateway, descriptor, new Map(objects.map((o) => [o.id, o.body]))));
      options.onKind?.(descriptor.kind, objects.length);
      if (options.onEarlyDocuments && allReferenceFields(descriptor).length === 0) {
        const assigned = assignNames(descriptor, objects, options);
        names.set(descriptor.kind, assigned);
        const documents = liveDocuments(descriptor, objects, assigned, new DirectoryIndex());
        early.set(descriptor.kind, documents);
        options.onEarlyDocuments(descriptor.kind, documents);
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      failed.set(descriptor.kind, reason);
      options.onKind?.(descriptor.kind, error instanceof Error ? error : new Error(reason));
    }
  }

  withholdDependents(descriptors, raw, failed, options.onKind);

  // The index of the kinds read so far is the final one when every kind was read (the same kinds,
  // names and order): not built a second time after the read.
  const reuse = onStreamed !== undefined && failed.size === 0;
  const index = reuse ? readSoFar : new DirectoryIndex();
  for (const descriptor of reuse ? [] : descriptors) {
    const objects = raw.get(descriptor.kind);
    if (!objects) continue;
    // Named from its references (role assignments): once every id can be named, below.
    if (descriptor.nameFromReferences) continue;
    const assigned = names.get(descriptor.kind) ?? assignNames(descriptor, objects, options);
    names.set(descriptor.kind, assigned);
    addKindToIndex(index, descriptor, objects, assigned);
  }

  await options.partial?.completeIndex(index, raw);
  const bodies = new Map([...raw].map(([kind, objects]) => [kind as string, objects.map((o) => o.body)]));
  // Resources by id first (names and app roles), so getByIds does not make them mere comments.
  const resourceIds = unknownResourceIds(descriptors, bodies, index);
  if (resourceIds.length > 0) await lookUpResourcesById(gateway, index, resourceIds);
  // A streamed document's references all named objects read: its object has no unknown id.
  await lookUpDirectoryObjects(gateway, index, unknownIds(descriptors, raw, index, streamed));
  for (const kind of ["application", "servicePrincipal"]) addManagedPermissions(index, kind, bodies.get(kind) ?? []);
  await lookUpServicePrincipals(gateway, index, unknownAppIds(descriptors, bodies, index));

  const documents: LiveDocument[] = [];
  for (const descriptor of descriptors) {
    const objects = raw.get(descriptor.kind);
    if (!objects) continue;
    if (descriptor.nameFromReferences) {
      const tenants = descriptor.otherTenantIdProperty ? await lookUpTenantNames(gateway, objects.map((o) => o.body[descriptor.otherTenantIdProperty as string])) : new Map<string, string>();
      documents.push(...namedFromReferences(descriptor, objects, index, options, tenants));
      continue;
    }
    const ready = early.get(descriptor.kind);
    if (ready) documents.push(...ready);
    else for (const object of objects) documents.push(streamed.get(object) ?? (liveDocuments(descriptor, [object], names.get(descriptor.kind), index)[0] as LiveDocument));
  }
  return { documents, failed, read: [...raw.keys()], index, raw, betaChecks };
}

/**
 * A kind whose references point at a kind that failed to read cannot name its targets: its ids
 * would come out as GUIDs instead of `group:<name>`. Such a kind is treated as failed too (in
 * dependency order, so the rule carries through chains), with a reason naming the kind it waits
 * for: nothing that depends on a failed read is written, committed or planned.
 */
function withholdDependents(
  descriptors: readonly KindDescriptor[],
  raw: Map<Kind, RawObject[]>,
  failed: Map<Kind, string>,
  onKind: SnapshotOptions["onKind"],
): void {
  for (const descriptor of descriptors) {
    if (!raw.has(descriptor.kind)) continue;
    const missing = new Set<Kind>();
    for (const field of allReferenceFields(descriptor)) {
      for (const prefix of field.targets) {
        const target = kindOfPrefix(prefix);
        if (target && target !== descriptor.kind && failed.has(target)) missing.add(target);
      }
    }
    if (missing.size === 0) continue;
    const reason = `not read: it references ${[...missing].join(", ")}, which could not be read, so its references cannot be named`;
    raw.delete(descriptor.kind);
    failed.set(descriptor.kind, reason);
    onKind?.(descriptor.kind, new Error(reason));
  }
}

/**
 * File names for a kind's objects, keeping the names already in use: by id, else (for documents
 * without an id, or of a kind written through requests whose id is gone) by natural key when
 * exactly one object has it. `specs`: the objects' normalized specs, whose natural key is the
 * documents' (references as names), for kinds named from their references.
 */
function assignNames(
  descriptor: KindDescriptor,
  objects: readonly RawObject[],
  options: SnapshotOptions,
  proposals?: ReadonlyMap<string, string>,
  specs?: ReadonlyMap<string, JsonObject>,
): Map<string, string> {
  const byId = options.existingNames?.get(descriptor.kind);
  const byKey = options.namesByKey?.get(descriptor.kind);
  let existing: ReadonlyMap<string, string> | undefined = byId;
  if (byKey && byKey.size > 0) {
    // A document keeps its key's object unless its own id is live (PIM schedules: an update moves the id).
    const live = new Set(objects.map((o) => o.id));
    const named = new Set(descriptor.writeRequests ? [...(byId ?? [])].filter(([id]) => live.has(id)).map(([, name]) => name) : (byId?.values() ?? []));
    const keyed = new Map<string, string[]>();
    for (const object of objects) {
      if (byId?.has(object.id)) continue;
      const key = naturalKeyValue(descriptor, specs?.get(object.id) ?? object.body)?.toLowerCase();
      if (key !== undefined && byKey.has(key)) keyed.set(key, [...(keyed.get(key) ?? []), object.id]);
    }
    const merged = new Map(byId ?? []);
    for (const [key, ids] of keyed) {
      const name = byKey.get(key);
      if (ids.length === 1 && name !== undefined && !named.has(name)) merged.set(ids[0] as string, name);
    }
    existing = merged;
  }
  return assignDocumentNames(
    objects.map((object) => ({ id: object.id, proposed: proposals?.get(object.id) ?? descriptor.documentName(object.body) })),
    existing,
    options.reservedNames?.get(descriptor.kind),
  );
}

/**
 * Documents of a kind named from its references (`nameFromReferences`): normalized first, then
 * named from the normalized spec with every commented GUID read as its display name.
 */
function namedFromReferences(
  descriptor: KindDescriptor,
  objects: readonly RawObject[],
  index: DirectoryIndex,
  options: SnapshotOptions,
  tenants: ReadonlyMap<string, string>,
): LiveDocument[] {
  const normalized = new Map(objects.map((object) => [object.id, normalizeLive(descriptor, object.body, index)]));
  const property = descriptor.otherTenantIdProperty;
  for (const n of normalized.values()) {
    const tenantId = property === undefined ? undefined : n.spec[property];
    const tenantName = typeof tenantId === "string" ? tenants.get(tenantId.toLowerCase()) : undefined;
    if (property !== undefined && tenantName !== undefined) n.annotations[property] = tenantName;
  }
  const proposals = new Map([...normalized].map(([id, n]) => [id, descriptor.documentName(withDisplayNames(n.spec, n.annotations))]));
  const assigned = assignNames(descriptor, objects, options, proposals, new Map([...normalized].map(([id, n]) => [id, n.spec])));
  return objects.map((object) => {
    const n = normalized.get(object.id) as ReturnType<typeof normalizeLive>;
    return {
      kind: descriptor.kind,
      name: assigned.get(object.id) ?? n.name,
      ...(n.id !== undefined && !descriptor.singleton ? { id: n.id } : {}),
      spec: n.spec,
      annotations: n.annotations,
    };
  });
}

/** A copy of `spec` with each annotated GUID (indexed path → display name) replaced by its display name. */
function withDisplayNames(spec: JsonObject, annotations: Readonly<Record<string, string>>): JsonObject {
  const copy = structuredClone(spec);
  for (const [path, displayName] of Object.entries(annotations)) setAtIndexedPath(copy, path, displayName);
  return copy;
}

function liveDocuments(descriptor: KindDescriptor, objects: readonly RawObject[], names: ReadonlyMap<string, string> | undefined, index: IdResolver): LiveDocument[] {
  const documents: LiveDocument[] = [];
  for (const object of objects) {
    const normalized = normalizeLive(descriptor, object.body, index);
    documents.push({
      kind: descriptor.kind,
      name: names?.get(object.id) ?? normalized.name,
      ...(normalized.id !== undefined && !descriptor.singleton ? { id: normalized.id } : {}),
      spec: normalized.spec,
      annotations: normalized.annotations,
    });
  }
  return documents;
}

/** GUIDs in reference fields that name no object read: users and objects outside the managed kinds. */
/** Ids (lower case) the reference fields of the objects read name that the index does not know; `resolved` objects are skipped. */
export function unknownIds(descriptors: readonly KindDescriptor[], raw: ReadonlyMap<Kind, RawObject[]>, index: DirectoryIndex, resolved: ReadonlyMap<RawObject, unknown>): string[] {
  const ids = new Set<string>();
  for (const descriptor of descriptors) {
    const fields = allReferenceFields(descriptor).filter((field) => (field.by ?? "id") === "id");
    for (const object of fields.length === 0 ? [] : (raw.get(descriptor.kind) ?? [])) {
      if (resolved.has(object)) continue;
      for (const field of fields) {
        visitPath(object.body as JsonObject, field.path, (_parent, _key, value) => {
          for (const item of Array.isArray(value) ? value : [value]) {
            if (typeof item !== "string") continue;
            const id = field.template ? unwrapTemplate(item, field.template) : item;
            if (id && isGuid(id) && !index.knows(id)) ids.add(id.toLowerCase());
          }
        });
      }
    }
  }
  return [...ids].sort();
}

function unwrapTemplate(value: string, template: string): string | undefined {
  const at = template.indexOf("{id}");
  const before = template.slice(0, at);
  const after = template.slice(at + 4);
  if (!value.startsWith(before) || !value.endsWith(after)) return undefined;
  return value.slice(before.length, value.length - after.length);
}

/** Why a read was incomplete, one line per distinct reason: "group, application: HTTP 403 …". */
export function describeFailures(failed: ReadonlyMap<Kind, string>): string {
  const byReason = new Map<string, Kind[]>();
  for (const [kind, reason] of failed) byReason.set(reason, [...(byReason.get(reason) ?? []), kind]);
  return [...byReason].map(([reason, kinds]) => `${kinds.length === failed.size && kinds.length > 1 ? `all ${kinds.length} kinds` : kinds.join(", ")}: ${reason}`).join("; ");
}
