import { describe, expect, it } from "vitest";
import { applyConverges, demoRepoBlock, commit, editSpec, findByName, readDoc, writeDoc } from "./apply-fixture.js";

type PlanJson = { changes: { action: string; address: string; fields?: { op: string; path: string }[] }[] };

/**
 * Hand-written documents (shaped like the Graph docs examples) that leave out properties Graph
 * cannot clear: the plan shows no change for them, apply of the other changes converges, and the
 * next plan is empty (before, the omitted fields were planned as removals forever).
 */
describe("apply: documents that leave out properties Graph cannot clear", () => {
  const demo = demoRepoBlock();

  it("a short authorizationPolicy and an application without signInAudience plan only what they state, apply, and converge", async () => {
    const exported = readDoc(demo.repo, "authorizationPolicy", "default");
    const grants = (exported.spec.defaultUserRolePermissions as { permissionGrantPoliciesAssigned: string[] }).permissionGrantPoliciesAssigned;
    // No allowedToCreateTenants, allowedToReadBitlockerKeysForOwnedDevice, allowInvitesFrom, blockMsolPowerShell, guestUserRoleId, ...
    writeDoc(demo.repo, {
      kind: "authorizationPolicy",
      name: "default",
      spec: { allowedToUseSSPR: false, defaultUserRolePermissions: { allowedToCreateSecurityGroups: true, permissionGrantPoliciesAssigned: grants } },
    });
    editSpec(demo.repo, "application", "contoso-hr-portal", (spec) => {
      delete spec.signInAudience;
      spec.notes = "Owned by HR";
    });
    commit(demo.repo, "short documents");

    const plan = await demo.repo.cli("plan", "--format", "json");
    expect(plan.stderr).not.toContain("error");
    const changes = (JSON.parse(plan.stdout) as PlanJson).changes.filter((c) => c.action !== "noop");
    const fieldsOf = (address: string): string[] => (changes.find((c) => c.address === address)?.fields ?? []).map((f) => `${f.op} ${f.path}`);
    expect(changes.map((c) => `${c.action} ${c.address}`).sort()).toEqual(["update application/contoso-hr-portal", "update authorizationPolicy/default"]);
    expect(fieldsOf("authorizationPolicy/default")).toEqual(["update allowedToUseSSPR", "update defaultUserRolePermissions.allowedToCreateSecurityGroups"]);
    expect(fieldsOf("application/contoso-hr-portal")).toEqual(["add notes"]);

    const out = await applyConverges(demo.repo);
    expect(out).toContain("updated authorizationPolicy/default");
    expect(out).toContain("updated application/contoso-hr-portal");

    const authz = (await demo.client.api("/policies/authorizationPolicy").get()) as Record<string, unknown>;
    expect(authz).toMatchObject({
      allowedToUseSSPR: false,
      allowInvitesFrom: "adminsAndGuestInviters",
      blockMsolPowerShell: true,
      defaultUserRolePermissions: { allowedToCreateSecurityGroups: true, allowedToCreateApps: false, allowedToCreateTenants: false, allowedToReadBitlockerKeysForOwnedDevice: true, allowedToReadOtherUsers: true },
    });
    expect((await findByName(demo.client, "/applications", "Contoso HR Portal")).signInAudience).toBe("AzureADMyOrg");
    expect((await findByName(demo.client, "/applications", "Contoso HR Portal")).notes).toBe("Owned by HR");

    // The short documents stay as written: a second apply has nothing to do.
    const again = await demo.repo.cli("apply", "--auto-approve");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("No changes");
  });

  it("an application created without signInAudience (Graph fills AzureADMyOrg) plans no change afterwards", async () => {
    writeDoc(demo.repo, { kind: "application", name: "postman-web", spec: { displayName: "Postman Web", web: { redirectUris: ["https://oauth.pstmn.io/v1/callback"] } } });
    commit(demo.repo, "Postman Web, as in the Graph docs example");
    const applied = await demo.repo.cli("apply", "--auto-approve");
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toContain("created application/postman-web");
    expect((await findByName(demo.client, "/applications", "Postman Web")).signInAudience).toBe("AzureADMyOrg");
    // The read-back check applies the same rule: the value Graph filled in is not "not taken".
    expect(applied.stdout).not.toContain("did not take");
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("a nullable boolean left out is cleared to null, not false, so the next plan is empty", async () => {
    editSpec(demo.repo, "application", "contoso-hr-portal", (spec) => {
      spec.isDeviceOnlyAuthSupported = true;
    });
    commit(demo.repo, "device-only auth");
    await applyConverges(demo.repo);
    editSpec(demo.repo, "application", "contoso-hr-portal", (spec) => {
      delete spec.isDeviceOnlyAuthSupported;
    });
    commit(demo.repo, "no device-only auth");
    await applyConverges(demo.repo);
    expect((await findByName(demo.client, "/applications", "Contoso HR Portal")).isDeviceOnlyAuthSupported).toBeNull();
  });
});
