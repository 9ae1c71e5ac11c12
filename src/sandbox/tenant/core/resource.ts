/**
 * The resource-definition API: one file per Graph resource describes it declaratively and the
 * generic handlers (collection list/create, item get/update/delete, singleton get/update, `$count`,
 * paging, `$filter`/`$select`/`$orderby`/`$search`/`$expand`, permissions, audit, soft delete,
 * replication delay) do the rest.
 *
 * How to register a resource:
 * 1. Create `resources/<area>/<resource>.ts` exporting a `ResourceDefinition` (use
 *    `defineResource({...})` for type checking), e.g.
 *    ```ts
 *    export const namedLocations = defineResource({
 *      collection: "namedLocations",
 *      entityType: "microsoft.graph.namedLocation",
 *      resourceName: "NamedLocation",
 *      paths: [{ path: "/identity/conditionalAccess/namedLocations" }],     // v1.0 and beta
 *      odataType: { allowed: ["#microsoft.graph.ipNamedLocation", "#microsoft.graph.countryNamedLocation"], requiredOnCreate: true },
 *      readOnly: { id: "ignore", createdDateTime: "ignore", modifiedDateTime: "ignore" },
 *      permissions: { read: ["Policy.Read.All"], write: ["Policy.ReadWrite.ConditionalAccess"] },
 *      paging: { defaultTop: 100, maxTop: 999 },
 *      create: (ctx, body, id) => ({ ...body, id, createdDateTime: ctx.nowIso(), modifiedDateTime: ctx.nowIso() }),
 *      update: (ctx, existing, patch) => ({ ...existing, ...patch, modifiedDateTime: ctx.nowIso() }),
 *      validate: (ctx, entity) => { if (!entity.displayName) throw badRequest("...", "BadRequest"); },
 *      references: (entity) => [...ids the object points at],   // checked with replication delay
 *      audit: { category: "Policy", service: "Conditional Access", targetType: "Policy",
 *               add: "Add named location", update: "Update named location", delete: "Delete named location" },
 *      softDelete: { bin: "conditionalAccess:namedLocations" },
 *    });
 *    ```
 * 2. Add it to the list the tenant loads (`resources/index.ts` lists the directory resources;
 *    `resources/policies/index.ts` exports `policyResources`).
 * Anything not covered declaratively goes in `itemRoutes` / `collectionRoutes` / `routes`
 * (handlers receive a `RequestContext` and path parameters, and throw `GraphHttpError`s).
 */
import type { GraphResponse, HttpMethod } from "../../types.js";
import type { Entity } from "./entity.js";
import type { FilterOp } from "../odata/filter-ast.js";
import type { RequestContext } from "./context.js";

export type ApiVersion = "v1.0" | "beta";

export interface ResourcePath {
  /** e.g. `/users` or `/identity/conditionalAccess/namedLocations` (or a singleton's path). */
  path: string;
  /** Default: both v1.0 and beta. */
  versions?: readonly ApiVersion[];
}

export type RouteHandler = (
  ctx: RequestContext,
  params: Readonly<Record<string, string>>,
) => GraphResponse | Promise<GraphResponse>;

export interface RouteSpec {
  method: HttpMethod;
  /**
   * Pattern relative to the item (`itemRoutes`: "members/$ref", "members/{memberId}/$ref",
   * "addPassword"), to the collection (`collectionRoutes`: "delta"), or absolute (`routes`).
   * `{name}` matches one segment; `{cast}` matches only `microsoft.graph.*` segments.
   * Item routes get the item id as `params.id` and the item is already checked to exist.
   */
  path: string;
  handler: RouteHandler;
  /** Permission list for this route; default: the resource's read (GET) or write permissions. */
  permissions?: readonly string[];
  versions?: readonly ApiVersion[];
}

/** How a read-only / server-managed field in a request body is treated. */
export type ReadOnlyMode = "ignore" | "reject";

export interface SoftDeletePolicy {
  /** Recycle bin name: "directory" for `/directory/deletedItems`, or one of your own. */
  bin: string;
  /** Decide per object (e.g. only Microsoft 365 groups are soft-deleted); default: always. */
  when?: (entity: Entity) => boolean;
  /** Days before the object is purged (default 30). */
  retentionDays?: number;
}

export interface AuditNames {
  /** e.g. "Core Directory", "Conditional Access". */
  service: string;
  /** e.g. "UserManagement", "GroupManagement", "ApplicationManagement", "Policy". */
  category: string;
  /** targetResources[].type, e.g. "User", "Group", "Application", "Policy", "Other". */
  targetType: string;
  add?: string;
  update?: string;
  delete?: string;
  restore?: string;
  hardDelete?: string;
  /** Override modifiedProperties for updates (default: one entry per changed top-level property). */
  modifiedProperties?: (before: Entity | undefined, after: Entity | undefined) => ModifiedProperty[];
}

export interface ModifiedProperty {
  displayName: string;
  oldValue: string | null;
  newValue: string | null;
}

