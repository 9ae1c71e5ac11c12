/**
 * `/directory/customSecurityAttributeDefinitions`: custom security attribute definitions and their
 * predefined values (docs/graph-behaviour.md, custom security attribute definitions). POST (201)
 * needs `attributeSet` (an existing set), `name` (up to 32 letters or digits, unique in the set
 * case-insensitively), `type` (`Boolean`, `Integer`, `String`), `status` (`Available`,
 * `Deprecated`), `isCollection`, `isSearchable` and `usePreDefinedValuesOnly` (booleans; a Boolean
 * attribute can be neither a collection nor restricted to predefined values); `description` up to
 * 128 characters; the id is `<set>_<name>` and cannot be supplied. At most 500 active definitions
 * per tenant and the set's `maxAttributesPerSet`. PATCH writes only `description`, `status` and
 * `usePreDefinedValuesOnly` (true → false only); no DELETE. Predefined values (`allowedValues`,
 * returned only by `$expand` or their own path): POST with `id` (up to 64 characters, case
 * sensitive) and `isActive`, at most 100 per definition; PATCH of `isActive` only; no DELETE.
 */
import type { Entity } from "../core/entity.js";
import { isRecord } from "../core/entity.js";
import { badRequest, GraphHttpError, methodNotAllowed, notFound, refuseUnknownProperties } from "../core/errors.js";
import { entityResponse, getVisible } from "../core/crud.js";
import type { RequestContext } from "../core/context.js";
import { defineResource } from "../core/resource.js";
import type { ResourceDefinition } from "../core/resource.js";
import { createWithId } from "./policies/lazy-routes.js";

const PATH = "/directory/customSecurityAttributeDefinitions";
const NAME = "CustomSecurityAttributeDefinition";
const READ = ["CustomSecAttributeDefinition.Read.All", "CustomSecAttributeDefinition.ReadWrite.All"];
const WRITE = ["CustomSecAttributeDefinition.ReadWrite.All"];
const CREATE_PROPERTIES = new Set(["attributeSet", "name", "description", "type", "status", "isCollection", "isSearchable", "usePreDefinedValuesOnly", "allowedValues"]);
const UPDATE_PROPERTIES = new Set(["description", "status", "usePreDefinedValuesOnly"]);
const TYPES = new Set(["Boolean", "Integer", "String"]);
const STATUSES = new Set(["Available", "Deprecated"]);
const MAX_ACTIVE = 500;
const MAX_VALUES = 100;
const VALUES = "allowedValues";

function invalid(property: string, resource = NAME): GraphHttpError {
  return badRequest(`Invalid value specified for property '${property}' of resource '${resource}'.`, "Request_BadRequest");
}

type AllowedValue = { id: string; isActive: boolean };

function valuesOf(entity: Entity): AllowedValue[] {
  const list = entity[VALUES];
  return Array.isArray(list) ? (list as AllowedValue[]) : [];
}

/** What a predefined value may carry. */
const VALUE_PROPERTIES: ReadonlySet<string> = new Set(["id", "isActive"]);

/** A predefined value as POSTed: `id` (1–64 characters) and `isActive` (boolean), nothing else. */
function checkValue(body: unknown, existing: readonly AllowedValue[]): AllowedValue {
  if (!isRecord(body)) throw badRequest("A predefined value must be an object.");
  refuseUnknownProperties(body, VALUE_PROPERTIES);
  const id = body["id"];
  if (typeof id !== "string" || id.trim() === "" || id.length > 64) throw invalid("id", "AllowedValue");
  if (typeof body["isActive"] !== "boolean") throw invalid("isActive", "AllowedValue");
  if (existing.some((v) => v.id === id)) throw new GraphHttpError(409, "Request_MultipleObjectsWithSameKeyValue", `A predefined value '${id}' already exists.`);
  if (existing.length >= MAX_VALUES) throw badRequest(`A custom security attribute can have at most ${MAX_VALUES} predefined values.`);
  return { id, isActive: body["isActive"] };
}

function definitionOf(ctx: RequestContext, id: string, access: "read" | "write"): Entity {
  return getVisible(ctx, customSecurityAttributeDefinitions, id, access);
}

function valueOf(definition: Entity, valueId: string): AllowedValue {
  const found = valuesOf(definition).find((v) => v.id === valueId);
  if (!found) throw notFound(valueId);
  return found;
}

