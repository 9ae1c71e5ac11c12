import type { GraphRequest, GraphResponse } from "../../types.js";
import { AuditLog } from "../audit/audit-log.js";
import { AuditLatencyModel } from "../audit/audit-latency.js";
import type { AuditLatencySetting } from "../audit/audit-latency.js";
import type { ControllableClock } from "./clock.js";
import { RequestContext } from "./context.js";
import type { Entity } from "./entity.js";
import { GraphHttpError, errorBody, methodNotAllowed, noResourceForSegment, referenceNotFound } from "./errors.js";
import type { ResourceDefinition } from "./resource.js";
import { Replication } from "./replication.js";
import type { ReplicationOptions } from "./replication.js";
import { Router } from "./router.js";
import { Store } from "./store.js";
import { registerResourceRoutes } from "./crud-routes.js";
import { resolveAlternateKey } from "./alternate-keys.js";

export interface CoreOptions {
  tenantId: string;
  domain: string;
  clock: ControllableClock;
  /** Overrides every resource's default page size (tests use small pages so paging is exercised). */
  defaultPageSize?: number;
  replication?: ReplicationOptions;
  organizationName?: string;
  /** Delegated tokens also need a directory role that allows the scope (core/delegated-roles.ts). */
  delegatedRoleChecks?: boolean;
  /** How late audit entries become visible (default "realistic"), and the seed of its draws. */
  auditLatency?: AuditLatencySetting;
  auditLatencySeed?: number;
}

export type ReferenceState = "ok" | "missing" | "replicating";

/** The tenant's engine room: store, routes, resources, audit, replication. */
export class TenantCore {
  readonly store = new Store();
  readonly router = new Router();
  readonly resources = new Map<string, ResourceDefinition>();
  /** The resources' `housekeeping`, run before each request. */
  private readonly housekeeping: ((ctx: RequestContext) => void)[] = [];
  readonly replication: Replication;
  readonly auditLatency: AuditLatencyModel;
  auditLog: AuditLog;
  readonly tenantId: string;
  readonly domain: string;
  readonly clock: ControllableClock;
  defaultPageSize: number | undefined;
  readonly organizationName: string;
  delegatedRoleChecks: boolean;
  /** "refuse": app-only tokens get 403 on every policy deleted-items endpoint (not only where the docs say so). */
  deletedItemsAppOnly: "allow" | "refuse" = "allow";

  constructor(options: CoreOptions) {
    this.tenantId = options.tenantId;
    this.domain = options.domain;
    this.clock = options.clock;
    this.defaultPageSize = options.defaultPageSize;
    this.organizationName = options.organizationName ?? "Sandbox Tenant";
    this.delegatedRoleChecks = options.delegatedRoleChecks ?? false;
    this.replication = new Replication(this.store, this.clock, options.replication ?? {});
    this.auditLatency = new AuditLatencyModel(options.auditLatency ?? "realistic", options.auditLatencySeed);
    this.auditLog = new AuditLog(this.store, this.auditLatency);
  }

  register(def: ResourceDefinition): void {
    if (this.resources.has(def.collection)) throw new Error(`resource collection '${def.collection}' registered twice`);
    this.resources.set(def.collection, def);
    if (def.housekeeping) this.housekeeping.push(def.housekeeping);
    registerResourceRoutes(this, def);
  }

  resource(collection: string): ResourceDefinition {
    const def = this.resources.get(collection);
    if (!def) throw new Error(`unknown resource collection '${collection}'`);
    return def;
  }

  pageSizeFor(def: ResourceDefinition): number {
    return this.defaultPageSize ?? def.paging?.defaultTop ?? 100;
  }

  directoryCollections(): string[] {
    return [...this.resources.values()].filter((d) => d.directoryObject).map((d) => d.collection);
  }

  /** A live directory object by id in any directory collection (no replication check). */
  findDirectoryObject(id: string): { collection: string; entity: Entity; def: ResourceDefinition } | undefined {
    const found = this.store.findAnywhere(id, this.directoryCollections());
    return found ? { ...found, def: this.resource(found.collection) } : undefined;
  }

  /**
   * Whether an object a write refers to can be used: "missing" if it does not exist in the given
   * collections (default: all directory objects), "replicating" while the replication-delay fault
   * hides it. Counts as one read for count-based replication delay.
   */
  checkReference(id: string, collections?: readonly string[]): ReferenceState {
    const found = this.store.findAnywhere(id, collections ?? this.directoryCollections());
    if (!found) return "missing";
    const def = this.resources.get(found.collection);
    const replicated = def?.replicated ?? def?.directoryObject ?? false;
    if (replicated && !this.replication.isVisible(found.entity.id)) return "replicating";
    return "ok";
  }

  /** Throw Graph's 400 "... does not exist or one of its queried reference-property objects are not present." */
  requireReference(id: string, collections?: readonly string[]): void {
    if (this.checkReference(id, collections) !== "ok") throw referenceNotFound(id);
  }

  async handle(request: GraphRequest, system = false): Promise<GraphResponse> {
    let ctx = new RequestContext(this, request, system);
    const clientRequestId = request.headers["client-request-id"] ?? request.requestId;
    const baseHeaders = { "request-id": request.requestId, "client-request-id": clientRequestId };
    try {
      const resolved = resolveAlternateKey(this, request, system);
      if (!("principal" in resolved)) return { ...resolved, headers: { ...baseHeaders, ...(resolved.headers ?? {}) } };
      request = resolved;
      ctx = new RequestContext(this, request, system);
      for (const work of this.housekeeping) work(ctx);
      const match = this.router.match(request.method, request.version, request.path);
      if (match === "method") throw methodNotAllowed();
      if (!match) {
        const last = request.path.split("/").filter(Boolean).pop() ?? request.path;
        throw noResourceForSegment(last);
      }
      // An empty list means the handler checks permissions itself (e.g. per deleted-item type).
      if (match.permissions && match.permissions.length > 0) ctx.requirePermission(match.permissions);
      const response = await match.handler(ctx, match.params);
      return { ...response, headers: { ...baseHeaders, ...(response.headers ?? {}) } };
    } catch (error) {
      const graphError =
        error instanceof GraphHttpError
          ? error
          : new GraphHttpError(500, "InternalServerError", error instanceof Error ? error.message : String(error));
      return {
        status: graphError.status,
        headers: { ...baseHeaders, ...graphError.headers },
        body: errorBody(graphError, request.requestId, clientRequestId, this.clock.now()),
      };
    }
  }
}
