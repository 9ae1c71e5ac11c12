import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, commit, editSpec, exportedRepo, findByName, writeDoc, writes } from "./apply-fixture.js";

const POLICIES = "/identity/conditionalAccess/policies";
const I12 = "conditionalAccessPolicy/ca-i12-pilot-exchangesharepoint-blockdownloadsunmanaged";
const I12_NAME = "ca-i12-pilot-exchangesharepoint-blockdownloadsunmanaged";

describe("apply refuses lockouts and stale plans; plan renders markdown and JSON", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { breakGlassGroups: ["group:sg-ca-breakglass-exclusion"] });
  });
  afterAll(async () => started?.stop());

  it("refuses a new enabled policy that blocks all users without the break-glass exclusion, and writes nothing", async () => {
    writeDoc(repo, {
      kind: "conditionalAccessPolicy",
      name: "ca-x20-allusers-allapps-block",
      spec: {
        displayName: "CA-X20-AllUsers-AllApps-Block",
        state: "enabled",
        conditions: { applications: { includeApplications: ["All"] }, clientAppTypes: ["all"], users: { includeUsers: ["All"] } },
        grantControls: { operator: "OR", builtInControls: ["block"] },
      },
    });
    editSpec(repo, "namedLocation", "contoso-hq", (spec) => {
      spec.isTrusted = false;
    });
    commit(repo, "lock everyone out");
    started.sandbox.clearRequests();
    const applied = await repo.cli("apply", "--auto-approve");
    expect(applied.code).toBe(1);
    const output = applied.stdout + applied.stderr;
    expect(output).toContain("apply refused; nothing was written");
    expect(output).toContain("conditionalAccessPolicy/ca-x20-allusers-allapps-block");
    expect(output).toContain("CA-X20-AllUsers-AllApps-Block");
    expect(output).toMatch(/--allow-lockout/);
    // Each finding is printed once (in the plan shown), with its fix.
    const finding = /conditionalAccessPolicy\/ca-x20-allusers-allapps-block \("CA-X20-AllUsers-AllApps-Block"\) makes access worse/g;
    expect(output.match(finding)?.length).toBe(1);
    expect(output).toContain("Fix: in conditionalAccessPolicy/ca-x20-allusers-allapps-block, add group:sg-ca-breakglass-exclusion to conditions.users.excludeGroups");
    expect(writes(started.sandbox.requests())).toEqual([]);
    expect((await findByName(admin(started), "/identity/conditionalAccess/namedLocations", "Contoso HQ")).isTrusted).toBe(true);

    const plan = await repo.cli("plan", "--format", "json");
    const parsed = JSON.parse(plan.stdout) as { guards: { guard: string; severity: string; address: string }[] };
    expect(parsed.guards).toEqual(expect.arrayContaining([expect.objectContaining({ guard: "lockout", severity: "block", address: "conditionalAccessPolicy/ca-x20-allusers-allapps-block" })]));

    // Excluding the break-glass group is not enough: everyone else would still be locked out.
    editSpec(repo, "conditionalAccessPolicy", "ca-x20-allusers-allapps-block", (spec) => {
      (spec.conditions as { users: Record<string, unknown> }).users.excludeGroups = ["group:sg-ca-breakglass-exclusion"];
    });
    commit(repo, "exclude break-glass");
    const still = await repo.cli("apply", "--auto-approve");
    expect(still.code).toBe(1);
    expect(still.stdout + still.stderr).toContain("makes access worse for all users");
    // Narrowed to legacy clients (ordinary users keep a way in) the same policy is accepted.
    editSpec(repo, "conditionalAccessPolicy", "ca-x20-allusers-allapps-block", (spec) => {
      (spec.conditions as { clientAppTypes: string[] }).clientAppTypes = ["exchangeActiveSync", "other"];
    });
    commit(repo, "legacy clients only");
    const fixed = await repo.cli("apply", "--auto-approve");
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain("created conditionalAccessPolicy/ca-x20-allusers-allapps-block");
    expect(fixed.stdout).toContain("updated namedLocation/contoso-hq");
    expect((await repo.cli("plan", "--detailed-exitcode")).code).toBe(0);
  }, 90_000); // five CLI runs against the sandbox (apply three times, plan twice)

  it("refuses a saved plan when the object changed in the tenant, or the YAML changed, after planning", async () => {
    editSpec(repo, "conditionalAccessPolicy", I12_NAME, (spec) => {
      spec.state = "enabledForReportingButNotEnforced";
    });
    commit(repo, "I12 to report-only");
    const planFile = join(repo.dir, "p.json");
    const planned = await repo.cli("plan", "--out", planFile);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toContain(I12);

    const client = admin(started);
    const policy = await findByName(client, POLICIES, "CA-I12-Pilot-ExchangeSharePoint-BlockDownloadsUnmanaged");
    const conditions = policy.conditions as Record<string, unknown>;
    await client.api(`${POLICIES}/${String(policy.id)}`).patch({ conditions: { ...conditions, clientAppTypes: ["browser", "mobileAppsAndDesktopClients"] } });

    started.sandbox.clearRequests();
    const stale = await repo.cli("apply", planFile);
    expect(stale.code).toBe(1);
    expect(stale.stdout + stale.stderr).toContain("is stale; nothing was applied");
    expect(stale.stdout + stale.stderr).toContain(I12);
    expect(stale.stdout + stale.stderr).toContain("changed in the tenant since the plan");
    expect(writes(started.sandbox.requests())).toEqual([]);
    expect((await client.api(`${POLICIES}/${String(policy.id)}`).get() as { state: string }).state).toBe("disabled");

    // Plan again from an uncommitted edit (so neither the plan's revision nor a later working tree
    // holds what was planned), then edit the YAML before applying. (A plan whose revision still
    // holds its configuration applies from that revision: apply-saved-plan-bound.test.ts.)
    editSpec(repo, "conditionalAccessPolicy", I12_NAME, (spec) => {
      spec.state = "disabled";
    });
    const again = join(repo.dir, "p2.json");
    expect((await repo.cli("plan", "--out", again)).code).toBe(0);
    editSpec(repo, "conditionalAccessPolicy", I12_NAME, (spec) => {
      spec.state = "enabled";
    });
    started.sandbox.clearRequests();
    const edited = await repo.cli("apply", again);
    expect(edited.code).toBe(1);
    expect(edited.stdout + edited.stderr).toContain("(configuration)");
    expect(edited.stdout + edited.stderr).toContain("the configuration differs from the one planned");
    expect(writes(started.sandbox.requests())).toEqual([]);

    // A fresh plan of the current YAML applies.
    editSpec(repo, "conditionalAccessPolicy", I12_NAME, (spec) => {
      spec.state = "enabledForReportingButNotEnforced";
    });
    const fresh = join(repo.dir, "p3.json");
    expect((await repo.cli("plan", "--out", fresh)).code).toBe(0);
    const applied = await repo.cli("apply", fresh);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`updated ${I12}`);
    expect((await client.api(`${POLICIES}/${String(policy.id)}`).get() as { state: string }).state).toBe("enabledForReportingButNotEnforced");
    expect((await repo.cli("plan", "--detailed-exitcode")).code).toBe(0);
  });

  it("renders a real change as markdown (marker, summary table, details) and as JSON", async () => {
    editSpec(repo, "group", "finance-team", (spec) => {
      spec.description = "Finance department team (markdown)";
      spec.members = [...(spec.members as string[]), "user:alice@contoso.onmicrosoft.com"];
    });
    writeDoc(repo, {
      kind: "namedLocation",
      name: "vendor-office",
      spec: { "@odata.type": "#microsoft.graph.ipNamedLocation", displayName: "Vendor office", ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "198.51.100.64/26" }], isTrusted: false },
    });
    commit(repo, "render me");
    const markdown = await repo.cli("plan", "--format", "markdown", "--detailed-exitcode");
    expect(markdown.code, markdown.stderr).toBe(2);
    const md = markdown.stdout;
    expect(md.startsWith("<!-- entra-gitops-plan:default -->")).toBe(true);
    expect(md).toMatch(/\|.*[Cc]reate.*\|/);
    expect(md).toMatch(/^\|[-: |]+\|$/m);
    expect(md).toContain("<details>");
    expect(md).toContain("group/finance-team");
    expect(md).toContain("namedLocation/vendor-office");
    expect(md).toContain("Finance department team (markdown)");
    expect(md).toContain("198.51.100.64/26");

    const json = await repo.cli("plan", "--format", "json", "--detailed-exitcode");
    expect(json.code, json.stderr).toBe(2);
    const plan = JSON.parse(json.stdout) as {
      formatVersion: number;
      tenantId: string;
      summary: Record<string, number>;
      changes: { action: string; address: string; fields?: { path: string }[] }[];
    };
    expect(plan.tenantId).toBe(started.sandbox.tenantId);
    expect(plan.summary).toMatchObject({ create: 1, update: 1, delete: 0 });
    const changed = plan.changes.filter((c) => c.action !== "noop");
    expect(changed.map((c) => `${c.action} ${c.address}`).sort()).toEqual(["create namedLocation/vendor-office", "update group/finance-team"]);
    expect(changed.find((c) => c.action === "update")?.fields?.map((f) => f.path)).toEqual(expect.arrayContaining(["description", "members"]));
  });
});