function storeValues(ctx: RequestContext, definition: Entity, values: AllowedValue[]): void {
  ctx.store.put(customSecurityAttributeDefinitions.collection, { ...definition, [VALUES]: values });
}

function valueResponse(ctx: RequestContext, definitionId: string, value: AllowedValue, status = 200): { status: number; body: Record<string, unknown> } {
  return { status, body: { "@odata.context": `${ctx.request.serviceRoot}/$metadata#directory/customSecurityAttributeDefinitions('${definitionId}')/allowedValues/$entity`, ...value } };
}

export const customSecurityAttributeDefinitions: ResourceDefinition = defineResource({
  collection: "customSecurityAttributeDefinitions",
  entityType: "microsoft.graph.customSecurityAttributeDefinition",
  resourceName: NAME,
  paths: [{ path: PATH }],
  permissions: { read: READ, write: WRITE },
  methods: { create: false, delete: false },
  replicated: false,
  filter: { id: ["eq", "in"], attributeSet: ["eq"], status: ["eq"] },
  // The navigation is returned only when expanded.
  view: (_ctx, entity) => {
    const { [VALUES]: _values, ...rest } = entity;
    return rest as Entity;
  },
  expand: { [VALUES]: (_ctx, entity) => valuesOf(entity).map((v) => ({ ...v }) as Entity) },
  create: (_ctx, body, id) => ({ description: null, ...body, id }) as Entity,
  validate: (_ctx, entity, previous, body) => {
    if (!previous) return; // POST is checked by its own route
    for (const key of Object.keys(body)) {
      if (key === "id" && body[key] === previous.id) continue;
      if (!UPDATE_PROPERTIES.has(key) && !key.startsWith("@odata.")) throw badRequest(`Property '${key}' cannot be updated.`);
    }
    const description = entity["description"];
    if (description !== null && (typeof description !== "string" || description.length > 128)) throw invalid("description");
    if (typeof entity["status"] !== "string" || !STATUSES.has(entity["status"])) throw invalid("status");
    const restricted = entity["usePreDefinedValuesOnly"];
    if (typeof restricted !== "boolean") throw invalid("usePreDefinedValuesOnly");
    if (restricted && previous["usePreDefinedValuesOnly"] === false) throw badRequest("usePreDefinedValuesOnly can be changed from true to false, not from false to true.");
  },
  audit: {
    service: "Core Directory",
    category: "AttributeManagement",
    targetType: "Other",
    add: "Add custom security attribute definition in an attribute set",
    update: "Update custom security attribute definition in an attribute set",
  },
  itemRoutes: [
    {
      method: "GET",
      path: VALUES,
      permissions: READ,
      handler: (ctx, p) => ({
        status: 200,
        body: { "@odata.context": `${ctx.request.serviceRoot}/$metadata#directory/customSecurityAttributeDefinitions('${p["id"] ?? ""}')/allowedValues`, value: valuesOf(definitionOf(ctx, p["id"] ?? "", "read")) },
      }),
    },
    {
      method: "POST",
      path: VALUES,
      permissions: WRITE,
      handler: (ctx, p) => {
        const definition = definitionOf(ctx, p["id"] ?? "", "write");
        const value = checkValue(ctx.request.body, valuesOf(definition));
        storeValues(ctx, definition, [...valuesOf(definition), value]);
        ctx.audit({ activity: "Add a predefined value for a custom security attribute definition", category: "AttributeManagement", service: "Core Directory", operationType: "Add", targets: [{ id: definition.id, displayName: null, type: "Other", userPrincipalName: null, modifiedProperties: [] }] });
        return valueResponse(ctx, definition.id, value, 201);
      },
    },
    { method: "GET", path: `${VALUES}/{valueId}`, permissions: READ, handler: (ctx, p) => valueResponse(ctx, p["id"] ?? "", valueOf(definitionOf(ctx, p["id"] ?? "", "read"), p["valueId"] ?? "")) },
    {
      method: "PATCH",
      path: `${VALUES}/{valueId}`,
      permissions: WRITE,
      handler: (ctx, p) => {
        const definition = definitionOf(ctx, p["id"] ?? "", "write");
        const value = valueOf(definition, p["valueId"] ?? "");
        const body = isRecord(ctx.request.body) ? ctx.request.body : {};
        for (const key of Object.keys(body)) {
          if (key === "id" && body[key] === value.id) continue;
          if (key !== "isActive" && !key.startsWith("@odata.")) throw badRequest(`Property '${key}' cannot be updated.`);
        }
        if ("isActive" in body && typeof body["isActive"] !== "boolean") throw invalid("isActive", "AllowedValue");
        const isActive = typeof body["isActive"] === "boolean" ? body["isActive"] : value.isActive;
        storeValues(ctx, definition, valuesOf(definition).map((v) => (v.id === value.id ? { id: v.id, isActive } : v)));
        ctx.audit({ activity: "Update a predefined value for a custom security attribute definition", category: "AttributeManagement", service: "Core Directory", operationType: "Update", targets: [{ id: definition.id, displayName: null, type: "Other", userPrincipalName: null, modifiedProperties: [] }] });
        return { status: 204 };
      },
    },
    {
      method: "DELETE",
      path: `${VALUES}/{valueId}`,
      permissions: WRITE,
      handler: () => {
        throw methodNotAllowed();
      },
    },
  ],
  routes: [
    {
      method: "POST",
      path: PATH,
      permissions: WRITE,
      handler: (ctx) => {
        const body = isRecord(ctx.request.body) ? ctx.request.body : {};
        for (const key of Object.keys(body)) {
          if (key === "id") throw badRequest("Property 'id' is generated (<attributeSet>_<name>) and cannot be set.");
          if (!CREATE_PROPERTIES.has(key) && !key.startsWith("@odata.")) throw badRequest(`Invalid property '${key}'.`);
        }
        const setName = body["attributeSet"];
        if (typeof setName !== "string" || setName === "") throw invalid("attributeSet");
        const set = ctx.store.list("attributeSets").find((s) => s.id.toLowerCase() === setName.toLowerCase());
        if (!set) throw badRequest(`The attribute set '${setName}' does not exist.`);
        const name = body["name"];
        if (typeof name !== "string" || name === "" || name.length > 32 || !/^[\p{L}\p{N}]+$/u.test(name)) throw invalid("name");
        const type = body["type"];
        if (typeof type !== "string" || !TYPES.has(type)) throw invalid("type");
        if (typeof body["status"] !== "string" || !STATUSES.has(body["status"])) throw invalid("status");
        for (const flag of ["isCollection", "isSearchable", "usePreDefinedValuesOnly"]) if (typeof body[flag] !== "boolean") throw invalid(flag);
        if (type === "Boolean" && (body["isCollection"] === true || body["usePreDefinedValuesOnly"] === true)) {
          throw badRequest("A Boolean custom security attribute cannot be a collection or use predefined values only.");
        }
        const description = body["description"];
        if (description !== undefined && description !== null && (typeof description !== "string" || description.length > 128)) throw invalid("description");
        const all = ctx.store.list(customSecurityAttributeDefinitions.collection);
        const inSet = all.filter((d) => String(d["attributeSet"]).toLowerCase() === set.id.toLowerCase());
        if (inSet.some((d) => String(d["name"]).toLowerCase() === name.toLowerCase())) {
          throw new GraphHttpError(409, "Request_MultipleObjectsWithSameKeyValue", `An attribute named '${name}' already exists in the attribute set '${set.id}'.`);
        }
        const max = set["maxAttributesPerSet"];
        if (typeof max === "number" && inSet.length >= max) throw badRequest(`The attribute set '${set.id}' allows at most ${max} attributes.`);
        if (body["status"] === "Available" && all.filter((d) => d["status"] === "Available").length >= MAX_ACTIVE) throw badRequest(`A tenant can have at most ${MAX_ACTIVE} active custom security attributes.`);
        const values: AllowedValue[] = [];
        if (body[VALUES] !== undefined) {
          if (!Array.isArray(body[VALUES])) throw invalid(VALUES);
          for (const item of body[VALUES]) values.push(checkValue(item, values));
        }
        const { [VALUES]: _values, ...rest } = body;
        const entity = createWithId(ctx, customSecurityAttributeDefinitions, { ...rest, attributeSet: set.id, [VALUES]: values }, `${set.id}_${name}`);
        return { ...entityResponse(ctx, customSecurityAttributeDefinitions, entity), status: 201 };
      },
    },
  ],
});
