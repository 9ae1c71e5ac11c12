/**
 * Graph CSDL + kind info → the JSON Schema (draft-07) of one kind's documents. Property names,
 * types, enum members and descriptions are Graph's; read-only and server-managed properties are left
 * out of `spec`; every object has `additionalProperties: false` so a typo is an error; reference
 * fields accept `prefix:name`, a GUID or one of the field's sentinels.
 */
import type { JsonObject, JsonValue } from "../../src/model/document.js";
import { NAME_PATTERN_SOURCE } from "../../src/documents/names.js";
import { AUTH_CONTEXT_ID_PATTERN_SOURCE, GUID_PATTERN_SOURCE } from "../../src/kinds/reference-syntax.js";
import { SECRET_REFERENCE_PATTERN_SOURCE } from "../../src/kinds/secret-references.js";
import type { ReferenceField, ReferencePrefix } from "../../src/kinds/types.js";
import { allProperties, derivedTypes } from "./csdl.js";
import type { CsdlModel, CsdlProperty } from "./csdl.js";
import { betaPropertiesFor } from "../../src/kinds/beta-properties.js";
import { GENERIC_SERVER_MANAGED, STRING_ENUMS } from "./kind-info.js";
import type { SchemaKindInfo } from "./kind-info.js";

interface Context {
  model: CsdlModel;
  info: SchemaKindInfo;
  references: Map<string, ReferenceField>;
  /** Every proper prefix of a reference path: objects on the way to a reference field. */
  referenceParents: Set<string>;
  beta: Map<string, Record<string, JsonObject>>;
}

const PRIMITIVES: Record<string, JsonObject> = {
  "Edm.String": { type: "string" },
  "Edm.Boolean": { type: "boolean" },
  "Edm.Int16": { type: "integer" },
  "Edm.Int32": { type: "integer" },
  "Edm.Int64": { type: "integer" },
  "Edm.Byte": { type: "integer", minimum: 0, maximum: 255 },
  "Edm.SByte": { type: "integer" },
  "Edm.Double": { type: "number" },
  "Edm.Single": { type: "number" },
  "Edm.Decimal": { type: "number" },
  "Edm.DateTimeOffset": { type: "string", format: "date-time" },
  "Edm.Date": { type: "string", format: "date" },
  "Edm.TimeOfDay": { type: "string" },
  "Edm.Duration": { type: "string", pattern: "^-?P(?:\\d+D)?(?:T(?:\\d+H)?(?:\\d+M)?(?:\\d+(?:\\.\\d+)?S)?)?$" },
  "Edm.Guid": { type: "string", pattern: GUID_PATTERN_SOURCE },
  "Edm.Binary": { type: "string", contentEncoding: "base64" },
  "Edm.Untyped": {},
};

export function buildKindSchema(model: CsdlModel, info: SchemaKindInfo, source: string): JsonObject {
  if (!model.types.has(info.graphType)) throw new Error(`${info.kind}: type ${info.graphType} is not in the CSDL`);
  const references = new Map(info.references.filter((r) => r.template === undefined && r.where === undefined).map((r) => [r.path, r]));
  const referenceParents = new Set<string>();
  for (const r of info.references) {
    const parts = r.path.split(".");
    for (let i = 1; i < parts.length; i++) referenceParents.add(parts.slice(0, i).join("."));
  }
  const beta = new Map<string, Record<string, JsonObject>>();
  if (info.apiVersion === "beta") {
    for (const b of betaPropertiesFor(info.kind)) {
      const dot = b.path.lastIndexOf(".");
      const parent = dot < 0 ? "" : b.path.slice(0, dot);
      const entry = beta.get(parent) ?? {};
      entry[b.path.slice(dot + 1)] = { ...b.schema, description: `Beta: ${b.description}`, "x-beta": true };
      beta.set(parent, entry);
    }
  }
  const ctx: Context = { model, info, references, referenceParents, beta };
  const spec = objectSchema(ctx, info.graphType, "", [], { required: !info.singleton, nullable: false });
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: `entra-gitops ${info.kind} document`,
    description: info.betaOnlyType
      ? `A ${info.kind} (${info.graphType}, Graph beta only: its type is the descriptor's betaOnlyType, from the beta reference). Generated from ${source} by scripts/generate-schemas.ts: do not edit.`
      : info.apiVersion === "beta"
      ? `A ${info.kind} (${info.graphType}) managed through Graph beta: the v1.0 properties plus the beta properties of src/documents/schema/beta-properties.ts (marked x-beta). Generated from ${source} by scripts/generate-schemas.ts: do not edit.`
      : `A ${info.kind} (${info.graphType}, Graph ${info.apiVersion}). Generated from ${source} by scripts/generate-schemas.ts: do not edit.`,
    type: "object",
    additionalProperties: false,
    required: ["kind", "name", "spec"],
    properties: {
      kind: { const: info.kind },
      name: { type: "string", pattern: NAME_PATTERN_SOURCE, description: "Stable key within the kind; also the file name (<name>.yaml)." },
      environments: {
        type: "array",
        minItems: 1,
        uniqueItems: true,
        items: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$" },
        description: "The environments (entra-gitops.yaml environments:) this object exists in; leave it out for every environment.",
      },
      id: { type: "string", minLength: 1, description: "Object id in the tenant the document was exported from." },
      spec,
    },
  };
}

