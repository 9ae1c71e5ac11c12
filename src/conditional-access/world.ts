import type { JsonObject, JsonValue } from "../model/document.js";
import type { Kind } from "../model/kind.js";
import { CaDirectory } from "./directory.js";
import { compilePolicy, type CompiledPolicy } from "./policy.js";

/** A document-shaped object: what the snapshot reads and what a plan writes. */
export interface CaObject {
  kind: Kind;
  name: string;
  id?: string;
  spec: JsonObject;
}

/** The Conditional Access policies of a tenant state and the directory they are evaluated against. */
export interface CaWorld {
  policies: CompiledPolicy[];
  directory: CaDirectory;
  /** Every user reference the world knows (members, role holders, users named by policies, user documents). */
  users: string[];
  /** Roles assigned tenant-wide (`role:<name>` as written). */
  assignedRoles: string[];
  /** `group:<name>` of every group document. */
  groups: string[];
}

const strings = (v: JsonValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const text = (v: JsonValue | undefined): string | undefined => (typeof v === "string" ? v : undefined);

/**
 * Builds the world from documents: policies; group members (nested groups included); tenant-wide
 * role assignments (Conditional Access role targeting ignores assignments scoped to an
 * administrative unit); guest users (`userType: Guest`); named locations.
 */
export function buildWorld(objects: readonly CaObject[]): CaWorld {
  const directory = new CaDirectory();
  const policies: CompiledPolicy[] = [];
  const users = new Set<string>();
  const assignedRoles = new Set<string>();
  const groups: string[] = [];
  const addUser = (ref: string): void => {
    if (ref.toLowerCase().startsWith("user:")) users.add(ref);
  };
  for (const o of objects) {
    switch (o.kind) {
      case "conditionalAccessPolicy": {
        policies.push(compilePolicy(o.name, o.spec));
        const u = (o.spec["conditions"] as JsonObject | undefined)?.["users"] as JsonObject | undefined;
        for (const ref of [...strings(u?.["includeUsers"]), ...strings(u?.["excludeUsers"])]) addUser(ref);
        break;
      }
      case "group": {
        const members = strings(o.spec["members"]);
        directory.addMembers(`group:${o.name}`, members);
        groups.push(`group:${o.name}`);
        // A policy may still name the group by its id: the id is an alias that contains the group.
        if (o.id) directory.addMembers(o.id, [`group:${o.name}`]);
        members.forEach(addUser);
        break;
      }
      case "roleAssignment": {
        const scope = text(o.spec["directoryScopeId"]) ?? "/";
        const principal = text(o.spec["principalId"]);
        const role = text(o.spec["roleDefinitionId"]);
        if (scope !== "/" || !principal || !role) break;
        directory.addRole(principal, role);
        assignedRoles.add(role);
        addUser(principal);
        break;
      }
      case "user": {
        const upn = text(o.spec["userPrincipalName"]) ?? o.name;
        const ref = `user:${upn}`;
        users.add(ref);
        // Entra's external user categories (docs/conditional-access.md): a guest
        // from another tenant (`#EXT#` in the UPN) is a B2B collaboration guest, a guest account
        // created in this tenant an internal guest, a member from another tenant a B2B member.
        const external = upn.toLowerCase().includes("#ext#");
        if (text(o.spec["userType"]) === "Guest") directory.guests.set(ref.toLowerCase(), [external ? "b2bCollaborationGuest" : "internalGuest"]);
        else if (external) directory.guests.set(ref.toLowerCase(), ["b2bCollaborationMember"]);
        break;
      }
      case "namedLocation": {
        const ranges = Array.isArray(o.spec["ipRanges"]) ? o.spec["ipRanges"] : [];
        const ref = `namedLocation:${o.name}`.toLowerCase();
        const location = {
          ref: `namedLocation:${o.name}`,
          trusted: o.spec["isTrusted"] === true,
          ipRanges: ranges.map((r) => (typeof r === "object" && r !== null && !Array.isArray(r) ? text(r["cidrAddress"]) : undefined)).filter((r): r is string => r !== undefined),
          countries: strings(o.spec["countriesAndRegions"]),
          includeUnknownCountries: o.spec["includeUnknownCountriesAndRegions"] === true,
        };
        directory.locations.set(ref, location);
        if (o.id) directory.locations.set(o.id.toLowerCase(), location);
        break;
      }
      default:
        break;
    }
  }
  return { policies, directory, users: [...users].sort(), assignedRoles: [...assignedRoles].sort(), groups: groups.sort() };
}
