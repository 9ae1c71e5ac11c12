import type { JsonValue } from "../../model/document.js";

/**
 * A Graph `directoryAudit` entry (docs/graph-behaviour.md §12), the fields drift attribution reads. Graph
 * sends both `initiatedBy.user` and `initiatedBy.app`, the unused one null or all-null.
 */
export interface DirectoryAudit {
  id: string;
  activityDateTime: string;
  activityDisplayName: string;
  category?: string;
  correlationId?: string;
  /** `success`, `failure`, `timeout`, `unknownFutureValue`. */
  result?: string;
  /** `Add`, `Assign`, `Update`, `Unassign`, `Delete` (free text in practice). */
  operationType?: string;
  loggedByService?: string;
  initiatedBy: { user?: AuditUser; app?: AuditApp };
  targetResources: AuditTarget[];
}

export interface AuditUser {
  id?: string;
  displayName?: string;
  userPrincipalName?: string;
}

export interface AuditApp {
  appId?: string;
  displayName?: string;
  servicePrincipalId?: string;
  servicePrincipalName?: string;
}

export interface AuditTarget {
  id?: string;
  displayName?: string;
  type?: string;
  userPrincipalName?: string;
  modifiedProperties: { displayName?: string; oldValue?: string; newValue?: string }[];
}

/**
 * Narrows raw Graph JSON (`GET /auditLogs/directoryAudits` values) to `DirectoryAudit`s. Entries
 * without id, time or activity name are counted in `rejected`, not guessed at.
 */
export function parseDirectoryAudits(values: readonly JsonValue[]): { audits: DirectoryAudit[]; rejected: number } {
  const audits: DirectoryAudit[] = [];
  let rejected = 0;
  for (const value of values) {
    const audit = parseAudit(value);
    if (audit) audits.push(audit);
    else rejected += 1;
  }
  return { audits, rejected };
}

/**
 * Query options for the audit entries of a sync window: `activityDateTime ge since` (and `le
 * until`), oldest first. Entries arrive 2–15 minutes late (docs/graph-behaviour.md §12): start the window a
 * little before the previous sync.
 */
export function auditQuery(since: Date, until?: Date): Record<string, string> {
  const clauses = [`activityDateTime ge ${since.toISOString()}`];
  if (until) clauses.push(`activityDateTime le ${until.toISOString()}`);
  return { $filter: clauses.join(" and "), $orderby: "activityDateTime asc" };
}

function parseAudit(value: JsonValue): DirectoryAudit | undefined {
  const o = asObject(value);
  if (!o) return undefined;
  const id = str(o.id);
  const activityDateTime = str(o.activityDateTime);
  const activityDisplayName = str(o.activityDisplayName);
  if (!id || !activityDateTime || Number.isNaN(Date.parse(activityDateTime)) || !activityDisplayName) return undefined;
  const initiated = asObject(o.initiatedBy) ?? {};
  const user = asObject(initiated.user);
  const app = asObject(initiated.app);
  const audit: DirectoryAudit = {
    id,
    activityDateTime,
    activityDisplayName,
    initiatedBy: {},
    targetResources: (Array.isArray(o.targetResources) ? o.targetResources : []).flatMap((t) => {
      const target = asObject(t);
      return target ? [parseTarget(target)] : [];
    }),
  };
  for (const key of ["category", "correlationId", "result", "operationType", "loggedByService"] as const) {
    const v = str(o[key]);
    if (v) audit[key] = v;
  }
  if (user) {
    const u = pick(user, ["id", "displayName", "userPrincipalName"]);
    if (Object.keys(u).length > 0) audit.initiatedBy.user = u;
  }
  if (app) {
    const a = pick(app, ["appId", "displayName", "servicePrincipalId", "servicePrincipalName"]);
    if (Object.keys(a).length > 0) audit.initiatedBy.app = a;
  }
  return audit;
}

function parseTarget(t: Record<string, JsonValue>): AuditTarget {
  const target: AuditTarget = { ...pick(t, ["id", "displayName", "type", "userPrincipalName"]), modifiedProperties: [] };
  for (const p of Array.isArray(t.modifiedProperties) ? t.modifiedProperties : []) {
    const prop = asObject(p);
    if (prop) target.modifiedProperties.push(pick(prop, ["displayName", "oldValue", "newValue"]));
  }
  return target;
}

function pick<K extends string>(o: Record<string, JsonValue>, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const v = str(o[key]);
    if (v) out[key] = v;
  }
  return out;
}

function asObject(value: JsonValue | undefined): Record<string, JsonValue> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
}

function str(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
