/**
 * The pull-request comment (`plan --format markdown`) shows the Conditional Access impact of a plan
 * end to end: the CLI against the demo sandbox, the documents in a real git repository.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import type { StartedSandbox } from "../helpers/sandbox.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { demoRepo, editSpec, readDoc, writeDoc } from "./apply-fixture.js";
import { idOf } from "../helpers/actors.js";

const COMPLIANT = "ca-a06-admins-allapps-requirecompliantdevice";
const PAYROLL_BLOCK = "ca-x01-payroll-block-outside-hq";

describe("the PR comment shows who gains and who loses access", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  let original: ReturnType<typeof readDoc>;
  beforeAll(async () => {
    ({ started, repo, client } = await demoRepo());
    // A report-only block of the payroll users outside headquarters, in the tenant and the documents.
    const payrollApp = (await client.api("/applications").filter("displayName eq 'Contoso Payroll'").select("appId").get()) as { value: Array<{ appId: string }> };
    await client.api("/identity/conditionalAccess/policies").post({
      displayName: "CA-X01-Payroll-Block-Outside-HQ",
      state: "enabledForReportingButNotEnforced",
      conditions: {
        users: { includeGroups: [await idOf(client, "/groups", "SG-App-Payroll-Users")] },
        applications: { includeApplications: [payrollApp.value[0]?.appId ?? ""] },
        locations: { includeLocations: ["All"], excludeLocations: [await idOf(client, "/identity/conditionalAccess/namedLocations", "Contoso HQ")] },
        clientAppTypes: ["all"],
      },
      grantControls: { operator: "OR", builtInControls: ["block"] },
    });
    const exported = await repo.cli("export");
    expect(exported.code, exported.stderr).toBe(0);
    original = readDoc(repo, "conditionalAccessPolicy", PAYROLL_BLOCK);
  });
  afterAll(async () => started?.stop());

  it("report-only switched to enabled: the affected users by name and the application, break-glass unaffected", async () => {
    editSpec(repo, "conditionalAccessPolicy", PAYROLL_BLOCK, (spec) => void (spec["state"] = "enabled"));
    const plan = await repo.cli("plan", "--format", "markdown");
    expect(plan.code, plan.stderr).toBe(0);
    const md = plan.stdout;
    expect(md).toContain("#### Conditional Access impact");
    const row = md.split("\n").find((l) => l.includes("| newly blocked | `application:contoso-payroll` |"));
    expect(row, md).toBeDefined();
    // The payroll group's members, by name; nobody else.
    const members = ((readDoc(repo, "group", "sg-app-payroll-users").spec["members"] as string[]) ?? []).filter((m) => m.startsWith("user:")).sort();
    expect(members.length).toBeGreaterThan(0);
    expect(row).toContain(`| ${members.length} | newly blocked | \`application:contoso-payroll\` | ${members.slice(0, 10).join(", ")}`);
    expect(md).not.toMatch(/\| newly blocked \| `all applications` \|/);
    expect(md).toContain("- break-glass unaffected");
  });

  it("an admin policy switched from report-only to enabled: the role holders now need a compliant device for every application", async () => {
    writeDoc(repo, original);
    editSpec(repo, "conditionalAccessPolicy", COMPLIANT, (spec) => void (spec["state"] = "enabled"));
    const plan = await repo.cli("plan", "--format", "markdown");
    expect(plan.code, plan.stderr).toBe(0);
    const row = plan.stdout.split("\n").find((l) => l.includes("| now need compliantDevice or domainJoinedDevice | `all applications` |"));
    expect(row, plan.stdout).toContain("user:alice@contoso.onmicrosoft.com");
    expect(row).toContain("user:bob@contoso.onmicrosoft.com");
    expect(row).not.toContain("everyone else");
  });

  it("a rename: no change in access", async () => {
    editSpec(repo, "conditionalAccessPolicy", COMPLIANT, (spec) => void (spec["state"] = "enabledForReportingButNotEnforced"));
    editSpec(repo, "conditionalAccessPolicy", PAYROLL_BLOCK, (spec) => void (spec["displayName"] = "CA-X01 Payroll: block outside headquarters"));
    const plan = await repo.cli("plan", "--format", "markdown");
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("displayName");
    expect(plan.stdout).toContain("#### Conditional Access impact");
    expect(plan.stdout).toContain("**No change in access.**");
    expect(plan.stdout).not.toContain("| newly blocked |");
  });
});