function objectSchema(ctx: Context, typeName: string, path: string, stack: string[], opts: { required: boolean; nullable: boolean }): JsonObject {
  const type = ctx.model.types.get(typeName);
  if (!type || stack.includes(typeName)) return { type: opts.nullable ? ["object", "null"] : "object" };
  // Subtypes only where the kind keeps `@odata.type` (named locations, IP ranges, method configurations):
  // elsewhere a derived type (agentUser, whatIfAnalysisResult, …) is not something a document can be.
  const polymorphic = (ctx.info.keepODataType ?? []).includes(path);
  const derived = polymorphic ? derivedTypes(ctx.model, typeName) : [];
  if (derived.length === 0) return structSchema(ctx, typeName, path, [...stack, typeName], { ...opts, odataRequired: false });
  const variants = derived;
  const oneOf = variants.map((v) => structSchema(ctx, v, path, [...stack, typeName], { ...opts, nullable: false, odataRequired: true }));
  const tags = variants.map((v) => `#${v}`);
  const schema: JsonObject = { type: "object", properties: { "@odata.type": { enum: tags } }, required: ["@odata.type"], discriminator: { propertyName: "@odata.type" }, oneOf };
  return opts.nullable ? { anyOf: [schema, { type: "null" }] } : schema;
}

function structSchema(ctx: Context, typeName: string, path: string, stack: string[], opts: { required: boolean; nullable: boolean; odataRequired: boolean }): JsonObject {
  const properties: Record<string, JsonValue> = { "@odata.type": { const: `#${typeName}` } };
  const required: string[] = opts.odataRequired ? ["@odata.type"] : [];
  const top = path === "";
  for (const p of allProperties(ctx.model, typeName)) {
    const propPath = top ? p.name : `${path}.${p.name}`;
    if (excluded(ctx, p, propPath)) continue;
    properties[p.name] = propertySchema(ctx, p, propPath, stack);
  }
  // Properties the kind adds at its top: a schema of their own, or borrowed from another type (a PIM policy's role, from its assignment).
  for (const [name, extra] of top ? Object.entries(ctx.info.extraSpec ?? {}) : []) {
    if (!("borrowedFrom" in extra)) continue;
    const p = allProperties(ctx.model, String(extra.borrowedFrom)).find((q) => q.name === name);
    if (p === undefined) throw new Error(`${ctx.info.kind}: extraSpec.${name} is borrowed from ${String(extra.borrowedFrom)}, which has no property ${name}`);
    properties[name] = propertySchema(ctx, p, name, stack);
  }
  const wanted = [...(top && opts.required && !ctx.info.singleton ? (ctx.info.required ?? []) : []), ...(ctx.info.requiredByType?.[typeName] ?? [])];
  for (const name of wanted) if (name in properties && !required.includes(name)) required.push(name);
  if (top) {
    for (const r of ctx.info.relationships ?? []) {
      properties[r.property] = { type: "array", items: referenceSchema(r.targets, []), description: `References (${r.targets.join(", ")}), written through /${r.property}.` };
    }
    for (const [name, extra] of Object.entries(ctx.info.extraSpec ?? {})) if (!("borrowedFrom" in extra)) properties[name] = extra;
    // A write-only secret's version marker (README "Rotating a write-only secret"): the engine's, not Graph's.
    for (const secret of ctx.info.secrets ?? []) {
      if (secret.version === undefined) continue;
      properties[secret.version] = {
        anyOf: [
          { type: "integer", minimum: 0 },
          { type: "string", minLength: 1, pattern: "\\S" },
        ],
        description: `Version of ${secret.property}: raise it (with the new value in the environment variable) to have apply write ${secret.property} again. Never the secret itself.`,
      };
    }
  }
  for (const [name, schema] of Object.entries(ctx.beta.get(path) ?? {})) if (!(name in properties)) properties[name] = schema;
  const schema: JsonObject = { type: opts.nullable ? ["object", "null"] : "object", additionalProperties: false, properties };
  if (required.length > 0) schema.required = required;
  const description = ctx.model.descriptions.get(typeName);
  if (description) schema.description = description;
  return schema;
}

function excluded(ctx: Context, p: CsdlProperty & { owner: string }, path: string): boolean {
  if (p.type === "Edm.Stream") return true;
  if (ctx.model.readOnly.has(`${p.owner}/${p.name}`)) return true;
  if (path === p.name && (GENERIC_SERVER_MANAGED as readonly string[]).includes(p.name)) return true;
  if (ctx.info.serverManaged.some((entry) => matchesManaged(entry, path))) return true;
  if (p.navigation) return !isOwnCollection(ctx, path) && !ctx.referenceParents.has(path);
  return false;
}

/** A server-managed entry: a dotted path, or a name prefix ending in `*` (`onPremises*`). */
function matchesManaged(entry: string, path: string): boolean {
  if (!entry.endsWith("*")) return entry === path;
  const prefix = entry.slice(0, -1);
  return path.startsWith(prefix) && !path.slice(prefix.length).includes(".");
}

