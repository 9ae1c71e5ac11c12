/**
 * The engine's own writes in the audit log (README "Sync state"): apply, restore, rollback --apply
 * and sync's revert write only documents git holds, signed in as the engine's identity (the
 * identity running this sync, and the apps or users listed in `sync.engineIdentities`, e.g. the
 * apply app when plan and drift use a read-only one). An entry of that identity whose recorded new
 * values agree with the committed document is the engine applying it: it explains what git holds,
 * not a change, so it never names who changed an object (sync, drift) and a person's later change
 * waits for that person's own entry. An entry of the engine's identity whose values differ from
 * the committed document (another script signed in as the same app) is still drift, by that app.
 */
import type { JsonValue } from "../../model/document.js";
import type { DirectoryAudit } from "./audit-entry.js";
import type { ChangedObject } from "./types.js";

/** Who the engine signs in as: app ids, and user object ids or UPNs, lower case. */
export interface EngineIdentity {
  appIds: ReadonlySet<string>;
  users: ReadonlySet<string>;
}

/**
 * The engine's identity from this run's token (an app-only token names its app; a delegated one,
 * its user) and the configured extra identities (GUIDs are app ids or user object ids, `x@y` UPNs).
 */
export function engineIdentity(token: { appId?: string; objectId?: string; userPrincipalName?: string; type?: "app" | "user" } | undefined, configured: readonly string[] = []): EngineIdentity {
  const appIds = new Set<string>();
  const users = new Set<string>();
  const delegated = token?.type === "user" || (token?.type === undefined && token?.userPrincipalName !== undefined);
  // A delegated token's appId is the client the user signed in through (Azure CLI), not the engine.
  if (token && !delegated && token.appId) appIds.add(token.appId.toLowerCase());
  if (token && delegated) {
    if (token.objectId) users.add(token.objectId.toLowerCase());
    if (token.userPrincipalName) users.add(token.userPrincipalName.toLowerCase());
  }
  for (const entry of configured) {
    const value = entry.trim().toLowerCase();
    if (value.includes("@")) users.add(value);
    else {
      appIds.add(value);
      users.add(value);
    }
  }
  return { appIds, users };
}

/** Whether the entry was initiated by the engine's identity. */
export function byEngine(audit: DirectoryAudit, engine: EngineIdentity): boolean {
  const { user, app } = audit.initiatedBy;
  if (user && [user.id, user.userPrincipalName].some((v) => v !== undefined && engine.users.has(v.toLowerCase()))) return true;
  return app?.appId !== undefined && engine.appIds.has(app.appId.toLowerCase());
}

const DELETE = /^(delete|hard delete|remove)\b|\bdelete$/i;

/**
 * Pure: the entry is the engine writing the committed document of this object: initiated by the
 * engine's identity, not a delete (the engine deletes only objects git no longer holds), not the
 * creation of an object git does not hold, and every new value it records for a property the
 * committed document sets to a plain value (not a reference) equals that value, with at least one
 * such property to compare (Graph's style: one modified property per changed property, values as
 * JSON, or one property holding the whole object as JSON).
 */
export function isOwnWrite(audit: DirectoryAudit, change: ChangedObject, engine: EngineIdentity): boolean {
  if (!byEngine(audit, engine)) return false;
  if (DELETE.test(audit.activityDisplayName) || audit.operationType === "Delete") return false;
  const committed = change.previous?.spec;
  if (change.change === "added" || !committed) return false;
  const id = change.id?.toLowerCase();
  const targets = audit.targetResources.filter((t) => !id || t.id?.toLowerCase() === id);
  const plain = new Map<string, JsonValue>();
  for (const [key, value] of Object.entries(committed)) if (isPlain(value)) plain.set(key.toLowerCase(), value);
  let compared = 0;
  for (const property of targets.flatMap((t) => t.modifiedProperties)) {
    const name = property.displayName?.toLowerCase();
    const value = parseValue(property.newValue);
    if (name && plain.has(name)) {
      compared += 1;
      if (value !== plain.get(name)) return false;
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) {
        const want = plain.get(key.toLowerCase());
        if (want === undefined) continue;
        compared += 1;
        if (inner !== want) return false;
      }
    }
  }
  return compared > 0;
}

/** Booleans, numbers and strings that are no reference (`group:x`, `role:y`, …). */
function isPlain(value: JsonValue | undefined): value is string | number | boolean {
  if (typeof value === "boolean" || typeof value === "number") return true;
  return typeof value === "string" && !/^[a-zA-Z]+:\S/.test(value);
}

function parseValue(text: string | undefined): JsonValue | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as JsonValue;
    // Graph writes a single value as a one-element array: `["enabled"]`.
    return Array.isArray(value) && value.length === 1 ? (value[0] ?? null) : value;
  } catch {
    return text;
  }
}
