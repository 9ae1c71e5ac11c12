/**
 * Checks a request body against the CSDL types the way Graph's OData reader does: property names,
 * primitive types, enum members (flag enums as comma-joined strings), `@odata.type` casts. Returns the
 * cleaned value (annotations dropped, flag enums canonical) or the first problem found.
 */
import { BETA_ENUM_MEMBERS, BETA_PROPERTIES } from "./beta-extensions.js";
import { allProperties, derivesFrom, findEnum, findType, parsePropertyType } from "./csdl-model.js";

export type ApiVersion = "v1.0" | "beta";

export type ShapeProblem =
  | { kind: "unknownProperty"; path: string; property: string; type: string }
  | { kind: "wrongType"; path: string; expected: string }
  | { kind: "invalidEnum"; path: string; value: string; enumName: string }
  | { kind: "evolvableMember"; path: string; value: string; enumName: string }
  | { kind: "invalidCast"; path: string; odataType: string; expected: string };

export type ShapeResult = { ok: true; value: Record<string, unknown> } | { ok: false; problem: ShapeProblem };

export interface ShapeOptions {
  version: ApiVersion;
  /** `Prefer: include-unknown-enum-members` was sent. */
  includeUnknownEnumMembers: boolean;
}

class Problem extends Error {
  constructor(readonly problem: ShapeProblem) {
    super(problem.kind);
  }
}

/** Strips `#microsoft.graph.` / `microsoft.graph.` from an `@odata.type`. */
export function odataTypeName(raw: string): string {
  return raw.replace(/^#/, "").replace(/^microsoft\.graph\./, "");
}

/** Properties a type has in a version: the CSDL's, plus beta additions on beta. */
export function propertiesFor(typeName: string, version: ApiVersion): Record<string, string> {
  const props = allProperties(typeName);
  if (version === "beta") {
    let current: string | undefined = typeName;
    while (current) {
      Object.assign(props, BETA_PROPERTIES[current] ?? {});
      current = findType(current)?.base;
    }
  }
  return props;
}

function enumAllowed(enumName: string, options: ShapeOptions): { allowed: string[]; evolvable: string[] } {
  const all = [...(findEnum(enumName)?.members ?? []), ...(options.version === "beta" ? (BETA_ENUM_MEMBERS[enumName] ?? []) : [])];
  const cut = all.indexOf("unknownFutureValue");
  if (cut < 0 || options.includeUnknownEnumMembers) return { allowed: all, evolvable: [] };
  return { allowed: all.slice(0, cut + 1), evolvable: all.slice(cut + 1) };
}

function checkEnum(value: unknown, enumName: string, path: string, options: ShapeOptions): string {
  if (typeof value !== "string") throw new Problem({ kind: "wrongType", path, expected: enumName });
  const e = findEnum(enumName);
  const { allowed, evolvable } = enumAllowed(enumName, options);
  const tokens = e?.flags ? value.split(",").map((t) => t.trim()) : [value];
  for (const token of tokens) {
    if (evolvable.includes(token)) throw new Problem({ kind: "evolvableMember", path, value: token, enumName });
    if (!allowed.includes(token)) throw new Problem({ kind: "invalidEnum", path, value: token, enumName });
  }
  if (!e?.flags) return value;
  // Graph writes flag enums back in declaration order, comma-joined without spaces.
  return allowed.filter((m) => tokens.includes(m)).join(",");
}

function checkPrimitive(value: unknown, edm: string, path: string): unknown {
  const fail = (): never => {
    throw new Problem({ kind: "wrongType", path, expected: edm });
  };
  switch (edm) {
    case "Edm.String":
    case "Edm.Guid":
    case "Edm.DateTimeOffset":
    case "Edm.Duration":
    case "Edm.Binary":
      if (typeof value !== "string") fail();
      if (edm === "Edm.Guid" && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value as string)) fail();
      return value;
    case "Edm.Boolean":
      if (typeof value !== "boolean") fail();
      return value;
    case "Edm.Int32":
    case "Edm.Int64":
      if (typeof value !== "number" || !Number.isInteger(value)) fail();
      return value;
    case "Edm.Double":
    case "Edm.Single":
      if (typeof value !== "number") fail();
      return value;
    default:
      return value;
  }
}

function checkValue(value: unknown, raw: string, path: string, options: ShapeOptions): unknown {
  if (raw === "any") return value;
  const t = parsePropertyType(raw);
  if (value === null) {
    if (t.nonNullable && t.collection) throw new Problem({ kind: "wrongType", path, expected: `Collection(${t.name})` });
    return null;
  }
  const one = (v: unknown, p: string): unknown => {
    if (t.name.startsWith("Edm.")) return checkPrimitive(v, t.name, p);
    if (findEnum(t.name)) return checkEnum(v, t.name, p, options);
    if (t.navigation) return findType(t.name) ? checkObject(v, t.name, p, options, true) : v;
    return checkObject(v, t.name, p, options, false);
  };
  if (t.collection) {
    if (!Array.isArray(value)) throw new Problem({ kind: "wrongType", path, expected: `Collection(${t.name})` });
    return value.map((v, i) => one(v, `${path}[${i}]`));
  }
  return one(value, path);
}

function checkObject(value: unknown, typeName: string, path: string, options: ShapeOptions, lenient: boolean): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Problem({ kind: "wrongType", path, expected: typeName });
  }
  const input = value as Record<string, unknown>;
  let actualType = typeName;
  const cast = input["@odata.type"];
  if (typeof cast === "string") {
    const named = odataTypeName(cast);
    if (!findType(named) || !derivesFrom(named, typeName)) {
      throw new Problem({ kind: "invalidCast", path, odataType: cast, expected: typeName });
    }
    actualType = named;
  }
  const props = propertiesFor(actualType, options.version);
  const out: Record<string, unknown> = {};
  if (actualType !== typeName || findType(typeName)?.abstract) out["@odata.type"] = `#microsoft.graph.${actualType}`;
  for (const [key, v] of Object.entries(input)) {
    // Instance and property annotations (`@odata.context`, `x@odata.type`) and advertised
    // operations (`#microsoft.graph.restore`) carry no data.
    if (key.includes("@") || key.startsWith("#")) continue;
    const raw = props[key];
    if (raw === undefined) {
      if (lenient) {
        out[key] = v;
        continue;
      }
      throw new Problem({ kind: "unknownProperty", path: path ? `${path}.${key}` : key, property: key, type: actualType });
    }
    out[key] = checkValue(v, raw, path ? `${path}.${key}` : key, options);
  }
  return out;
}

/** Validates `body` as an instance of `typeName`. */
export function checkShape(body: unknown, typeName: string, options: ShapeOptions): ShapeResult {
  try {
    return { ok: true, value: checkObject(body, typeName, "", options, false) };
  } catch (error) {
    if (error instanceof Problem) return { ok: false, problem: error.problem };
    throw error;
  }
}

/** The OData reader's message for a property the type does not declare. */
export function unknownPropertyMessage(property: string, type: string): string {
  return `The property '${property}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`;
}
