import { describe, expect, it } from "vitest";
import { applyConverges, demoRepoBlock, commit, editSpec, findByName, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const PARTNERS = "/policies/crossTenantAccessPolicy/partners";
const NEW_PARTNER = "3f2a8a0e-5b1d-4f63-9c2e-7d1b0c4e9a11";
const EXISTING_PARTNER = "8c3dad1d-b6bc-4f8b-939b-8263372eced6";

type MethodConfig = { id: string; state: string; includeTargets?: { id: string; targetType: string; isRegistrationRequired?: boolean }[] };

describe("apply: tenant-wide settings and partners (singletons are updated, never deleted)", () => {
  const demo = demoRepoBlock();

  it("authorizationPolicy, authenticationMethodsPolicy, crossTenantAccessPolicyDefault: nested fields and arrays are updated in place", async () => {
    editSpec(demo.repo, "authorizationPolicy", "default", (spec) => {
      (spec.defaultUserRolePermissions as Record<string, unknown>).allowedToCreateSecurityGroups = true;
      spec.allowInvitesFrom = "adminsGuestInvitersAndAllMembers";
    });
    editSpec(demo.repo, "authenticationMethodsPolicy", "default", (spec) => {
      const configs = spec.authenticationMethodConfigurations as MethodConfig[];
      const sms = configs.find((c) => c.id === "Sms") as MethodConfig;
      sms.state = "enabled";
      sms.includeTargets = [{ id: "group:sg-ca-pilot-users", targetType: "group", isRegistrationRequired: false }];
      const campaign = (spec.registrationEnforcement as { authenticationMethodsRegistrationCampaign: Record<string, unknown> }).authenticationMethodsRegistrationCampaign;
      campaign.snoozeDurationInDays = 3;
    });
    editSpec(demo.repo, "crossTenantAccessPolicyDefault", "default", (spec) => {
      spec.inboundTrust = { isMfaAccepted: true, isCompliantDeviceAccepted: true, isHybridAzureADJoinedDeviceAccepted: false };
      const idp = spec.invitationRedemptionIdentityProviderConfiguration as { primaryIdentityProviderPrecedenceOrder: string[] };
      idp.primaryIdentityProviderPrecedenceOrder = ["externalFederation", "azureActiveDirectory", "socialIdentityProviders"];
    });
    commit(demo.repo, "tenant settings");
    const out = await applyConverges(demo.repo);
    expect(out).toContain("updated authorizationPolicy/default");
    expect(out).toContain("updated authenticationMethodsPolicy/default");
    expect(out).toContain("updated crossTenantAccessPolicyDefault/default");

    const authz = (await demo.client.api("/policies/authorizationPolicy").get()) as Record<string, unknown>;
    const authzBody = (Array.isArray((authz as { value?: unknown }).value) ? (authz as { value: Record<string, unknown>[] }).value[0] : authz) as Record<string, unknown>;
    expect(authzBody).toMatchObject({ allowInvitesFrom: "adminsGuestInvitersAndAllMembers", defaultUserRolePermissions: { allowedToCreateSecurityGroups: true, allowedToCreateApps: false } });
    const pilot = await findByName(demo.client, "/groups", "sg-ca-pilot-users");
    const sms = (await demo.client.api("/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms").get()) as MethodConfig;
    expect(sms.state).toBe("enabled");
    expect(sms.includeTargets?.map((t) => t.id)).toEqual([pilot.id]);
    const methods = (await demo.client.api("/policies/authenticationMethodsPolicy").get()) as { registrationEnforcement: { authenticationMethodsRegistrationCampaign: { snoozeDurationInDays: number } } };
    expect(methods.registrationEnforcement.authenticationMethodsRegistrationCampaign.snoozeDurationInDays).toBe(3);
    const crossDefault = (await demo.client.api("/policies/crossTenantAccessPolicy/default").get()) as Record<string, unknown>;
    expect(crossDefault).toMatchObject({
      inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: true },
      invitationRedemptionIdentityProviderConfiguration: { primaryIdentityProviderPrecedenceOrder: ["externalFederation", "azureActiveDirectory", "socialIdentityProviders"] },
    });
  });

  it("singletons whose documents are removed are never proposed for deletion", async () => {
    for (const kind of ["authorizationPolicy", "authenticationMethodsPolicy", "crossTenantAccessPolicyDefault"]) removeDoc(demo.repo, kind, "default");
    commit(demo.repo, "stop managing the singletons");
    const plan = await demo.repo.cli("plan", "--allow-delete", "--format", "json");
    expect(plan.code, plan.stderr).toBe(0);
    const parsed = JSON.parse(plan.stdout) as { changes: { action: string; address: string }[] };
    expect(parsed.changes.filter((c) => c.action === "delete")).toEqual([]);
    const applied = await demo.repo.cli("apply", "--auto-approve", "--allow-delete");
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toContain("No changes.");
    const authz = (await demo.client.api("/policies/authorizationPolicy").get()) as Record<string, unknown>;
    expect(JSON.stringify(authz)).toContain("adminsGuestInvitersAndAllMembers");
  });

  it("crossTenantAccessPolicyPartner: adds a partner, changes another's inbound trust and targets, removes the new one", async () => {
    writeDoc(demo.repo, {
      kind: "crossTenantAccessPolicyPartner",
      name: NEW_PARTNER,
      spec: {
        tenantId: NEW_PARTNER,
        inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: false },
        b2bCollaborationInbound: {
          usersAndGroups: { accessType: "allowed", targets: [{ target: "AllUsers", targetType: "user" }] },
          applications: { accessType: "allowed", targets: [{ target: "Office365", targetType: "application" }] },
        },
      },
    });
    editSpec(demo.repo, "crossTenantAccessPolicyPartner", "fabrikam", (spec) => {
      (spec.inboundTrust as Record<string, unknown>).isHybridAzureADJoinedDeviceAccepted = false;
      const inbound = spec.b2bDirectConnectInbound as { applications: { targets: { target: string; targetType: string }[] } };
      inbound.applications.targets = [{ target: "AllApplications", targetType: "application" }];
    });
    commit(demo.repo, "partners");
    const out = await applyConverges(demo.repo);
    expect(out).toContain(`created crossTenantAccessPolicyPartner/${NEW_PARTNER} (${NEW_PARTNER})`);
    // The existing partner's document is named from its tenant's public name; a tenant Graph cannot
    // name (the new one) keeps its id as the name.
    expect(out).toContain("updated crossTenantAccessPolicyPartner/fabrikam");
    const created = (await demo.client.api(`${PARTNERS}/${NEW_PARTNER}`).get()) as Record<string, unknown>;
    expect(created).toMatchObject({ tenantId: NEW_PARTNER, inboundTrust: { isMfaAccepted: true }, b2bCollaborationInbound: { applications: { targets: [{ target: "Office365" }] } } });
    const existing = (await demo.client.api(`${PARTNERS}/${EXISTING_PARTNER}`).get()) as Record<string, unknown>;
    expect(existing).toMatchObject({
      inboundTrust: { isMfaAccepted: true, isHybridAzureADJoinedDeviceAccepted: false },
      b2bDirectConnectInbound: { applications: { targets: [{ target: "AllApplications", targetType: "application" }] } },
    });

    removeDoc(demo.repo, "crossTenantAccessPolicyPartner", NEW_PARTNER);
    commit(demo.repo, "drop partner");
    expect(await applyConverges(demo.repo, "--allow-delete")).toContain(`deleted crossTenantAccessPolicyPartner/${NEW_PARTNER}`);
    const partners = (await demo.client.api(PARTNERS).get()) as { value: { tenantId: string }[] };
    expect(partners.value.map((p) => p.tenantId)).toEqual([EXISTING_PARTNER]);
  });

  it("groupSetting: changes values (including a group reference), deletes the setting, then creates it again", async () => {
    editSpec(demo.repo, "groupSetting", "group-unified", (spec) => {
      const values = spec.values as { name: string; value: string }[];
      for (const v of values) {
        if (v.name === "EnableGroupCreation") v.value = "false";
        if (v.name === "GroupCreationAllowedGroupId") v.value = "group:sg-ca-pilot-users";
        if (v.name === "UsageGuidelinesUrl") v.value = "https://intranet.contoso.com/groups";
      }
    });
    commit(demo.repo, "group settings");
    expect(await applyConverges(demo.repo)).toContain("updated groupSetting/group-unified");
    const pilot = await findByName(demo.client, "/groups", "sg-ca-pilot-users");
    const settings = async (): Promise<{ id: string; templateId: string; values: { name: string; value: string }[] }[]> =>
      ((await demo.client.api("/groupSettings").get()) as { value: { id: string; templateId: string; values: { name: string; value: string }[] }[] }).value;
    const [setting] = await settings();
    expect(setting?.values).toEqual(expect.arrayContaining([{ name: "GroupCreationAllowedGroupId", value: pilot.id }, { name: "UsageGuidelinesUrl", value: "https://intranet.contoso.com/groups" }]));

    const saved = readDoc(demo.repo, "groupSetting", "group-unified");
    removeDoc(demo.repo, "groupSetting", "group-unified");
    commit(demo.repo, "drop the setting");
    expect(await applyConverges(demo.repo, "--allow-delete")).toContain("deleted groupSetting/group-unified");
    expect(await settings()).toEqual([]);

    const { id: _oldId, ...withoutId } = saved;
    writeDoc(demo.repo, withoutId);
    commit(demo.repo, "the setting again");
    expect(await applyConverges(demo.repo)).toMatch(/created groupSetting\/group-unified \([0-9a-f-]{36}\)/);
    const [again] = await settings();
    expect(again?.id).not.toBe(setting?.id);
    expect(again?.values).toEqual(expect.arrayContaining([{ name: "GroupCreationAllowedGroupId", value: pilot.id }, { name: "EnableGroupCreation", value: "false" }]));
  });

  it("groupSetting: creates Consent Policy Settings from the real template; an unknown template fails at once (a permanent 404, not replication delay)", async () => {
    writeDoc(demo.repo, {
      kind: "groupSetting",
      name: "consent-policy-settings",
      spec: {
        displayName: "Consent Policy Settings",
        templateId: "dffd5d46-495d-40a9-8e21-954ff55e198a",
        values: [
          { name: "EnableGroupSpecificConsent", value: "false" },
          { name: "BlockUserConsentForRiskyApps", value: "true" },
          { name: "EnableAdminConsentRequests", value: "true" },
          { name: "ConstrainGroupSpecificConsentToMembersOfGroupId", value: "" },
        ],
      },
    });
    commit(demo.repo, "consent settings");
    expect(await applyConverges(demo.repo)).toContain("created groupSetting/consent-policy-settings");
    const created = ((await demo.client.api("/groupSettings").get()) as { value: { displayName: string; values: { name: string; value: string }[] }[] }).value.find((s) => s.displayName === "Consent Policy Settings");
    expect(created?.values).toEqual(expect.arrayContaining([{ name: "EnableAdminConsentRequests", value: "true" }, { name: "ConstrainGroupSpecificConsentToMembersOfGroupId", value: "" }]));

    const unknown = "0b0b0b0b-1111-4222-8333-444444444444";
    writeDoc(demo.repo, { kind: "groupSetting", name: "no-such-template", spec: { templateId: unknown, values: [] } });
    commit(demo.repo, "a setting from a template no tenant has");
    demo.started.sandbox.clearRequests();
    const startedAt = Date.now();
    const failed = await demo.repo.cli("apply", "--auto-approve");
    expect(failed.code).toBe(1);
    expect(failed.stdout + failed.stderr).toContain(unknown);
    const posts = demo.started.sandbox.requests().filter((e) => e.method === "POST" && e.path === "/v1.0/groupSettings");
    expect(posts.map((e) => e.status)).toEqual([404]);
    expect(Date.now() - startedAt).toBeLessThan(15_000);
  });
});
