import { getKind } from "../../kinds/registry.js";
import { auditNames } from "../../kinds/descriptor-read.js";
import type { DirectoryAudit } from "./audit-entry.js";
import type { ChangedObject, ObjectActivity } from "./types.js";
import { slugify } from "../../kinds/naming.js";
import { actorOf } from "./actor.js";
import { isOwnWrite } from "./own-writes.js";
import type { EngineIdentity } from "./own-writes.js";

/**
 * The words Entra uses for a kind in `activityDisplayName` come from its descriptor (`audit.activity`,
 * and `audit.category` where another kind's activities have the same names);
 * used only when ids do not match. Singletons have no per-object id in the audit log worth trusting:
 * they match by activity alone.
 */
// Most activities start with the verb; authentication methods' end with it ("Authentication Strength Policy Create").
const ADD = /^(add|create|restore|invite)\b|\bcreate$/i;
const DELETE = /^(delete|hard delete|remove)\b|\bdelete$/i;

/** Audit entries by lower-cased target id, so matching many objects stays linear. */
export type AuditIndex = ReadonlyMap<string, readonly DirectoryAudit[]>;

export function indexAuditsByTarget(audits: readonly DirectoryAudit[]): AuditIndex {
  const index = new Map<string, DirectoryAudit[]>();
  for (const audit of audits) {
    for (const id of new Set(audit.targetResources.flatMap((t) => (t.id ? [t.id.toLowerCase()] : [])))) {
      const list = index.get(id) ?? [];
      list.push(audit);
      index.set(id, list);
    }
  }
  return index;
}

/**
 * Audit entries that describe a change of this object, oldest first. Entries at or before git's
 * record of the object explain what git holds, not the change: they are left out. So are the
 * engine's own writes of its committed document (`engine`, see own-writes.ts) and every entry at or
 * before the latest of them: the engine wrote git's state back then (apply, or sync's revert of an
 * earlier change), so only later entries can explain how the object differs now.
 */
export function matchActivities(
  change: ChangedObject,
  audits: readonly DirectoryAudit[],
  index: AuditIndex = indexAuditsByTarget(audits),
  engine?: EngineIdentity,
): ObjectActivity[] {
  const time = (a: ObjectActivity): number => Date.parse(a.audit.activityDateTime);
  const after = change.recordedAt?.getTime();
  const all = matchAllActivities(change, audits, index).filter((a) => after === undefined || time(a) > after);
  const own = engine ? all.filter((a) => isOwnWrite(a.audit, change, engine)) : [];
  if (own.length === 0) return all;
  const cutoff = Math.max(...own.map(time));
  return all.filter((a) => time(a) > cutoff);
}

function matchAllActivities(change: ChangedObject, audits: readonly DirectoryAudit[], index: AuditIndex): ObjectActivity[] {
  const id = change.id?.toLowerCase();
  const byId = id ? [...(index.get(id) ?? [])] : [];
  // A deleted member leaves its groups with no audit entry of the group's own: its delete is the record.
  const gone = removedMembers(change);
  const deletes = gone.size > 0 ? audits.filter((a) => !byId.includes(a) && deletesOneOf(a, gone)) : [];
  if (byId.length > 0 || deletes.length > 0) {
    return sortActivities([...byId.map((audit): ObjectActivity => ({ audit, actor: actorOf(audit), matchedBy: "id" })), ...deletes.map((audit): ObjectActivity => ({ audit, actor: actorOf(audit), matchedBy: "memberDeleted" }))]);
  }

  const descriptor = getKind(change.kind);
  if (change.kind === "roleAssignment") {
    const hits = audits.filter((a) => roleAssignmentMatches(change, a));
    return sortActivities(hits.map((audit) => ({ audit, actor: actorOf(audit), matchedBy: ROLE_ACTIVITY.test(audit.activityDisplayName) ? "roleMember" : "principalDeleted" })));
  }
  if (descriptor.singleton) {
    const hits = audits.filter((a) => auditNames(descriptor.audit, a));
    return sortActivities(hits.map((audit) => ({ audit, actor: actorOf(audit), matchedBy: "singleton" })));
  }
  const names = displayNames(change);
  if (names.size === 0) return [];
  const verbOk = (a: DirectoryAudit): boolean =>
    change.change === "added"
      ? ADD.test(a.activityDisplayName) || a.operationType === "Add"
      : change.change === "deleted"
        ? DELETE.test(a.activityDisplayName) || a.operationType === "Delete"
        : true;
  const hits = audits.filter(
    (a) =>
      auditNames(descriptor.audit, a) &&
      verbOk(a) &&
      a.targetResources.some((t) => [t.displayName, t.userPrincipalName].some((n) => n !== undefined && names.has(n.toLowerCase()))),
  );
  return sortActivities(hits.map((audit) => ({ audit, actor: actorOf(audit), matchedBy: "displayName" })));
}

