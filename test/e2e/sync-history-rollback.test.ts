import { UsernamePasswordCredential } from "@azure/identity";
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_PORTAL_APP_ID } from "../../src/sandbox/seeds/demo/index.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { graphClient, startSandbox } from "../helpers/sandbox.js";
import { git, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";

const POLICY = "CA-A06-Admins-AllApps-RequireCompliantDevice";
const POLICY_FILE = "conditionalAccessPolicy/ca-a06-admins-allapps-requirecompliantdevice";
const LOCATION = "Contoso branch offices";

function asUser(started: StartedSandbox, upn: string): Client {
  const credential = new UsernamePasswordCredential(started.sandbox.tenantId, DEMO_PORTAL_APP_ID, upn, DEMO_PASSWORD, {
    authorityHost: started.sandbox.url,
    disableInstanceDiscovery: true,
  });
  return graphClient(started.sandbox, credential);
}

async function idOf(client: Client, path: string, displayName: string): Promise<string> {
  const found = (await client.api(path).filter(`displayName eq '${displayName}'`).get()) as { value: { id: string }[] };
  const id = found.value[0]?.id;
  if (!id) throw new Error(`${displayName} not found`);
  return id;
}

describe("sync attributes drift to its actors; history, rollback and restore bring it back", () => {
  let started: StartedSandbox;
  let env: Record<string, string>;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    env = sandboxEnv(started.sandbox);
  });
  afterAll(async () => started?.stop());

  it("alice's policy edit and bob's deletion become two commits authored by them", async () => {
    const { dir, configFile } = tempRepo();
    const exported = await runCli(["--config", configFile, "export"], env);
    expect(exported.code, exported.stderr).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Initial export");
    const baseline = git(dir, "rev-parse", "HEAD");

    const alice = asUser(started, "alice@contoso.onmicrosoft.com");
    const bob = asUser(started, "bob@contoso.onmicrosoft.com");
    const policyId = await idOf(alice, "/identity/conditionalAccess/policies", POLICY);
    await alice.api(`/identity/conditionalAccess/policies/${policyId}`).patch({ state: "enabled" });
    started.sandbox.tenant.clock.advance(60 * 60 * 1000);
    const locationId = await idOf(bob, "/identity/conditionalAccess/namedLocations", LOCATION);
    const policiesUsingIt = (await bob.api("/identity/conditionalAccess/policies").get()) as { value: { id: string; conditions: { locations?: { excludeLocations?: string[] } } }[] };
    for (const policy of policiesUsingIt.value) {
      const exclude = policy.conditions.locations?.excludeLocations ?? [];
      if (exclude.includes(locationId)) {
        await bob.api(`/identity/conditionalAccess/policies/${policy.id}`).patch({ conditions: { ...policy.conditions, locations: { ...policy.conditions.locations, excludeLocations: exclude.filter((l) => l !== locationId) } } });
      }
    }
    await bob.api(`/identity/conditionalAccess/namedLocations/${locationId}`).delete();

    const sync = await runCli(["--config", configFile, "sync"], env);
    expect(sync.code, sync.stderr).toBe(0);
    const log = git(dir, "log", "--format=%an <%ae>|%aI|%cn|%s", `${baseline}..HEAD`).split("\n").reverse();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatch(/^Alice .*<alice@contoso\.onmicrosoft\.com>\|.*\|entra-gitops\|/);
    expect(log[1]).toMatch(/^Bob .*<bob@contoso\.onmicrosoft\.com>\|.*\|entra-gitops\|/);
    const audits = (await started.client.api("/auditLogs/directoryAudits").filter(`targetResources/any(t: t/id eq '${policyId}')`).get()) as { value: { activityDateTime: string }[] };
    const aliceTime = audits.value.map((a) => a.activityDateTime).sort().at(-1) ?? "";
    expect(new Date(log[0]?.split("|")[1] ?? "").toISOString().slice(0, 19)).toBe(aliceTime.slice(0, 19));
    expect(git(dir, "show", "--stat", "--format=%B", "HEAD")).toContain("namedLocation/contoso-branch-offices");

    const history = await runCli(["--config", configFile, "history", POLICY_FILE], env);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain("alice@contoso.onmicrosoft.com");
    expect(history.stdout).toContain("state");
    expect(history.stdout).toContain("Initial export");

    const again = await runCli(["--config", configFile, "sync"], env);
    expect(again.stdout).toContain("No drift");
    expect(git(dir, "rev-list", "--count", `${baseline}..HEAD`)).toBe("2");
  });
});
