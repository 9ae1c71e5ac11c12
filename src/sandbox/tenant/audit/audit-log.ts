import { randomUUID } from "node:crypto";
import type { Entity } from "../core/entity.js";
import { isRecord, jsonEqual } from "../core/entity.js";
import type { RequestContext } from "../core/context.js";
import type { ModifiedProperty } from "../core/resource.js";
import type { Store } from "../core/store.js";
import { AuditLatencyModel } from "./audit-latency.js";

export const AUDIT_COLLECTION = "directoryAudits";

export type OperationType = "Add" | "Assign" | "Update" | "Unassign" | "Delete";

export interface AuditTarget {
  id: string;
  displayName?: string | null;
  type: string;
  userPrincipalName?: string | null;
  modifiedProperties?: ModifiedProperty[];
}

export interface AuditInput {
  activity: string;
  category: string;
  operationType: OperationType;
  service?: string;
  targets: AuditTarget[];
  result?: "success" | "failure";
  resultReason?: string;
  additionalDetails?: { key: string; value: string }[];
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function auditValue(value: unknown): string {
  if (value === undefined || value === null) return "[]";
  return JSON.stringify(Array.isArray(value) ? value : [value]);
}

/** Graph's style for directory objects: one entry per changed property plus "Included Updated Properties". */
export function diffModifiedProperties(before: Entity | undefined, after: Entity | undefined): ModifiedProperty[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changed: ModifiedProperty[] = [];
  for (const key of keys) {
    if (key === "id" || key.startsWith("@") || key.includes("@odata")) continue;
    const oldValue = before?.[key];
    const newValue = after?.[key];
    if (jsonEqual(oldValue ?? null, newValue ?? null)) continue;
    changed.push({ displayName: pascal(key), oldValue: auditValue(oldValue), newValue: auditValue(newValue) });
  }
  if (changed.length > 0) {
    changed.push({
      displayName: "Included Updated Properties",
      oldValue: null,
      newValue: JSON.stringify(changed.map((c) => c.displayName).join(", ")),
    });
  }
  return changed;
}

/**
 * Every write is recorded here, stamped with the sandbox clock's time of the write, and read back
 * through `GET /auditLogs/directoryAudits` once its latency (drawn from `latency`) has passed.
 */
export class AuditLog {
  private sequence = 0;

  constructor(
    private readonly store: Store,
    readonly latency: AuditLatencyModel = new AuditLatencyModel("off"),
  ) {
    for (const entry of store.list(AUDIT_COLLECTION)) {
      const seq = entry["_seq"];
      if (typeof seq === "number" && seq > this.sequence) this.sequence = seq;
    }
  }

  record(ctx: RequestContext, input: AuditInput): Entity {
    const principal = ctx.request.principal;
    const initiatedBy =
      principal.type === "user"
        ? {
            user: {
              id: principal.userId ?? null,
              displayName: principal.userDisplayName ?? null,
              userPrincipalName: principal.userPrincipalName ?? null,
              ipAddress: principal.ipAddress ?? null,
              userType: null,
              homeTenantId: principal.tenantId,
              homeTenantName: null,
            },
            app: null,
          }
        : {
            user: null,
            app: {
              appId: principal.appId,
              displayName: principal.appDisplayName,
              servicePrincipalId: principal.servicePrincipalId ?? null,
              servicePrincipalName: principal.appDisplayName,
            },
          };
    this.sequence += 1;
    const entry: Entity = {
      id: `Directory_${randomUUID()}`,
      category: input.category,
      correlationId: ctx.request.requestId,
      result: input.result ?? "success",
      resultReason: input.resultReason ?? "",
      activityDisplayName: input.activity,
      activityDateTime: ctx.nowIso(),
      loggedByService: input.service ?? "Core Directory",
      operationType: input.operationType,
      initiatedBy,
      targetResources: input.targets.map((t) => ({
        id: t.id,
        displayName: t.displayName ?? null,
        type: t.type,
        userPrincipalName: t.userPrincipalName ?? null,
        groupType: null,
        modifiedProperties: t.modifiedProperties ?? [],
      })),
      additionalDetails: input.additionalDetails ?? [],
      _seq: this.sequence,
      _visibleAtMs: ctx.nowMs() + this.latency.nextDelayMs(),
    };
    this.store.putUntracked(AUDIT_COLLECTION, entry);
    return entry;
  }

  /** Newest first, ties by recording order. */
  static order(a: Entity, b: Entity): number {
    const ta = Date.parse(String(a["activityDateTime"]));
    const tb = Date.parse(String(b["activityDateTime"]));
    if (ta !== tb) return tb - ta;
    const sa = typeof a["_seq"] === "number" ? a["_seq"] : 0;
    const sb = typeof b["_seq"] === "number" ? b["_seq"] : 0;
    return sb - sa;
  }

  /** Whether the entry has reached the audit log's readers at `nowMs` (its latency has passed). */
  static isVisible(entry: Entity, nowMs: number): boolean {
    const visibleAt = entry["_visibleAtMs"];
    return typeof visibleAt !== "number" || visibleAt <= nowMs;
  }

  /** Milliseconds until every entry recorded so far is visible (0 when none is pending). */
  backlogMs(nowMs: number): number {
    let latest = nowMs;
    for (const entry of this.store.list(AUDIT_COLLECTION)) {
      const visibleAt = entry["_visibleAtMs"];
      if (typeof visibleAt === "number" && visibleAt > latest) latest = visibleAt;
    }
    return latest - nowMs;
  }

  static view(entry: Entity): Entity {
    const { _seq: _ignoredSeq, _visibleAtMs: _ignoredVisible, ...rest } = entry;
    return isRecord(rest) ? (rest as Entity) : entry;
  }
}