/**
 * Role assignments carry their own id, but Entra audits them as "Add member to role" / "Remove
 * member from role" with the principal and the role as targets: match the principal reference
 * (`user:<upn>`, `group:<name>`, `servicePrincipal:<name>`) and the role (`role:<display name>`).
 * A removed assignment also matches the delete of its principal.
 */
const ROLE_ACTIVITY = /member (to|from) role|role assignment/i;

function roleAssignmentMatches(change: ChangedObject, audit: DirectoryAudit): boolean {
  // PIM for groups logs the same names under GroupManagement: not a directory role's.
  const category = getKind("roleAssignment").audit.category;
  const roleActivity = auditNames({ activity: ROLE_ACTIVITY, ...(category ? { category } : {}) }, audit);
  // Graph removes a deleted principal's role assignments with no entry of their own: the
  // principal's delete is the record (docs/graph-behaviour.md, "Sandbox behaviour table").
  const principalDeleted = change.change === "deleted" && DELETE.test(audit.activityDisplayName) && /\b(user|group|service principal)\b/i.test(audit.activityDisplayName);
  if (!roleActivity && !principalDeleted) return false;
  const spec = (change.document ?? change.previous)?.spec;
  const principal = typeof spec?.principalId === "string" ? spec.principalId : undefined;
  const role = typeof spec?.roleDefinitionId === "string" ? spec.roleDefinitionId : undefined;
  if (!principal || !role) return false;
  const principalName = principal.slice(principal.indexOf(":") + 1).toLowerCase();
  const roleName = role.startsWith("role:") ? role.slice(5).toLowerCase() : role.toLowerCase();
  const names = (t: DirectoryAudit["targetResources"][number]): string[] =>
    [t.id, t.userPrincipalName, t.displayName, t.displayName ? slugify(t.displayName) : undefined].flatMap((n) => (n ? [n.toLowerCase()] : []));
  const hasPrincipal = audit.targetResources.some((t) => names(t).includes(principalName));
  if (!roleActivity) return hasPrincipal;
  const hasRole = audit.targetResources.some((t) => names(t).includes(roleName));
  return hasPrincipal && hasRole;
}

/** Members (references, lower case, without their `user:`-style prefix) the change removes. */
function removedMembers(change: ChangedObject): Set<string> {
  if (change.change !== "modified") return new Set();
  const members = (doc: ChangedObject["document"] | undefined): string[] => {
    const value = doc?.spec["members"];
    return Array.isArray(value) ? value.filter((m): m is string => typeof m === "string").map((m) => m.slice(m.indexOf(":") + 1).toLowerCase()) : [];
  };
  const kept = new Set(members(change.document));
  return new Set(members(change.previous).filter((m) => !kept.has(m)));
}

/** A delete of a user, group or service principal whose target is one of `names`. */
function deletesOneOf(audit: DirectoryAudit, names: ReadonlySet<string>): boolean {
  if (!DELETE.test(audit.activityDisplayName) || !/\b(user|group|service principal)\b/i.test(audit.activityDisplayName)) return false;
  return audit.targetResources.some((t) => [t.id, t.userPrincipalName, t.displayName, t.displayName ? slugify(t.displayName) : undefined].some((n) => n !== undefined && names.has(n.toLowerCase())));
}

/** Names an audit target may carry for this object: display name (or UPN) before and after. */
function displayNames(change: ChangedObject): Set<string> {
  const names = new Set<string>();
  for (const doc of [change.document, change.previous]) {
    for (const key of ["displayName", "userPrincipalName"]) {
      const value = doc?.spec[key];
      if (typeof value === "string" && value.trim() !== "") names.add(value.toLowerCase());
    }
  }
  return names;
}

export function compareAudits(a: DirectoryAudit, b: DirectoryAudit): number {
  const t = Date.parse(a.activityDateTime) - Date.parse(b.activityDateTime);
  if (t !== 0) return t;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function sortActivities(list: ObjectActivity[]): ObjectActivity[] {
  return list.sort((x, y) => compareAudits(x.audit, y.audit));
}
