import type { JsonObject, JsonValue } from "../model/document.js";
import {
  canonicalizeFlagEnums,
  dropDefaults,
  planSets,
  pruneInPlace,
  sortSets,
  stripAnnotations,
  topLevelSkip,
  typeTrie,
} from "./canonical.js";
import type { SetPlan, TypeTrie } from "./canonical.js";
import { deleteAt, splitPath } from "./paths.js";
import { canonicalJson, isJsonObject } from "../model/json.js";
import { appRoleIdToName, permissionIdsToNames } from "./api-permissions.js";
import { liveIdOf } from "./object-paths.js";
import { dropSecretValues } from "./secret-references.js";
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

/** What canonicalize needs from a descriptor, computed once per descriptor. */
interface Compiled {
  types: TypeTrie;
  skipAtRoot: (key: string) => boolean;
  /** Server-managed paths below the root, dropped after copying. */
  nestedManaged: readonly string[];
  references: readonly ReferenceField[];
  sets: readonly SetPlan[];
  defaults: readonly (readonly [string, string])[];
  /** `leftAloneWhenAbsent` lists: an empty one is kept (it means none; absent means keep). */
  keptLists: readonly string[];
}

const compiledCache = new WeakMap<KindDescriptor, Compiled>();
function compile(descriptor: KindDescriptor): Compiled {
  let compiled = compiledCache.get(descriptor);
  if (compiled === undefined) {
    const relationships = descriptor.relationships ?? [];
    compiled = {
      types: typeTrie(descriptor.keepODataType ?? []),
      skipAtRoot: topLevelSkip(descriptor.serverManaged),
      nestedManaged: descriptor.serverManaged.filter((p) => p.includes(".")),
      references: [...descriptor.references, ...relationships.map((r) => ({ path: r.property, targets: r.targets }))],
      sets: planSets([...descriptor.setArrays, ...relationships.map((r) => r.property)], descriptor.arrayKeys ?? {}),
      defaults: Object.entries(descriptor.defaults ?? {}).map(([path, value]) => [path, canonicalJson(value)] as const),
      keptLists: descriptor.leftAloneWhenAbsent ?? [],
    };
    compiledCache.set(descriptor, compiled);
  }
  return compiled;
}

/** Reference fields plus relationships (whose values are references too). */
export function allReferenceFields(descriptor: KindDescriptor): readonly ReferenceField[] {
  return compile(descriptor).references;
}

/** Relationship lists may arrive as directory objects (`{ id, @odata.type, ... }`): keep the ids. */
function relationshipIds(spec: JsonObject, descriptor: KindDescriptor): void {
  for (const { property } of descriptor.relationships ?? []) {
    const value = spec[property];
    if (!Array.isArray(value)) continue;
    spec[property] = value.map((item) => (isJsonObject(item) && typeof item.id === "string" ? item.id : item));
  }
}

/**
 * The canonical form shared by live objects and documents, in this order: OData annotations and
 * server-managed fields dropped → kind-specific normalize → flag enums → ids to references (built-in
 * roles and authentication strengths always; tenant objects when a resolver is given) → Graph defaults dropped → nulls/empties pruned
 * (except a `leftAloneWhenAbsent` list, where `[]` means none) → set arrays sorted.
 */
function canonicalize(
  descriptor: KindDescriptor,
  input: JsonObject,
  resolver: IdResolver | undefined,
  unmanaged: UnmanagedId[],
): JsonObject {
  const compiled = compile(descriptor);
  const stripped = stripAnnotations(input, compiled.types, compiled.skipAtRoot);
  let spec: JsonObject = isJsonObject(stripped) ? stripped : {};
  for (const path of compiled.nestedManaged) deleteAt(spec, path);
  relationshipIds(spec, descriptor);
  if (descriptor.normalize) spec = descriptor.normalize(spec);
  dropSecretValues(descriptor, spec);
  canonicalizeFlagEnums(spec, descriptor.flagEnums ?? []);
  // Built-in roles and authentication strengths get names even without a tenant to ask.
  idsToNames(spec, compiled.references, resolver ?? NO_IDS, unmanaged);
  if (descriptor.apiPermissionsPath !== undefined && resolver) permissionIdsToNames(spec, descriptor.apiPermissionsPath, resolver, unmanaged);
  if (descriptor.appRoleField !== undefined && resolver) appRoleIdToName(spec, descriptor.appRoleField, resolver, unmanaged);
  dropDefaults(spec, compiled.defaults);
  if (pruneInPlace(spec)) spec = {};
  // A list left alone when absent (an access package's role scopes) says "none" with `[]`.
  const emptied = compiled.keptLists.filter((key) => Array.isArray(input[key]));
  for (const key of emptied) spec[key] ??= [];
  sortSets(spec, compiled.sets);
  return spec;
}

/** A live Graph object → document form (docs/design.md §2). Pure; the input is not modified. */
export function normalizeLive(descriptor: KindDescriptor, live: JsonObject, resolver: IdResolver): NormalizedObject {
  const rawId = liveIdOf(descriptor, live);
  const unmanaged: UnmanagedId[] = [];
  const spec = canonicalize(descriptor, live, resolver, unmanaged);
  return {
    name: descriptor.documentName(spec),
    id: typeof rawId === "string" ? rawId : undefined,
    spec,
    annotations: { ...descriptor.comments?.(spec), ...annotationsFor(spec, unmanaged) },
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
  const byPath = new Map<string, Map<string, string>>();
  for (const u of unmanaged) {
    let ids = byPath.get(u.path);
    if (ids === undefined) byPath.set(u.path, (ids = new Map()));
    ids.set(u.id, u.displayName);
  }
  for (const [path, ids] of byPath) {
    const segments = splitPath(path);
    const walk = (value: JsonValue | undefined, depth: number, indexed: string): void => {
      if (Array.isArray(value)) {
        value.forEach((item, i) => walk(item, depth, `${indexed}[${i}]`));
      } else if (depth === segments.length) {
        const displayName = typeof value === "string" ? ids.get(value) : undefined;
        if (displayName !== undefined) annotations[indexed] = displayName;
      } else if (isJsonObject(value)) {
        const key = segments[depth] ?? "";
        walk(value[key], depth + 1, indexed === "" ? key : `${indexed}.${key}`);
      }
    };
    walk(spec, 0, "");
  }
  return annotations;
}