export interface ResourceDefinition {
  /** Store collection name (unique), e.g. "users". */
  collection: string;
  /** Full entity type name without '#', e.g. "microsoft.graph.user". */
  entityType: string;
  /** Resource name in Graph's messages ("... of resource 'User'"). */
  resourceName: string;
  paths: readonly ResourcePath[];
  /** GET and PATCH on the path itself; no collection, no POST/DELETE. */
  singleton?: boolean;
  /** Polymorphic types accepted in `@odata.type` on create (with '#'); base type if omitted. */
  odataType?: { allowed?: readonly string[]; requiredOnCreate?: boolean; emit?: boolean };
  /** Server-managed fields and what a write that carries them gets. */
  readOnly?: Readonly<Record<string, ReadOnlyMode>>;
  /** Fields that may be set on create only; a PATCH that changes them is rejected with this message. */
  immutable?: Readonly<Record<string, string>>;
  permissions: { read: readonly string[]; write: readonly string[]; create?: readonly string[]; delete?: readonly string[] };
  paging?: { defaultTop: number; maxTop: number };
  /** Directory objects follow Entra's advanced-query rules (docs/graph-behaviour.md §1). */
  directoryObject?: boolean;
  /** Supported `$filter` operators per property path; "any" = no checks. Default "any". */
  filter?: Readonly<Record<string, readonly FilterOp[]>> | "any";
  /**
   * A list Graph refuses without `$filter` comparing one of these properties with `eq` (at the top
   * level, or in an `and`): PIM for groups' schedules need a `groupId` or `principalId`.
   */
  requiredFilter?: readonly string[];
  /** Properties supported only as advanced queries (ConsistencyLevel + $count=true). */
  advancedFilter?: Readonly<Record<string, readonly FilterOp[]>>;
  /** `$orderby` support per property. Default: not supported on directory objects, free otherwise. */
  orderBy?: Readonly<Record<string, "default" | "advanced">> | "any";
  /** Properties `$search` tokenizes ("displayName:foo"). */
  search?: readonly string[];
  /** Default property sets per version when no `$select` (e.g. v1.0 users). */
  defaultSelect?: Partial<Record<ApiVersion, readonly string[]>>;
  /** `$expand` navigations (capped at 20 items, no nextLink). */
  expand?: Readonly<Record<string, (ctx: RequestContext, entity: Entity) => Entity[] | Entity | null>>;
  /** Build the full object for POST (fill defaults and server-managed fields). */
  create?: (ctx: RequestContext, body: Record<string, unknown>, id: string) => Entity;
  /** Merge a PATCH (default: shallow merge, arrays replaced whole). */
  update?: (ctx: RequestContext, existing: Entity, patch: Record<string, unknown>) => Entity;
  /** Throw a GraphHttpError to reject; `previous` is undefined on create. */
  validate?: (ctx: RequestContext, entity: Entity, previous: Entity | undefined, body: Record<string, unknown>) => void;
  /** Ids the object references, checked (with replication delay) before create/update. */
  references?: (entity: Entity, body: Record<string, unknown>) => readonly string[];
  afterCreate?: (ctx: RequestContext, entity: Entity, body: Record<string, unknown>) => void;
  afterUpdate?: (ctx: RequestContext, entity: Entity, body: Record<string, unknown>) => void;
  beforeDelete?: (ctx: RequestContext, entity: Entity) => void;
  /** The object as Graph returns it (hide sandbox-internal fields). Default: as stored. */
  view?: (ctx: RequestContext, entity: Entity) => Entity;
  softDelete?: SoftDeletePolicy;
  audit?: AuditNames;
  /**
   * Per-object access beyond the permission lists (e.g. Application.ReadWrite.OwnedBy reaches only
   * the apps the caller owns): throw `forbidden()` to refuse. Lists leave out refused objects.
   */
  authorizeItem?: (ctx: RequestContext, entity: Entity, access: "read" | "write") => void;
  /**
   * Work the service does on its own clock (a PIM activation ending), run before every request so
   * no reader sees a state Graph would already have left. Keep it cheap: it runs on every call.
   */
  housekeeping?: (ctx: RequestContext) => void;
  /** Whether readers see the object yet (audit entries before their latency passed): else 404 and left out of lists. */
  visible?: (ctx: RequestContext, entity: Entity) => boolean;
  /** Subject to the replication-delay fault (default: true for directory objects). */
  replicated?: boolean;
  /** OData alternate keys, e.g. ["appId", "uniqueName"] for `/applications(appId='…')`. */
  alternateKeys?: readonly string[];
  /** Properties that address an item in place of its id in the path, e.g. `/users/{userPrincipalName}`. */
  pathKeys?: readonly string[];
  /** Alternate keys that support upsert (PATCH with `Prefer: create-if-missing`). */
  upsertKeys?: readonly string[];
  /** Objects present in every tenant (singletons, built-ins), created before any seed. */
  initial?: (ctx: RequestContext) => readonly Record<string, unknown>[];
  /** Which generic writes exist (default all true; singletons only update). */
  methods?: { create?: boolean; update?: boolean; delete?: boolean };
  /** Default order of list results (default: by id, like Graph's opaque order). */
  defaultOrder?: (a: Entity, b: Entity) => number;
  itemRoutes?: readonly RouteSpec[];
  collectionRoutes?: readonly RouteSpec[];
  routes?: readonly RouteSpec[];
}

export function defineResource(definition: ResourceDefinition): ResourceDefinition {
  return definition;
}

/** Absolute routes that belong to no single resource (e.g. `/me`, `/directory/deletedItems/...`). */
export function defineRoutes(routes: readonly (RouteSpec & { permissions: readonly string[] })[]): readonly RouteSpec[] {
  return routes;
}
