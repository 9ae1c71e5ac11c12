import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { importExports } from "../../src/engine/import/import.js";
import { validatePaths } from "../../src/engine/validate.js";
import { builtinRoleId, builtinRoleName, formerBuiltinRoleId } from "../../src/kinds/builtinRoles.js";

function policyFolder(roles: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "eg-roles-"));
  const policy = {
    displayName: "Admins MFA",
    state: "disabled",
    conditions: { users: { includeRoles: roles }, applications: { includeApplications: ["All"] } },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
  };
  writeFileSync(join(dir, "policy.json"), JSON.stringify(policy));
  return dir;
}

describe("built-in roles by name at import", () => {
  test("the permissions reference's roles and their template ids, both ways", () => {
    expect(builtinRoleId("search administrator")).toBe("0964bb5e-9bdb-4d7b-ac29-58e794862a40");
    expect(builtinRoleName("8835291A-918C-4FD7-A9CE-FAA49F0CF7D9")).toBe("Search Editor");
    expect(builtinRoleName("2b499bcd-da44-4968-8aec-78e1674fa64d")).toBe("Device Managers");
    // Former names are for import only: documents use the current one.
    expect(builtinRoleId("Company Administrator")).toBeUndefined();
    expect(formerBuiltinRoleId("company administrator")).toBe("62e90394-69f5-4237-9190-012177145e10");
  });

  test("current names, former names (Azure AD PowerShell) and template ids all become role:<current name>", async () => {
    const to = mkdtempSync(join(tmpdir(), "eg-roles-to-"));
    const report = await importExports({
      from: policyFolder(["Company Administrator", "User Account Administrator", "Printer Technician", "0964bb5e-9bdb-4d7b-ac29-58e794862a40"]),
      to,
    });
    expect(report.refused).toEqual([]);
    const { documents, diagnostics } = await validatePaths([to]);
    expect(diagnostics).toEqual([]);
    const users = (documents[0]?.spec.conditions as { users: { includeRoles: string[] } }).users;
    expect(users.includeRoles).toEqual(["role:Global Administrator", "role:Printer Technician", "role:Search Administrator", "role:User Administrator"]);
  });

  test("a name that is no built-in role, current or former, is refused precisely", async () => {
    const report = await importExports({ from: policyFolder(["Global Administrator", "Teams Service Administrator"]), to: mkdtempSync(join(tmpdir(), "eg-roles-to-")) });
    expect(report.refused.map((r) => r.reasons)).toEqual([
      ['conditions.users.includeRoles: "Teams Service Administrator" is not a built-in role known to entra-gitops (write a custom role as its GUID): add it to the --map file'],
    ]);
  });
});
