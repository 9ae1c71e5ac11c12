import type { JsonObject, JsonValue } from "../documents/types.js";
import { canonicalizeFlagEnums, dropDefaults, dropServerManaged, prune, sortSets, stripAnnotations } from "./canonical.js";
import { isObject } from "./paths.js";
import { idsToNames, NO_IDS } from "./references.js";
import type { IdResolver, UnmanagedId } from "./references.js";
import type { KindDescriptor, ReferenceField } from "./types.js";

/** A live object in document form. */
export interface NormalizedObject {
  /** Proposed document name (`descriptor.documentName`); export resolves collisions (naming.ts). */
  name: string;
  /** The object's id in the tenant (for partners: the tenant id); undefined for id-less singletons. */
  id: string | undefined;
  spec: JsonObject;
  /**
   * Unmanaged ids kept as GUIDs, by indexed spec path (`conditions.users.excludeGroups[1]`) → the
   * display name the writer puts in a YAML comment.
   */
  annotations: Record<string, string>;
}

const keepCache = new WeakMap<KindDescriptor, ReadonlySet<string>>();
function keepTypeAt(descriptor: KindDescriptor): ReadonlySet<string> {
  let set = keepCache.get(descriptor);
  if (set === undefined) {
    set = new Set(descriptor.keepODataType ?? []);
    keepCache.set(descriptor, set);
  }
  return set;
}

/** Reference fields plus relationships (whose values are references too). */
export function allReferenceFields(descriptor: KindDescriptor): ReferenceField[] {
  return [
    ...descriptor.references,
    ...(descriptor.relationships ?? []).map((r) => ({ path: r.property, targets: r.targets })),
  ];
}

/** Relationship lists may arrive as directory objects (`{ id, @odata.type, ... }`): keep the ids. */
function relationshipIds(spec: JsonObject, descriptor: KindDescriptor): void {
  for (const { property } of descriptor.relationships ?? []) {
    const value = spec[property];
    if (!Array.isArray(value)) continue;
    spec[property] = value.map((item) => (isObject(item) && typeof item.id === "string" ? item.id : item));
  }
}

/**
 * The canonical form shared by live objects and documents, in this order: OData annotations and
 * server-managed fields dropped → kind-specific normalize → flag enums → ids to references (built-in
 * roles and authentication strengths always; tenant objects when a resolver is given) → Graph defaults dropped → nulls/empties pruned → set arrays sorted.
 */
function canonicalize(
  descriptor: KindDescriptor,
  input: JsonObject,
  resolver: IdResolver | undefined,
  unmanaged: UnmanagedId[],
): JsonObject {
  const stripped = stripAnnotations(input, keepTypeAt(descriptor));
  let spec: JsonObject = isObject(stripped) ? stripped : {};
  dropServerManaged(spec, descriptor);
  relationshipIds(spec, descriptor);
  if (descriptor.normalize) spec = descriptor.normalize(spec);
  canonicalizeFlagEnums(spec, descriptor.flagEnums ?? []);
  // Built-in roles and authentication strengths get names even without a tenant to ask.
  idsToNames(spec, allReferenceFields(descriptor), resolver ?? NO_IDS, unmanaged);
  dropDefaults(spec, descriptor.defaults ?? {});
  const pruned = prune(spec);
  spec = isObject(pruned) ? pruned : {};
  const setArrays = [...descriptor.setArrays, ...(descriptor.relationships ?? []).map((r) => r.property)];
  sortSets(spec, setArrays, descriptor.arrayKeys ?? {});
  return spec;
}

/** A live Graph object → document form (DESIGN §2). Pure; the input is not modified. */
export function normalizeLive(descriptor: KindDescriptor, live: JsonObject, resolver: IdResolver): NormalizedObject {
  const rawId = live[descriptor.idProperty ?? "id"];
  const unmanaged: UnmanagedId[] = [];
  const spec = canonicalize(descriptor, live, resolver, unmanaged);
  return {
    name: descriptor.documentName(spec),
    id: typeof rawId === "string" ? rawId : undefined,
    spec,
    annotations: annotationsFor(spec, unmanaged),
  };
}

/**
 * A spec written by a person → the same canonical form as `normalizeLive`, so plan compares like
 * with like. GUIDs of built-in roles and authentication strengths become `role:`/`authenticationStrength:`
 * references; with a resolver, GUIDs of managed objects are turned into references too.
 */
export function normalizeDocument(descriptor: KindDescriptor, spec: JsonObject, resolver?: IdResolver): JsonObject {
  return canonicalize(descriptor, spec, resolver, []);
}

function annotationsFor(spec: JsonObject, unmanaged: readonly UnmanagedId[]): Record<string, string> {
  const annotations: Record<string, string> = {};
  if (unmanaged.length === 0) return annotations;
  const wanted = new Map(unmanaged.map((u) => [`${u.path}\u0000${u.id}`, u.displayName]));
  const walk = (value: JsonValue, path: string, indexed: string): void => {
    if (typeof value === "string") {
      const displayName = wanted.get(`${path}\u0000${value}`);
      if (displayName !== undefined) annotations[indexed] = displayName;
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, path, `${indexed}[${i}]`));
    } else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        walk(child, path === "" ? key : `${path}.${key}`, indexed === "" ? key : `${indexed}.${key}`);
      }
    }
  };
  walk(spec, "", "");
  return annotations;
}
