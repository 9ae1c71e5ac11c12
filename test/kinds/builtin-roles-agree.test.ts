import { describe, expect, it } from "vitest";
import { BUILTIN_ROLES, builtinRoleId, builtinRoleName } from "../../src/kinds/builtinRoles.js";
import { BUILT_IN_ROLES } from "../../src/sandbox/tenant/resources/builtin-roles.js";

/**
 * The engine and the sandbox read one data-only list of built-in roles (src/facts/builtin-roles.ts;
 * ARCHITECTURE.md "Layers"); the sandbox adds descriptions and `isPrivileged` to some. Its role
 * definitions must name the same roles with the same template ids, once each.
 */
describe("built-in roles: the engine's list and the sandbox's agree", () => {
  it("same ids, same display names, no duplicates", () => {
    const sandbox = new Map(BUILT_IN_ROLES.map((role) => [role.id, role.displayName]));
    expect(sandbox.size).toBe(BUILT_IN_ROLES.length);
    expect(Object.fromEntries([...sandbox].sort(([a], [b]) => a.localeCompare(b)))).toEqual(
      Object.fromEntries(Object.entries(BUILTIN_ROLES).sort(([a], [b]) => a.localeCompare(b))),
    );
    const names = Object.values(BUILTIN_ROLES).map((name) => name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
  });

  it("the newer roles are there and resolve both ways (role:<name>)", () => {
    const newer: Record<string, string> = {
      "Entra Backup Administrator": "b6a27b2b-f905-4b2e-81b5-0d90e0ef1fdb",
      "Entra Backup Reader": "f42252d9-5400-4d7b-b9ef-cc582dbb8577",
      "AI Administrator": "d2562ede-74db-457e-a7b6-544e236ebb61",
      "AI Reader": "1fe13547-53f6-408d-ac04-7f8eed167b38",
      "Agent ID Administrator": "db506228-d27e-4b7d-95e5-295956d6615f",
      "Agent ID Developer": "adb2368d-a9be-41b5-8667-d96778e081b0",
      "Agent Registry Administrator": "6b942400-691f-4bf0-9d12-d8a254a2baf5",
      "Teams External Collaboration Administrator": "2fe872fb-daa8-4afc-8f6c-53c4565cfef4",
      "Authentication Extensibility Password Administrator": "0b00bede-4072-4d22-b441-e7df02a1ef63",
    };
    for (const [name, id] of Object.entries(newer)) {
      expect(builtinRoleId(name)).toBe(id);
      expect(builtinRoleId(name.toUpperCase())).toBe(id);
      expect(builtinRoleName(id.toUpperCase())).toBe(name);
    }
  });
});
