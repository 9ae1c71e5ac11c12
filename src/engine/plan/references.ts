import type { JsonObject, JsonValue } from "../../model/document.js";
import { address, type Address, type Kind } from "../../model/kind.js";
import { isJsonObject } from "../../model/json.js";
import { builtinAuthStrengthId } from "../../kinds/builtinAuthStrengths.js";
import { kindOfPrefix } from "../../kinds/registry.js";
import { parseReference } from "../../kinds/reference-syntax.js";
import type { PlanKind } from "./catalog.js";
import { referenceNameOf } from "../../kinds/registry.js";

/**
 * A reference to an object that is never a document: a built-in one that exists in every tenant,
 * or a `resource:` (a service principal of the tenant, checked by plan against the tenant).
 */
export function isBuiltinReference(reference: string): boolean {
  const parsed = parseReference(reference);
  if (!parsed) return false;
  if (parsed.prefix === "role" || parsed.prefix === "resource") return true;
  return parsed.prefix === "authenticationStrength" && builtinAuthStrengthId(parsed.name) !== undefined;
}

/** Every string value at a dotted path; arrays along the way (and at the end) are traversed. */
export function valuesAt(spec: JsonValue | undefined, path: readonly string[]): string[] {
  const out: string[] = [];
  collect(spec, path, 0, out);
  return out;
}

function collect(value: JsonValue | undefined, path: readonly string[], at: number, out: string[]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, path, at, out);
    return;
  }
  if (at === path.length) {
    if (typeof value === "string") out.push(value);
    return;
  }
  if (isJsonObject(value)) collect(value[path[at] as string], path, at + 1, out);
}

const pathsByKind = new WeakMap<PlanKind, string[][]>();

function referencePaths(kind: PlanKind): string[][] {
  let paths = pathsByKind.get(kind);
  if (!paths) {
    paths = [...kind.references.map((r) => r.path), ...(kind.relationships ?? []).map((r) => r.property)].map((p) => p.split("."));
    pathsByKind.set(kind, paths);
  }
  return paths;
}

/** The reference values (`group:x`, `role:…`, `user:…`) a spec uses, sorted and unique. */
export function referencesOf(spec: JsonObject, kind: PlanKind): string[] {
  const found = new Set<string>();
  const values: string[] = [];
  for (const path of referencePaths(kind)) collect(spec, path, 0, values);
  for (const value of values) if (!found.has(value) && parseReference(value)) found.add(value);
  return [...found].sort();
}

/** Resolves a reference to the address of a document or live object, by name (users also by UPN). */
export class NameIndex {
  private readonly byKind = new Map<Kind, Map<string, string>>();

  add(kind: Kind, name: string, spec: JsonObject): void {
    let names = this.byKind.get(kind);
    if (!names) {
      names = new Map();
      this.byKind.set(kind, names);
    }
    names.set(name.toLowerCase(), name);
    // A kind referenced by a spec key (users by userPrincipalName) is also found by that key.
    const key = referenceNameOf(kind, name, spec);
    if (key !== undefined) names.set(key.toLowerCase(), name);
  }

  /** The target kind of a reference (undefined for `role:` and non-references). */
  static targetKind(reference: string): Kind | undefined {
    const parsed = parseReference(reference);
    return parsed ? kindOfPrefix(parsed.prefix) : undefined;
  }

  resolve(reference: string): Address | undefined {
    const parsed = parseReference(reference);
    const kind = parsed ? kindOfPrefix(parsed.prefix) : undefined;
    if (!parsed || !kind) return undefined;
    const name = this.byKind.get(kind)?.get(parsed.name.toLowerCase());
    return name === undefined ? undefined : address(kind, name);
  }
}
