import type { JsonObject, JsonValue } from "../model/document.js";
import { builtinAuthStrengthId, builtinAuthStrengthName } from "./builtinAuthStrengths.js";
import { builtinRoleId, builtinRoleName } from "./builtinRoles.js";
import { formatReference, parseReference } from "./reference-syntax.js";
import type { Reference } from "./reference-syntax.js";
import { mapStringsAt, mapStringsAtIndexed, visitPath } from "./paths.js";
import type { ReferenceField, ReferencePrefix } from "./types.js";

/** What an id in a live object turns into (docs/design.md §2). */
export type ResolvedId =
  /** A managed object (or a user): written `prefix:name`. */
  | { prefix: ReferencePrefix; name: string }
  /** Known but not managed here: the GUID stays, with the display name as a YAML comment. */
  | { displayName: string };

/** id → name, for export. Built-in roles and authentication strengths are resolved before it is asked. */
export interface IdResolver {
  /**
   * The object with this id (or this appId, when `by` is "appId") among `targets`, tried in order.
   * `undefined` when nothing is known about it.
   */
  resolveId(id: string, targets: readonly ReferencePrefix[], by: "id" | "appId"): ResolvedId | undefined;
  /**
   * The value (`User.Read`) of the permission `id` that the resource (its appId, or a reference to
   * it as `idsToNames` wrote it) publishes as an app role (`type` Role) or a delegated scope
   * (`type` Scope); undefined when unknown.
   */
  permissionName?(resource: string, type: string, id: string): string | undefined;
}

/** name → id, for writing to Graph. */
export interface NameResolver {
  /** The id (or appId, when `by` is "appId") of the object `prefix:name`; undefined when unknown. */
  resolveName(prefix: ReferencePrefix, name: string, by: "id" | "appId"): string | undefined;
  /** The id of the permission `name` of the resource (its appId) of this `type` (Role or Scope). */
  permissionId?(resourceAppId: string, type: string, name: string): string | undefined;
}

/** An IdResolver that knows nothing (only built-ins get names). */
export const NO_IDS: IdResolver = { resolveId: () => undefined };

