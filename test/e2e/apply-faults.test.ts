import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, findByName, writeDoc } from "./apply-fixture.js";

const POLICIES = "/identity/conditionalAccess/policies";

/**
 * A fault rule whose path pattern never matches but runs `onMatch` when a request it would match
 * arrives: how a test makes something happen in the tenant at an exact point of the request flow.
 */
class Trigger extends RegExp {
  fired = 0;
  constructor(
    source: RegExp,
    private readonly onMatch: () => void,
    /** Let the fault fire too (after `onMatch`), instead of only observing. */
    private readonly fault = false,
  ) {
    super(source.source, source.flags);
  }
  override test(text: string): boolean {
    if (!super.test(text)) return false;
    this.fired += 1;
    this.onMatch();
    return this.fault;
  }
}

function newPolicy(name: string, displayName: string, group: string): Parameters<typeof writeDoc>[1] {
  return {
    kind: "conditionalAccessPolicy",
    name,
    spec: {
      displayName,
      state: "enabledForReportingButNotEnforced",
      conditions: {
        applications: { includeApplications: ["All"] },
        clientAppTypes: ["all"],
        users: { includeGroups: [`group:${group}`], excludeGroups: ["group:sg-ca-breakglass-exclusion"] },
      },
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
    },
  };
}

function newGroup(name: string): Parameters<typeof writeDoc>[1] {
  return {
    kind: "group",
    name,
    spec: { displayName: name, mailEnabled: false, mailNickname: name, securityEnabled: true, members: ["user:alice@contoso.onmicrosoft.com"] },
  };
}

