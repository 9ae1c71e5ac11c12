/**
 * `/directory/attributeSets`: custom security attribute sets (docs/graph-behaviour.md, attribute
 * sets). POST (201) needs `id` (up to 32 letters or digits, no spaces or special characters, unique
 * case-insensitively); `description` up to 128 characters, `maxAttributesPerSet` a whole number
 * from 1 to 500 or null; any other property is refused. PATCH by id (the id cannot change); no
 * DELETE (Graph cannot delete a set); at most 500 sets.
 */
import type { Entity } from "../core/entity.js";
import { isRecord } from "../core/entity.js";
import { badRequest, GraphHttpError, refuseUnknownProperties } from "../core/errors.js";
import { entityResponse } from "../core/crud.js";
import { defineResource } from "../core/resource.js";
import type { ResourceDefinition } from "../core/resource.js";
import { createWithId } from "./policies/lazy-routes.js";

const PATH = "/directory/attributeSets";
const NAME = "AttributeSet";
const READ = ["CustomSecAttributeDefinition.Read.All", "CustomSecAttributeDefinition.ReadWrite.All"];
const WRITE = ["CustomSecAttributeDefinition.ReadWrite.All"];
const PROPERTIES = new Set(["id", "description", "maxAttributesPerSet"]);
const MAX_SETS = 500;

function invalid(property: string): GraphHttpError {
  return badRequest(`Invalid value specified for property '${property}' of resource '${NAME}'.`, "Request_BadRequest");
}

export const attributeSets: ResourceDefinition = defineResource({
  collection: "attributeSets",
  entityType: "microsoft.graph.attributeSet",
  resourceName: NAME,
  paths: [{ path: PATH }],
  permissions: { read: READ, write: WRITE },
  methods: { create: false, delete: false },
  replicated: false,
  filter: { id: ["eq", "in"] },
  create: (_ctx, body, id) => ({ description: null, maxAttributesPerSet: null, ...body, id }) as Entity,
  validate: (_ctx, entity, previous, body) => {
    refuseUnknownProperties(body, PROPERTIES);
    if (previous && "id" in body && body["id"] !== previous.id) throw badRequest("Property 'id' is read-only and cannot be changed.", "Request_BadRequest");
    const description = entity["description"];
    if (description !== null && (typeof description !== "string" || description.length > 128)) throw invalid("description");
    const max = entity["maxAttributesPerSet"];
    if (max !== null && (typeof max !== "number" || !Number.isInteger(max) || max < 1 || max > 500)) throw invalid("maxAttributesPerSet");
  },
  audit: { service: "Core Directory", category: "AttributeManagement", targetType: "Other", add: "Add an attribute set", update: "Update an attribute set" },
  routes: [
    {
      method: "POST",
      path: PATH,
      permissions: WRITE,
      handler: (ctx) => {
        const body = isRecord(ctx.request.body) ? ctx.request.body : {};
        const id = body["id"];
        if (typeof id !== "string" || id === "" || id.length > 32 || !/^[\p{L}\p{N}]+$/u.test(id)) throw invalid("id");
        const existing = ctx.store.list(attributeSets.collection);
        if (existing.some((s) => s.id.toLowerCase() === id.toLowerCase())) throw new GraphHttpError(409, "Request_MultipleObjectsWithSameKeyValue", `An attribute set with id '${id}' already exists.`);
        if (existing.length >= MAX_SETS) throw badRequest(`A tenant can have at most ${MAX_SETS} attribute sets.`, "Request_BadRequest");
        const { id: _id, ...rest } = body;
        const entity = createWithId(ctx, attributeSets, rest, id);
        return { ...entityResponse(ctx, attributeSets, entity), status: 201 };
      },
    },
  ],
});
