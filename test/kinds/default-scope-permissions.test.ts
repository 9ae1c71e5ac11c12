import { describe, expect, it } from "vitest";
import { permissionsFor } from "../../src/engine/permissions.js";
import { defaultKindNames } from "../../src/model/kind.js";
import "../../src/kinds/registry.js";

/**
 * The read permissions a deployment granted for the default kinds (README "Set-up", the permission
 * list). A configuration without `kinds:` gets every new default kind on upgrade, so a default kind
 * whose read needs a permission outside this list would turn that deployment's plan into a 403
 * (ARCHITECTURE.md, Kinds: opt-in). Such a kind must be `optIn: true`; this list grows only with a
 * release note telling administrators to grant the new permission.
 */
const GRANTED_READ = [
  "AdministrativeUnit.Read.All",
  "Application.Read.All",
  "AuditLog.Read.All",
  "CrossTenantInformation.ReadBasic.All",
  "Directory.Read.All",
  "Group.Read.All",
  "GroupMember.Read.All",
  "GroupSettings.Read.All",
  "Policy.Read.All",
  "Policy.Read.AuthenticationMethod",
  "Policy.Read.ConditionalAccess",
  "RoleManagement.Read.Directory",
];

describe("the default kinds' read permissions", () => {
  it("ask for nothing beyond what the set-up already granted, so an upgrade never turns a plan into a 403", () => {
    const needed = permissionsFor(defaultKindNames()).read;
    const extra = needed.filter((name) => !GRANTED_READ.includes(name));
    expect(extra, `default kinds need ${extra.join(", ")}: make the kind that needs it opt-in (optIn: true)`).toEqual([]);
    // The list is not stale either: each permission in it is still needed by some default kind.
    expect(GRANTED_READ.filter((name) => !needed.includes(name))).toEqual([]);
  });
});
