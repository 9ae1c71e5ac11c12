import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, countByName, editSpec, exportedRepo, findByName, removeDoc, writeDoc } from "./apply-fixture.js";

const LOCATIONS = "/identity/conditionalAccess/namedLocations";
const CONTEXTS = "/identity/conditionalAccess/authenticationContextClassReferences";
const STRENGTHS = "/policies/authenticationStrengthPolicies";
const POLICIES = "/identity/conditionalAccess/policies";

describe("apply: Conditional Access kinds (create, update, delete, then an empty plan)", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    repo = await exportedRepo(sandboxEnv(started.sandbox));
  });
  afterAll(async () => started?.stop());

  it("namedLocation: creates an IP location, adds a range to another, deletes the new one", async () => {
    writeDoc(repo, {
      kind: "namedLocation",
      name: "partner-office",
      spec: {
        "@odata.type": "#microsoft.graph.ipNamedLocation",
        displayName: "Partner office",
        ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "198.51.100.0/24" }],
        isTrusted: true,
      },
    });
    editSpec(repo, "namedLocation", "contoso-hq", (spec) => {
      (spec.ipRanges as unknown[]).push({ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "192.0.2.0/25" });
    });
    commit(repo, "locations");
    const out = await applyConverges(repo);
    expect(out).toMatch(/created namedLocation\/partner-office \([0-9a-f-]{36}\)/);
    expect(out).toContain("updated namedLocation/contoso-hq");
    const created = await findByName(admin(started), LOCATIONS, "Partner office");
    expect(created).toMatchObject({ isTrusted: true, ipRanges: [{ cidrAddress: "198.51.100.0/24" }] });
    // Graph refuses to delete a trusted location as it stands.
    await expect(admin(started).api(`${LOCATIONS}/${String(created.id)}`).delete()).rejects.toMatchObject({ statusCode: 400, message: expect.stringMatching(/trusted/) });
    const hq = await findByName(admin(started), LOCATIONS, "Contoso HQ");
    expect((hq.ipRanges as { cidrAddress: string }[]).map((r) => r.cidrAddress).sort()).toEqual(["192.0.2.0/25", "2001:db8:1000::/48", "203.0.113.0/24"]);

    removeDoc(repo, "namedLocation", "partner-office");
    commit(repo, "drop partner office");
    const deleted = await applyConverges(repo, "--allow-delete");
    // The plan shows both steps, and apply makes the location untrusted before deleting it.
    expect(deleted).toContain("step 1: made untrusted (isTrusted: false), since Graph refuses to delete a trusted named location; step 2: delete");
    expect(deleted).toContain("deleted namedLocation/partner-office");
    expect(await countByName(admin(started), LOCATIONS, "Partner office")).toBe(0);
  });

  it("authenticationContextClassReference: creates c9, renames and enables c2, deletes c9", async () => {
    writeDoc(repo, {
      kind: "authenticationContextClassReference",
      name: "vendor-portal",
      spec: { id: "c9", displayName: "Vendor portal", description: "Step-up for the vendor portal", isAvailable: true },
    });
    editSpec(repo, "authenticationContextClassReference", "privileged-actions", (spec) => {
      spec.isAvailable = true;
      spec.description = "Step-up before privileged operations (enabled)";
    });
    commit(repo, "contexts");
    const out = await applyConverges(repo);
    expect(out).toContain("created authenticationContextClassReference/vendor-portal (c9)");
    const c9 = (await admin(started).api(`${CONTEXTS}/c9`).get()) as Record<string, unknown>;
    expect(c9).toMatchObject({ displayName: "Vendor portal", isAvailable: true });
    const c2 = (await admin(started).api(`${CONTEXTS}/c2`).get()) as Record<string, unknown>;
    expect(c2).toMatchObject({ isAvailable: true, description: "Step-up before privileged operations (enabled)" });

    removeDoc(repo, "authenticationContextClassReference", "vendor-portal");
    commit(repo, "drop c9");
    expect(await applyConverges(repo, "--allow-delete")).toContain("deleted authenticationContextClassReference/vendor-portal");
    const all = (await admin(started).api(CONTEXTS).get()) as { value: { id: string }[] };
    expect(all.value.map((c) => c.id)).not.toContain("c9");
  });

  it("authenticationStrengthPolicy: creates one, changes the combinations of another, deletes the new one", async () => {
    writeDoc(repo, {
      kind: "authenticationStrengthPolicy",
      name: "contoso-passkeys-only",
      spec: { displayName: "Contoso passkeys only", description: "FIDO2 security keys", allowedCombinations: ["fido2"] },
    });
    editSpec(repo, "authenticationStrengthPolicy", "contoso-phishing-resistant-or-certificate", (spec) => {
      spec.allowedCombinations = ["fido2", "windowsHelloForBusiness"];
      spec.description = "Passkeys or Windows Hello for Business";
    });
    commit(repo, "strengths");
    const out = await applyConverges(repo);
    expect(out).toContain("created authenticationStrengthPolicy/contoso-passkeys-only");
    expect(out).toContain("updated authenticationStrengthPolicy/contoso-phishing-resistant-or-certificate");
    const created = await findByName(admin(started), STRENGTHS, "Contoso passkeys only");
    expect(created).toMatchObject({ allowedCombinations: ["fido2"], policyType: "custom" });
    const changed = await findByName(admin(started), STRENGTHS, "Contoso phishing-resistant or certificate");
    expect([...(changed.allowedCombinations as string[])].sort()).toEqual(["fido2", "windowsHelloForBusiness"]);

    removeDoc(repo, "authenticationStrengthPolicy", "contoso-passkeys-only");
    commit(repo, "drop strength");
    expect(await applyConverges(repo, "--allow-delete")).toContain("deleted authenticationStrengthPolicy/contoso-passkeys-only");
    expect(await countByName(admin(started), STRENGTHS, "Contoso passkeys only")).toBe(0);
  });

  it("conditionalAccessPolicy: creates a report-only policy, edits nested conditions and grant controls, deletes one", async () => {
    writeDoc(repo, {
      kind: "conditionalAccessPolicy",
      name: "ca-x01-pilot-allapps-requiremfa",
      spec: {
        displayName: "CA-X01-Pilot-AllApps-RequireMFA",
        state: "enabledForReportingButNotEnforced",
        conditions: {
          applications: { includeApplications: ["All"] },
          clientAppTypes: ["all"],
          users: { includeGroups: ["group:sg-ca-pilot-users"], excludeGroups: ["group:sg-ca-breakglass-exclusion"] },
          locations: { includeLocations: ["All"], excludeLocations: ["namedLocation:contoso-hq"] },
        },
        grantControls: { operator: "OR", builtInControls: ["mfa"] },
      },
    });
    editSpec(repo, "conditionalAccessPolicy", "ca-i12-pilot-exchangesharepoint-blockdownloadsunmanaged", (spec) => {
      const conditions = spec.conditions as { clientAppTypes: string[]; users: { excludeGroups: string[] } };
      conditions.clientAppTypes = ["browser", "mobileAppsAndDesktopClients"];
      conditions.users.excludeGroups.push("group:sg-ca-serviceaccounts-exclusion");
    });
    commit(repo, "policies");
    const out = await applyConverges(repo);
    expect(out).toContain("created conditionalAccessPolicy/ca-x01-pilot-allapps-requiremfa");
    expect(out).toContain("updated conditionalAccessPolicy/ca-i12-pilot-exchangesharepoint-blockdownloadsunmanaged");
    const client = admin(started);
    const created = await findByName(client, POLICIES, "CA-X01-Pilot-AllApps-RequireMFA");
    const pilot = await findByName(client, "/groups", "sg-ca-pilot-users");
    const hq = await findByName(client, LOCATIONS, "Contoso HQ");
    expect(created).toMatchObject({
      state: "enabledForReportingButNotEnforced",
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
      conditions: { users: { includeGroups: [pilot.id] }, locations: { excludeLocations: [hq.id] } },
    });
    const edited = await findByName(client, POLICIES, "CA-I12-Pilot-ExchangeSharePoint-BlockDownloadsUnmanaged");
    const conditions = edited.conditions as { clientAppTypes: string[]; users: { excludeGroups: string[] } };
    expect([...conditions.clientAppTypes].sort()).toEqual(["browser", "mobileAppsAndDesktopClients"]);
    expect(conditions.users.excludeGroups).toHaveLength(2);

    removeDoc(repo, "conditionalAccessPolicy", "ca-a04-admins-allapps-nopersistentbrowser");
    commit(repo, "drop A04");
    expect(await applyConverges(repo, "--allow-delete")).toContain("deleted conditionalAccessPolicy/ca-a04-admins-allapps-nopersistentbrowser");
    expect(await countByName(client, POLICIES, "CA-A04-Admins-AllApps-NoPersistentBrowser")).toBe(0);
  });
});