describe("apply under replication delay and injected faults", () => {
  let started: StartedSandbox<SandboxTenant>;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
  });
  afterAll(async () => started?.stop());

  it("creates a group and the Conditional Access policy that targets it in one apply, retrying until the group has replicated", async () => {
    const repo = await exportedRepo(sandboxEnv(started.sandbox));
    writeDoc(repo, newGroup("sg-ca-wave2-users"));
    writeDoc(repo, newPolicy("ca-x10-wave2-allapps-requiremfa", "CA-X10-Wave2-AllApps-RequireMFA", "sg-ca-wave2-users"));
    commit(repo, "wave 2");
    const tenant = started.sandbox.tenant;
    // Every new directory object stays invisible for its first two reads...
    tenant.setReplication({ reads: 2 });
    // ...and when the policy is first posted, the Conditional Access service has not seen the group yet.
    const trigger = new Trigger(/^\/identity\/conditionalAccess\/policies$/, () => {
      if (trigger.fired !== 1) return;
      const group = tenant.core.store.list("groups").find((g) => g["displayName"] === "sg-ca-wave2-users");
      const meta = group ? tenant.core.store.metaOf(group.id) : undefined;
      if (meta) meta.hiddenReads = 2;
    });
    started.sandbox.faults.inject({ method: "POST", pathPattern: trigger, status: 503, count: 1 });
    started.sandbox.clearRequests();
    let out: string;
    try {
      out = await applyConverges(repo);
    } finally {
      tenant.setReplication({});
      started.sandbox.faults.clear();
    }
    expect(out).toContain("created group/sg-ca-wave2-users");
    expect(out).toContain("created conditionalAccessPolicy/ca-x10-wave2-allapps-requiremfa");

    const log = started.sandbox.requests().filter((e) => e.kind === "graph");
    const groupPost = log.findIndex((e) => e.method === "POST" && e.path === "/v1.0/groups" && e.status === 201);
    const policyPosts = log.filter((e) => e.method === "POST" && e.path === `/v1.0${POLICIES}`);
    expect(groupPost).toBeGreaterThanOrEqual(0);
    // The group was written first; the policy was refused while the group replicated, then created.
    expect(log.indexOf(policyPosts[0] as (typeof log)[number])).toBeGreaterThan(groupPost);
    expect(policyPosts.map((e) => e.status)).toEqual([400, 400, 201]);
    // The group's own follow-up requests (member link, read-back) met the delay too and were retried.
    expect(log.filter((e) => e.status === 404 && e.path.startsWith("/v1.0/groups/")).length).toBeGreaterThanOrEqual(1);

    const group = await findByName(admin(started), "/groups", "sg-ca-wave2-users");
    const policy = await findByName(admin(started), POLICIES, "CA-X10-Wave2-AllApps-RequireMFA");
    expect(policy).toMatchObject({ conditions: { users: { includeGroups: [group.id] } } });
  });

  it("converges through 429s (with and without Retry-After, Conditional Access bucket included), 5xx and connection resets", async () => {
    const repo = await exportedRepo(sandboxEnv(started.sandbox));
    writeDoc(repo, newGroup("sg-ca-wave3-users"));
    writeDoc(repo, newPolicy("ca-x11-wave3-allapps-requiremfa", "CA-X11-Wave3-AllApps-RequireMFA", "sg-ca-wave3-users"));
    editSpec(repo, "namedLocation", "contoso-hq", (spec) => {
      (spec.ipRanges as unknown[]).push({ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "192.0.2.128/25" });
    });
    editSpec(repo, "group", "finance-team", (spec) => {
      spec.description = "Finance (fault test)";
      spec.members = (spec.members as string[]).filter((m) => m !== "user:priya.nair@contoso.onmicrosoft.com");
    });
    writeDoc(repo, {
      kind: "namedLocation",
      name: "wave3-office",
      spec: { "@odata.type": "#microsoft.graph.ipNamedLocation", displayName: "Wave 3 office", ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "198.51.100.0/28" }] },
    });
    commit(repo, "wave 3");
    const faults = started.sandbox.faults;
    faults.inject({ method: "GET", pathPattern: "/groups", status: 503, retryAfter: 1, count: 1 });
    faults.inject({ method: "GET", pathPattern: "/identity/conditionalAccess/policies", status: 504, count: 1 });
    faults.inject({ method: "POST", pathPattern: /^\/groups$/, status: 429, retryAfter: 1, count: 1 });
    faults.inject({ method: "POST", pathPattern: /^\/identity\/conditionalAccess\/policies$/, status: 429, count: 2 });
    faults.inject({ method: "PATCH", pathPattern: "/identity/conditionalAccess/namedLocations/", status: 429, count: 1 });
    faults.inject({ method: "PATCH", pathPattern: /^\/groups\//, status: "reset", count: 1 });
    // A member removal inside a $batch answered 503: that item alone is sent again.
    faults.inject({ method: "DELETE", pathPattern: "/members/", status: 503, count: 1 });
    // A create whose connection drops, and one answered 500: neither is blindly repeated.
    faults.inject({ method: "POST", pathPattern: /^\/groups$/, status: "reset", count: 1 });
    faults.inject({ method: "POST", pathPattern: /^\/identity\/conditionalAccess\/namedLocations$/, status: 500, count: 1 });
    started.sandbox.clearRequests();
    const out = await applyConverges(repo);
    expect(faults.pending()).toBe(0);
    expect(out).toContain("created group/sg-ca-wave3-users");
    expect(out).toContain("created conditionalAccessPolicy/ca-x11-wave3-allapps-requiremfa");
    expect(out).toContain("updated namedLocation/contoso-hq");
    expect(out).toContain("updated group/finance-team");

    const log = started.sandbox.requests();
    const faulted = log.filter((e) => e.fault !== undefined).map((e) => `${e.method} ${e.status} ${e.fault ?? ""}`);
    expect(faulted).toEqual(expect.arrayContaining(["GET 503 status", "GET 504 status", "POST 429 status", "PATCH 429 status", "DELETE 503 status", "POST 500 status"]));
    expect(log.filter((e) => e.fault === "reset").map((e) => `${e.method} ${e.path}`).sort()).toEqual(["PATCH /v1.0/groups/dc74aaee-783c-4f32-abac-558fc9167471", "POST /v1.0/groups"]);
    expect(out).toContain("created namedLocation/wave3-office");
    expect(log.filter((e) => e.method === "POST" && e.path === "/v1.0/identity/conditionalAccess/namedLocations" && e.status === 201)).toHaveLength(1);
    expect(log.filter((e) => e.fault && e.method === "POST" && e.path === `/v1.0${POLICIES}`)).toHaveLength(2);
    // Each write happened exactly once despite the retries.
    expect(log.filter((e) => e.method === "POST" && e.path === "/v1.0/groups" && e.status === 201)).toHaveLength(1);
    expect(log.filter((e) => e.method === "POST" && e.path === `/v1.0${POLICIES}` && e.status === 201)).toHaveLength(1);
    const group = await findByName(admin(started), "/groups", "Finance Team");
    expect(group.description).toBe("Finance (fault test)");
  });

  it("adopts an object whose create went through but whose answer was lost, instead of creating it twice", async () => {
    const repo = await exportedRepo(sandboxEnv(started.sandbox));
    writeDoc(repo, newGroup("sg-ca-wave4-users"));
    commit(repo, "wave 4");
    const tenant = started.sandbox.tenant;
    // The POST reaches the directory (the group is created), then the answer is a 500.
    const lost = new Trigger(
      /^\/groups$/,
      () => {
        tenant.seedApi().create("groups", { displayName: "sg-ca-wave4-users", mailEnabled: false, mailNickname: "sg-ca-wave4-users", securityEnabled: true });
      },
      true,
    );
    started.sandbox.faults.inject({ method: "POST", pathPattern: lost, status: 500, count: 1 });
    started.sandbox.clearRequests();
    const out = await applyConverges(repo);
    expect(lost.fired).toBe(1);
    expect(out).toContain("created group/sg-ca-wave4-users");
    const log = started.sandbox.requests();
    expect(log.filter((e) => e.method === "POST" && e.path === "/v1.0/groups").map((e) => e.status)).toEqual([500]);
    const groups = (await admin(started).api("/groups").filter("displayName eq 'sg-ca-wave4-users'").get()) as { value: { id: string }[] };
    expect(groups.value).toHaveLength(1);
    const members = (await admin(started).api(`/groups/${groups.value[0]?.id ?? ""}/members`).get()) as { value: { userPrincipalName: string }[] };
    expect(members.value.map((m) => m.userPrincipalName)).toEqual(["alice@contoso.onmicrosoft.com"]);
  });
});
