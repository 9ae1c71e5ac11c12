/**
 * `entra-gitops whatif` end to end: the CLI against the demo sandbox and a real git repository.
 * One sign-in under the documents (working tree or `--rev`) versus the live tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { demoRepo, editSpec } from "./apply-fixture.js";

const ALICE = "alice@contoso.onmicrosoft.com";
const COMPLIANT = "ca-a06-admins-allapps-requirecompliantdevice";

describe("whatif", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  beforeAll(async () => {
    ({ started, repo } = await demoRepo());
  });
  afterAll(async () => started?.stop());

  it("with the documents as the tenant is: the same outcome on both sides, no change in access", async () => {
    const run = await repo.cli("whatif", "--user", ALICE, "--app", "Contoso Payroll", "--location", "US", "--compare-graph");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`What if user:${ALICE} signs in to application:contoso-payroll (`);
    expect(run.stdout).toContain("from windows (browser), from country US:");
    expect(run.stdout).toContain("→ no change in access");
    // alice is a Conditional Access Administrator: the admin policies apply, the report-only one too.
    expect(run.stdout).toMatch(/live tenant: +requires .*Phishing-resistant MFA/);
    expect(run.stdout).toMatch(new RegExp(`${COMPLIANT} +applies \\(report-only\\) → applies \\(report-only\\)`));
    // The sandbox's own What If (an evaluator written apart from the engine's) says the same.
    expect(run.stdout).toMatch(/Graph's What If on the live tenant: \d+ policies apply; entra-gitops agrees on every policy\./);
  });

  it("a report-only policy switched to enabled in the working tree: the documents side requires a compliant device; --rev HEAD does not", async () => {
    editSpec(repo, "conditionalAccessPolicy", COMPLIANT, (spec) => void (spec["state"] = "enabled"));
    const run = await repo.cli("whatif", "--user", ALICE, "--app", "contoso-payroll", "--platform", "macOS", "--location", "US");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/documents \(working tree\): +requires .*one of compliantDevice, domainJoinedDevice \(ca-a06-admins-allapps-requirecompliantdevice\)/);
    expect(run.stdout).toContain("→ access changes");
    expect(run.stdout).toMatch(new RegExp(`${COMPLIANT} +applies \\(report-only\\) → applies`));
    const json = await repo.cli("whatif", "--user", ALICE, "--app", "contoso-payroll", "--platform", "macOS", "--location", "US", "--format", "json");
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as { changed: boolean; live: { access: string }; documents: { access: string; requirements: Array<{ policy: string }> } };
    expect(result.changed).toBe(true);
    expect(result.live.access).toBe("allowed");
    expect(result.documents.access).toBe("unsatisfiable");
    expect(result.documents.requirements.map((r) => r.policy)).toContain(COMPLIANT);
    const atHead = await repo.cli("whatif", "--user", ALICE, "--app", "contoso-payroll", "--platform", "macOS", "--location", "US", "--rev", "HEAD");
    expect(atHead.code, atHead.stderr).toBe(0);
    expect(atHead.stdout).toContain("documents at HEAD:");
    expect(atHead.stdout).toContain("→ no change in access");
  });

  it("named locations, legacy clients and user actions are sign-ins too", async () => {
    const legacy = await repo.cli("whatif", "--user", ALICE, "--app", "Office 365 Exchange Online", "--client-app", "exchangeActiveSync", "--location", "contoso-hq", "--compare-graph", "--format", "json");
    expect(legacy.code, legacy.stderr).toBe(0);
    const compared = JSON.parse(legacy.stdout) as { live: { outcome: string }; graph: { applies: string[]; disagreements: unknown[] } };
    expect(compared.graph.disagreements).toEqual([]);
    expect(compared.graph.applies).toContain("ca-g02-allusers-allapps-blocklegacyauth");
    expect(compared.live.outcome).toContain("blocked by");
    const legacyText = await repo.cli("whatif", "--user", ALICE, "--app", "Office 365 Exchange Online", "--client-app", "exchangeActiveSync", "--location", "contoso-hq");
    expect(legacyText.code, legacyText.stderr).toBe(0);
    expect(legacyText.stdout).toContain("in namedLocation:contoso-hq (203.0.113.1)");
    expect(legacyText.stdout).toContain("signs in to Office 365 Exchange Online (00000002-0000-0ff1-ce00-000000000000)");
    expect(legacyText.stdout).toMatch(/live tenant: +blocked by .*ca-g02-allusers-allapps-blocklegacyauth/);
    const securityInfo = await repo.cli("whatif", "--user", ALICE, "--app", "urn:user:registersecurityinfo", "--location", "KP");
    expect(securityInfo.code, securityInfo.stderr).toBe(0);
    expect(securityInfo.stdout).toContain("signs in to urn:user:registersecurityinfo");
    // A user action is a target apart from applications: the "all applications" country block does not cover it.
    expect(securityInfo.stdout).toMatch(/live tenant: +requires mfa \(ca-g05-allusers-registersecurityinfo-trustedlocationormfa\)/);
    expect(securityInfo.stdout).not.toContain("ca-g04");
  });

  it("an unknown user or application is an error naming the option", async () => {
    const nobody = await repo.cli("whatif", "--user", "nobody@contoso.onmicrosoft.com", "--app", "contoso-payroll");
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain("--user nobody@contoso.onmicrosoft.com: no such user in the tenant");
    const noApp = await repo.cli("whatif", "--user", ALICE, "--app", "No Such App");
    expect(noApp.code).toBe(1);
    expect(noApp.stderr).toContain("--app No Such App: no application or service principal");
  });
});