/** A reference that cannot be turned into an id: names the spec path and the reference. */
export class UnresolvedReferenceError extends Error {
  override readonly name = "UnresolvedReferenceError";
  constructor(
    readonly path: string,
    readonly reference: string,
    readonly reason: "unknown" | "wrong-target",
  ) {
    super(
      reason === "unknown"
        ? `${path}: ${reference} does not name a known object`
        : `${path}: ${reference} cannot be used here`,
    );
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type { Reference } from "./reference-syntax.js";
export { formatReference, parseReference } from "./reference-syntax.js";

const sentinelCache = new WeakMap<ReferenceField, ReadonlySet<string>>();
function isSentinel(value: string, field: ReferenceField): boolean {
  if (field.sentinels === undefined) return false;
  let set = sentinelCache.get(field);
  if (set === undefined) sentinelCache.set(field, (set = new Set(field.sentinels.map((s) => s.toLowerCase()))));
  return set.has(value.toLowerCase());
}

/** Cheap shape test for a GUID (8-4-4-4-12); values are lower-cased only when they pass. */
function looksLikeGuid(value: string): boolean {
  return value.length === 36 && value[8] === "-" && value[13] === "-" && value[18] === "-" && value[23] === "-" && GUID.test(value);
}

function templateParts(template: string): { before: string; after: string } {
  const at = template.indexOf("{id}");
  return { before: template.slice(0, at), after: template.slice(at + 4) };
}

/** The id inside a templated value, or undefined when the value does not follow the template. */
function unwrap(value: string, field: ReferenceField): string | undefined {
  if (field.template === undefined) return value;
  const { before, after } = templateParts(field.template);
  if (!value.startsWith(before) || !value.endsWith(after) || value.length <= before.length + after.length) return undefined;
  return value.slice(before.length, value.length - after.length);
}

function wrap(id: string, field: ReferenceField): string {
  if (field.template === undefined) return id;
  const { before, after } = templateParts(field.template);
  return `${before}${id}${after}`;
}

function applies(field: ReferenceField, parent: JsonObject): boolean {
  return field.where === undefined || parent[field.where.property] === field.where.equals;
}

function builtinName(id: string, targets: readonly ReferencePrefix[]): Reference | undefined {
  if (targets.includes("role")) {
    const name = builtinRoleName(id);
    if (name !== undefined) return { prefix: "role", name };
  }
  if (targets.includes("authenticationStrength")) {
    const name = builtinAuthStrengthName(id);
    if (name !== undefined) return { prefix: "authenticationStrength", name };
  }
  return undefined;
}

/** An unresolved id met on export: the writer adds `# displayName` after it. */
export interface UnmanagedId {
  /** Unindexed spec path of the field. */
  path: string;
  id: string;
  displayName: string;
}

/**
 * Ids → `prefix:name` in place, for every reference field of a spec. Sentinels, values already
 * written as references, and values that do not follow a field's template stay as they are. Ids
 * the resolver knows only by display name are reported in `unmanaged`.
 */
export function idsToNames(
  spec: JsonObject,
  fields: readonly ReferenceField[],
  resolver: IdResolver,
  unmanaged: UnmanagedId[],
): void {
  for (const field of fields) {
    mapStringsAt(spec, field.path, (value, parent) => {
      if (!applies(field, parent) || isSentinel(value, field) || parseReference(value) !== undefined) return value;
      const id = unwrap(value, field);
      if (id === undefined) return value;
      const builtin = builtinName(id, field.targets);
      if (builtin !== undefined) return formatReference(builtin.prefix, builtin.name);
      const resolved = resolver.resolveId(id, field.targets, field.by ?? "id");
      // Graph compares ids case-insensitively and returns them lower-case: so do documents.
      const kept = looksLikeGuid(value) ? value.toLowerCase() : value;
      if (resolved === undefined) return kept;
      if ("prefix" in resolved) return formatReference(resolved.prefix, resolved.name);
      unmanaged.push({ path: field.path, id: kept, displayName: resolved.displayName });
      return kept;
    });
  }
}

/** One reference → the Graph value, or an UnresolvedReferenceError naming `path`. */
export function resolveReference(
  value: string,
  field: ReferenceField,
  resolver: NameResolver,
  path: string,
): string {
  const reference = parseReference(value);
  if (reference === undefined) return value;
  if (!field.targets.includes(reference.prefix)) throw new UnresolvedReferenceError(path, value, "wrong-target");
  let id: string | undefined;
  if (reference.prefix === "role") id = builtinRoleId(reference.name);
  if (reference.prefix === "authenticationStrength") id = builtinAuthStrengthId(reference.name);
  id ??= resolver.resolveName(reference.prefix, reference.name, field.by ?? "id");
  if (id === undefined) throw new UnresolvedReferenceError(path, value, "unknown");
  return wrap(id, field);
}

/**
 * References → ids in place, for every reference field of a spec (the inverse of `idsToNames`).
 * An unresolvable one throws `UnresolvedReferenceError` with its indexed path
 * (`conditions.users.excludeGroups[1]`).
 */
export function namesToIds(spec: JsonObject, fields: readonly ReferenceField[], resolver: NameResolver): void {
  for (const field of fields) {
    // Several templated fields may share a path (an admin consent reviewer's `query` names a user,
    // a group or a role): a reference another of them takes is left to that one.
    const siblings = fields.filter((f) => f !== field && f.path === field.path);
    mapStringsAtIndexed(spec, field.path, (value, parent, path) => {
      if (!applies(field, parent)) return value;
      const reference = siblings.length > 0 ? parseReference(value) : undefined;
      if (reference !== undefined && !field.targets.includes(reference.prefix) && siblings.some((s) => s.targets.includes(reference.prefix) && applies(s, parent))) return value;
      return resolveReference(value, field, resolver, path);
    });
  }
}

/** Every reference (`prefix:name`) a spec holds in its reference fields, e.g. for dependency checks. */
export function referencesIn(spec: JsonValue, fields: readonly ReferenceField[]): { path: string; reference: Reference }[] {
  const found: { path: string; reference: Reference }[] = [];
  for (const field of fields) {
    visitPath(spec, field.path, (parent, _key, value) => {
      if (!applies(field, parent)) return;
      for (const item of Array.isArray(value) ? value : [value]) {
        const reference = typeof item === "string" ? parseReference(item) : undefined;
        if (reference !== undefined) found.push({ path: field.path, reference });
      }
    });
  }
  return found;
}
