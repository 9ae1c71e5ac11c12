import { EXTRA_PERMISSION_IDS, MICROSOFT_GRAPH_APP_ID } from "../graph/permission-ids.js";
import type { Kind } from "../model/kind.js";
import { permissionIds, requiredPermissions } from "../kinds/registry.js";

/** Beyond the kinds: sync reads the audit log, export names unmanaged ids (getByIds). */
const READ_EXTRAS = ["AuditLog.Read.All", "Directory.Read.All"] as const;

/** Write permissions that make a read permission redundant (Graph's ReadWrite includes Read). */
function covers(write: string, read: string): boolean {
  return write.replace(".ReadWrite.", ".Read.") === read;
}

export interface PermissionSet {
  /** plan, drift, sync, export. */
  read: string[];
  /** apply, restore: everything apply needs (its reads included). */
  write: string[];
}

/** Least-privilege application permissions for the kinds in scope (docs/graph-behaviour.md §10). */
export function permissionsFor(kinds: readonly Kind[]): PermissionSet {
  const read = [...new Set([...requiredPermissions(kinds, "read"), ...READ_EXTRAS])].sort();
  const all = [...new Set([...requiredPermissions(kinds, "write"), ...READ_EXTRAS])];
  const write = all.filter((name) => !all.some((other) => other !== name && covers(other, name))).sort();
  return { read, write };
}

export interface ResourceAccess {
  resourceAppId: string;
  resourceAccess: { id: string; type: "Role" }[];
}

/** `requiredResourceAccess` for an app manifest, and the names with no known id. */
export function requiredResourceAccess(names: readonly string[]): { manifest: ResourceAccess[]; unknown: string[] } {
  const ids = new Map([...Object.entries(EXTRA_PERMISSION_IDS), ...permissionIds()]);
  const known = names.filter((n) => ids.has(n));
  return {
    manifest: [
      {
        resourceAppId: MICROSOFT_GRAPH_APP_ID,
        resourceAccess: known.map((n) => ({ id: ids.get(n) as string, type: "Role" as const })),
      },
    ],
    unknown: names.filter((n) => !ids.has(n)),
  };
}

/** Permissions a token lacks; a ReadWrite permission in the token satisfies its Read. */
export function missingPermissions(needed: readonly string[], granted: readonly string[]): string[] {
  const have = new Set(granted);
  return needed.filter((name) => !have.has(name) && !granted.some((g) => covers(g, name)) && !(name.endsWith(".Read.All") && have.has("Directory.ReadWrite.All")));
}
