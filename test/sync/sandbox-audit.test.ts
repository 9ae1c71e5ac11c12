import { describe, expect, it } from "vitest";
import { attributeDrift } from "../../src/engine/sync/attribution.js";
import { parseDirectoryAudits } from "../../src/engine/sync/audit-entry.js";
import type { ChangedObject } from "../../src/engine/sync/types.js";
import type { JsonValue } from "../../src/model/document.js";
import { address } from "../../src/model/kind.js";
import { appPrincipal, TestTenant, userPrincipal } from "../sandbox/tenant/helpers.js";

const BOT = { name: "entra-gitops[bot]", email: "bot@noreply.entra-gitops" };

describe("attribution over the sandbox tenant's own audit log", () => {
  it("attributes a group created by an app and changed by a signed-in user", async () => {
    const t = new TestTenant();
    const pipeline = appPrincipal(undefined, "cccccccc-0000-0000-0000-00000000000c");
    const created = await t.post(
      "/groups",
      { displayName: "Finance", mailEnabled: false, mailNickname: "finance", securityEnabled: true },
      { principal: pipeline },
    );
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const alice = await t.createUser("Alice");
    // Delegated writes need a directory role as well as the scope: make Alice a Groups Administrator.
    const assigned = await t.post("/roleManagement/directory/roleAssignments", {
      principalId: alice.id,
      roleDefinitionId: "fdd7a751-b60b-444a-984c-02652fe8fa1c",
      directoryScopeId: "/",
    });
    expect(assigned.status).toBe(201);
    t.tenant.clock.advance(3 * 60_000);
    const patched = await t.patch(
      `/groups/${id}`,
      { description: "Finance team" },
      { principal: userPrincipal({ id: alice.id, upn: alice.userPrincipalName, name: "Alice" }, ["Group.ReadWrite.All"]) },
    );
    expect(patched.status).toBe(204);

    const listed = await t.call("/auditLogs/directoryAudits");
    const { audits, rejected } = parseDirectoryAudits(listed.body.value as JsonValue[]);
    expect(rejected).toBe(0);
    const change: ChangedObject = {
      address: address("group", "finance"),
      kind: "group",
      id,
      change: "added",
      document: { kind: "group", name: "finance", id, spec: { displayName: "Finance", description: "Finance team" } },
      previous: null,
      file: { path: "tenant-config/group/finance.yaml", content: "x\n" },
    };
    const { commits } = attributeDrift({ changes: [change], audits, failedKinds: [], bot: BOT, now: new Date("2026-02-01T00:00:00Z") });
    expect(commits).toHaveLength(1);
    const [commit] = commits;
    // The latest change is Alice's; the app's creation is listed in the body.
    expect(commit?.author).toMatchObject({ name: "Alice", email: alice.userPrincipalName });
    expect(commit?.message.split("\n")[0]).toBe(`${alice.userPrincipalName}: add group/finance`);
    expect(commit?.message).toMatch(/Add group .*\(by test app <cccccccc-0000-0000-0000-00000000000c@noreply\.entra-gitops>\)/);
    expect(commit?.message).toMatch(/Update group {2}correlation /);
  });
});

describe("Entra's activity names for authentication strengths, authentication contexts and group settings", () => {
  it("the sandbox writes the published names (updateAllowedCombinations included) and attribution matches them by display name", async () => {
    const t = new TestTenant();
    const strength = await t.post("/policies/authenticationStrengthPolicies", { displayName: "Keys", allowedCombinations: ["fido2"] });
    expect(strength.status).toBe(201);
    const strengthId = String(strength.body.id);
    expect((await t.post(`/policies/authenticationStrengthPolicies/${strengthId}/updateAllowedCombinations`, { allowedCombinations: ["fido2", "windowsHelloForBusiness"] })).status).toBe(200);
    expect((await t.patch("/identity/conditionalAccess/authenticationContextClassReferences/c3", { displayName: "Finance data", isAvailable: true })).status).toBe(204);
    const setting = await t.post("/groupSettings", { templateId: "62375ab9-6b52-47ed-826b-58e47e0e304b", values: [{ name: "EnableGroupCreation", value: "false" }] });
    expect(setting.status).toBe(201);
    expect((await t.patch(`/groupSettings/${String(setting.body.id)}`, { values: [{ name: "EnableGroupCreation", value: "true" }] })).status).toBe(204);

    const listed = await t.call("/auditLogs/directoryAudits?$top=50");
    const { audits } = parseDirectoryAudits(listed.body.value as JsonValue[]);
    expect(audits.map((a) => a.activityDisplayName).reverse()).toEqual([
      "Authentication Strength Policy Create",
      "Authentication Strength Policy Update",
      "Add AuthenticationContextClassReference",
      "Create group settings",
      "Update group settings",
    ]);
    const strengthUpdate = audits.find((a) => a.activityDisplayName === "Authentication Strength Policy Update");
    expect(JSON.stringify(strengthUpdate?.targetResources)).toContain("AllowedCombinations");

    // Objects whose ids the audit log does not carry (e.g. re-created): matched by kind words, verb and name.
    const added = (kind: "authenticationStrengthPolicy" | "authenticationContextClassReference", name: string, displayName: string): ChangedObject => ({
      address: address(kind, name),
      kind,
      change: "added",
      document: { kind, name, spec: { displayName } },
      previous: null,
      file: { path: `tenant-config/${kind}/${name}.yaml`, content: "x\n" },
    });
    const { commits } = attributeDrift({
      changes: [added("authenticationStrengthPolicy", "keys", "Keys"), added("authenticationContextClassReference", "finance-data", "Finance data")],
      audits,
      failedKinds: [],
      bot: BOT,
      now: new Date("2026-02-01T00:00:00Z"),
    });
    expect(commits.map((c) => c.author.email)).toEqual([appPrincipal().appId + "@noreply.entra-gitops"]);
    expect(commits[0]?.message).toContain("Authentication Strength Policy Create");
    expect(commits[0]?.message).toContain("Add AuthenticationContextClassReference");
  });
});