/** Navigation properties a document holds in full: nested collections and relationships. */
function isOwnCollection(ctx: Context, path: string): boolean {
  return (ctx.info.nestedCollections ?? []).some((n) => n.property === path) || (ctx.info.relationships ?? []).some((r) => r.property === path) || (ctx.info.inlineNavigation ?? []).includes(path);
}

function propertySchema(ctx: Context, p: CsdlProperty & { owner: string }, path: string, stack: string[]): JsonObject {
  const description = ctx.model.descriptions.get(`${p.owner}/${p.name}`);
  const withDescription = (s: JsonObject): JsonObject => (description ? { ...s, description } : s);
  if ((ctx.info.apiPermissionsPath !== undefined && path === `${ctx.info.apiPermissionsPath}.resourceAccess.id`) || path === ctx.info.appRoleField?.property) {
    return withDescription(permissionSchema());
  }
  if ((ctx.info.secrets ?? []).some((secret) => secret.property === path)) {
    return { type: "string", pattern: SECRET_REFERENCE_PATTERN_SOURCE, description: "Write-only secret: env:NAME, the environment variable apply takes the value from (never the value itself)." };
  }
  const reference = ctx.references.get(path);
  if (reference) {
    const item = referenceSchema(reference.targets, reference.sentinels ?? []);
    return withDescription(p.collection ? { type: "array", items: item } : nullable(item, p.nullable));
  }
  const values = STRING_ENUMS[`${p.owner}/${p.name}`];
  if (values && p.type === "Edm.String") {
    const member: JsonObject = { enum: !p.collection && p.nullable ? [...values, null] : [...values] };
    return withDescription(p.collection ? { type: "array", items: member } : member);
  }
  let item: JsonObject;
  // A single-valued navigation property with a reference inside is a link (`{ id }`); a collection
  // (an authentication method's includeTargets) holds data of its own.
  if (p.navigation && !p.collection && ctx.referenceParents.has(path) && !isOwnCollection(ctx, path)) {
    item = referenceHolder(ctx, path);
  } else {
    item = valueSchema(ctx, p.type, path, stack, !p.collection && p.nullable);
  }
  return withDescription(p.collection ? { type: "array", items: item } : item);
}

/** A navigation property kept only because a reference lies inside it: `{ id: <reference> }`. */
function referenceHolder(ctx: Context, path: string): JsonObject {
  const properties: Record<string, JsonValue> = {};
  for (const [refPath, field] of ctx.references) {
    if (refPath.startsWith(`${path}.`) && !refPath.slice(path.length + 1).includes(".")) {
      properties[refPath.slice(path.length + 1)] = referenceSchema(field.targets, field.sentinels ?? []);
    }
  }
  return { type: ["object", "null"], additionalProperties: false, properties };
}

function valueSchema(ctx: Context, typeName: string, path: string, stack: string[], isNullable: boolean): JsonObject {
  const primitive = PRIMITIVES[typeName];
  if (primitive) return nullable(primitive, isNullable);
  const enumType = ctx.model.enums.get(typeName);
  if (enumType) {
    const members = enumType.members.filter((m) => m !== "unknownFutureValue");
    if (enumType.isFlags) {
      const alt = `(?:${members.join("|")})`;
      return nullable({ type: "string", pattern: `^\\s*${alt}(?:\\s*,\\s*${alt})*\\s*$`, "x-flags": members }, isNullable);
    }
    return { enum: isNullable ? [...members, null] : members };
  }
  if (ctx.model.types.has(typeName)) return objectSchema(ctx, typeName, path, stack, { required: false, nullable: isNullable });
  return {};
}

function nullable(schema: JsonObject, isNullable: boolean): JsonObject {
  if (!isNullable || typeof schema.type !== "string") return schema;
  return { ...schema, type: [schema.type, "null"] };
}

/** An API permission: `permission:<value>` (an app role or scope of the resource) or its GUID. */
function permissionSchema(): JsonObject {
  const guid = GUID_PATTERN_SOURCE.slice(1, -1);
  return { type: "string", pattern: `^(?:${guid}|permission:\\S(?:.*\\S)?)$`, "x-permission": true };
}

/** A reference value: `prefix:name` (one of `targets`), a GUID, or a sentinel. */
export function referenceSchema(targets: readonly ReferencePrefix[], sentinels: readonly string[]): JsonObject {
  const escaped = sentinels.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const guid = GUID_PATTERN_SOURCE.slice(1, -1);
  // Authentication contexts are referred to by their chosen id (`c1` … `c99`), not a GUID.
  const contextId = targets.includes("authenticationContext") ? [AUTH_CONTEXT_ID_PATTERN_SOURCE.slice(1, -1)] : [];
  const alternatives = [guid, ...contextId, `(?:${targets.join("|")}):\\S(?:.*\\S)?`, ...escaped];
  return { type: "string", pattern: `^(?:${alternatives.join("|")})$`, "x-reference": { targets: [...targets], sentinels: [...sentinels] } };
}
