import { UsernamePasswordCredential } from "@azure/identity";
import type { PageCollection } from "@microsoft/microsoft-graph-client";
import { PageIterator } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySeed } from "../../../src/sandbox/seeds/seed-steps.js";
import { CA_POLICY_COUNT, DEMO_PASSWORD, DEMO_PORTAL_APP_ID, applyDemoConsents, demoSeedSteps } from "../../../src/sandbox/seeds/demo/index.js";
import { stableId } from "../../../src/sandbox/seeds/stable-id.js";
import { createTenant } from "../../../src/sandbox/tenant/index.js";
import type { SandboxTenant } from "../../../src/sandbox/tenant/index.js";
import { graphClient, startSandbox } from "../../helpers/sandbox.js";
import type { StartedSandbox } from "../../helpers/sandbox.js";

const CA_ADMIN = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9";

async function demoTenant(): Promise<SandboxTenant> {
  // Small pages so the Graph client follows @odata.nextLink.
  const tenant = createTenant({ domain: "contoso.onmicrosoft.com", displayName: "Contoso", clockStart: "2026-03-01T09:00:00Z", defaultPageSize: 10 });
  const result = await applySeed(demoSeedSteps(), (request) => tenant.core.handle(request, true), tenant.tenantId, true);
  expect(result.failures).toEqual([]);
  applyDemoConsents(tenant.seedApi());
  return tenant;
}

async function readAll(client: StartedSandbox["client"], path: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const first = (await client.api(path).get()) as PageCollection;
  const iterator = new PageIterator(client, first, (item: Record<string, unknown>) => {
    items.push(item);
    return true;
  });
  await iterator.iterate();
  return items;
}

describe("demo seed (Contoso)", () => {
  let started: StartedSandbox;
  let tenant: SandboxTenant;

  beforeAll(async () => {
    tenant = await demoTenant();
    started = await startSandbox({ tenant });
  });
  afterAll(async () => {
    await started.stop();
  });

  it("is deterministic: the same steps and ids on every run", () => {
    expect(JSON.stringify(demoSeedSteps())).toBe(JSON.stringify(demoSeedSteps()));
    expect(stableId("user:alice@contoso.onmicrosoft.com")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("serves at least 25 Conditional Access policies over HTTPS, all excluding the break-glass group", async () => {
    const policies = await readAll(started.client, "/identity/conditionalAccess/policies");
    expect(CA_POLICY_COUNT).toBeGreaterThanOrEqual(25);
    expect(policies).toHaveLength(CA_POLICY_COUNT);
    const breakGlass = stableId("group:sg-ca-breakglass-exclusion");
    const users = policies.map((p) => (p["conditions"] as Record<string, Record<string, unknown>>)["users"]);
    const notExcluding = policies.filter((_, i) => !(users[i]?.["excludeGroups"] as string[]).includes(breakGlass) && !(users[i]?.["includeUsers"] as string[]).includes("None"));
    expect(notExcluding.map((p) => p["displayName"])).toEqual([]);
  });

  it("has the company's directory: users, break-glass accounts, admin units, apps and CA administrators", async () => {
    const users = await readAll(started.client, "/users?$select=userPrincipalName,displayName");
    expect(users.length).toBeGreaterThanOrEqual(50);
    const upns = users.map((u) => u["userPrincipalName"]);
    expect(upns).toEqual(expect.arrayContaining(["alice@contoso.onmicrosoft.com", "bob@contoso.onmicrosoft.com", "breakglass01@contoso.onmicrosoft.com", "breakglass02@contoso.onmicrosoft.com"]));
    const assignments = await readAll(started.client, `/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${CA_ADMIN}'`);
    const alice = stableId("user:alice@contoso.onmicrosoft.com");
    const bob = stableId("user:bob@contoso.onmicrosoft.com");
    expect(assignments.map((a) => a["principalId"])).toEqual(expect.arrayContaining([alice, bob]));
    const units = await readAll(started.client, "/directory/administrativeUnits");
    expect(units).toHaveLength(3);
    expect(units.filter((u) => u["isMemberManagementRestricted"] === true)).toHaveLength(1);
    expect((await readAll(started.client, "/applications")).length).toBeGreaterThanOrEqual(10);
    const locations = await readAll(started.client, "/identity/conditionalAccess/namedLocations");
    expect(locations.map((l) => l["@odata.type"]).sort()).toEqual(["#microsoft.graph.countryNamedLocation", "#microsoft.graph.countryNamedLocation", "#microsoft.graph.ipNamedLocation", "#microsoft.graph.ipNamedLocation"]);
  });

  it("lets alice sign in with the documented password and change a policy as herself", async () => {
    const sandbox = started.sandbox;
    const credential = new UsernamePasswordCredential(sandbox.tenantId, DEMO_PORTAL_APP_ID, "alice@contoso.onmicrosoft.com", DEMO_PASSWORD, {
      authorityHost: sandbox.url,
      disableInstanceDiscovery: true,
    });
    const alice = graphClient(sandbox, credential);
    const policies = (await alice.api("/identity/conditionalAccess/policies").filter("displayName eq 'CA-A06-Admins-AllApps-RequireCompliantDevice'").get()) as { value: { id: string }[] };
    const id = policies.value[0]?.id ?? "";
    await alice.api(`/identity/conditionalAccess/policies/${id}`).patch({ state: "enabled" });
    const readAudits = async () => (await started.client.api("/auditLogs/directoryAudits").filter("activityDisplayName eq 'Update conditional access policy'").get()) as { value: Record<string, unknown>[] };
    // The audit log runs late (realistic latency by default): nothing yet, then the entry once the clock has moved.
    expect((await readAudits()).value).toEqual([]);
    tenant.clock.advance(tenant.auditBacklogMs());
    const audits = await readAudits();
    expect(audits.value[0]).toMatchObject({ initiatedBy: { user: { userPrincipalName: "alice@contoso.onmicrosoft.com" } }, targetResources: [{ id }] });
  });

  it("keeps tenant settings: restricted guests, passkeys on, a Fabrikam partner and limited group creation", async () => {
    const authorization = (await started.client.api("/policies/authorizationPolicy").get()) as Record<string, unknown>;
    expect(authorization["guestUserRoleId"]).toBe("2af84b1e-32c8-42b7-82bc-daa82404023b");
    const fido2 = (await started.client.api("/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2").get()) as Record<string, unknown>;
    expect(fido2["state"]).toBe("enabled");
    const partners = await readAll(started.client, "/policies/crossTenantAccessPolicy/partners");
    expect(partners).toHaveLength(1);
    const settings = await readAll(started.client, "/groupSettings");
    const values = settings[0]?.["values"] as { name: string; value: string }[];
    expect(values.find((v) => v.name === "EnableGroupCreation")?.value).toBe("false");
  });
});
