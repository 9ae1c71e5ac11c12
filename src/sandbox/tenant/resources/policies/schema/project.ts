/**
 * Read-side shaping of stored policy objects: fill what Graph fills (empty arrays for non-nullable
 * collections, `null` for unset properties), project a stored (beta-complete) object onto a version,
 * and hide evolvable enum members unless `Prefer: include-unknown-enum-members` was sent.
 */
import { findEnum, findType, parsePropertyType } from "./csdl-model.js";
import { odataTypeName, propertiesFor, type ApiVersion } from "./shape.js";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function concreteType(value: Record<string, unknown>, declared: string): string {
  const cast = value["@odata.type"];
  return typeof cast === "string" && findType(odataTypeName(cast)) ? odataTypeName(cast) : declared;
}

/**
 * Fills every declared property of `typeName` that `value` lacks: `[]` for non-nullable collections,
 * `null` otherwise; recurses into nested complex values. `skip` names top-level properties left alone.
 */
export function fillDefaults(value: Record<string, unknown>, typeName: string, version: ApiVersion, skip: readonly string[] = []): Record<string, unknown> {
  const type = concreteType(value, typeName);
  const props = propertiesFor(type, version);
  const out: Record<string, unknown> = { ...value };
  for (const [key, raw] of Object.entries(props)) {
    if (skip.includes(key) || raw === "any") {
      if (raw === "any" && !(key in out) && !skip.includes(key)) out[key] = null;
      continue;
    }
    const t = parsePropertyType(raw);
    if (t.navigation) continue;
    const current = out[key];
    if (current === undefined) {
      out[key] = t.collection && t.nonNullable ? [] : null;
    } else if (isObject(current) && findType(t.name)) {
      out[key] = fillDefaults(current, t.name, version);
    } else if (Array.isArray(current) && findType(t.name)) {
      out[key] = current.map((item) => (isObject(item) ? fillDefaults(item, t.name, version) : item));
    }
  }
  return out;
}

function hideMember(value: string, enumName: string, includeUnknown: boolean): string {
  if (includeUnknown) return value;
  const members = findEnum(enumName)?.members ?? [];
  const cut = members.indexOf("unknownFutureValue");
  if (cut < 0) return value;
  const evolvable = new Set(members.slice(cut + 1));
  const tokens = value.split(",").map((t) => (evolvable.has(t) ? "unknownFutureValue" : t));
  return [...new Set(tokens)].join(",");
}

/** The stored object as `version` shows it: beta-only properties dropped on v1.0, evolvable members hidden. */
export function projectForVersion(value: Record<string, unknown>, typeName: string, version: ApiVersion, includeUnknownEnumMembers: boolean): Record<string, unknown> {
  const type = concreteType(value, typeName);
  const props = propertiesFor(type, version);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.includes("@")) {
      out[key] = v;
      continue;
    }
    const raw = props[key];
    if (raw === undefined) continue;
    if (raw === "any") {
      out[key] = v;
      continue;
    }
    const t = parsePropertyType(raw);
    const one = (item: unknown): unknown => {
      if (typeof item === "string" && findEnum(t.name)) return hideMember(item, t.name, includeUnknownEnumMembers);
      if (isObject(item) && findType(t.name)) return projectForVersion(item, t.name, version, includeUnknownEnumMembers);
      return item;
    };
    out[key] = Array.isArray(v) ? v.map(one) : one(v);
  }
  return out;
}
