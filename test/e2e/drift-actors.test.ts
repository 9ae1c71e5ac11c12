/**
 * `drift` names who made each change from the directory audit log (README "drift"), in text,
 * markdown and JSON; a change the audit log has no entry for is shown without a name.
 */
import { describe, expect, it } from "vitest";
import { catchUpAuditLog } from "../helpers/sandbox.js";
import { admin, asUser, idOf } from "../helpers/actors.js";
import { git, runCli, tempRepo } from "../helpers/cli.js";
import { auditLatencyDemo } from "../helpers/sandbox-block.js";

const POLICY = "conditionalAccessPolicy/ca-a06-admins-allapps-requirecompliantdevice";
const GROUP = "group/sg-ca-breakglass-exclusion";
const LOCATION = "namedLocation/contoso-branch-offices";

// Each test runs sync or drift several times against the HTTPS sandbox: well under 20 s alone, 20 to
// 47 s measured on the shared 2-core machine under load, where vitest's 20 s default fails it for nothing.
describe("drift names the actors", { timeout: 120_000 }, () => {
  const demo = auditLatencyDemo();

  it("shows alice, bob and the app beside their changes in text, markdown and json; an unaudited change has no name", async () => {
    const { dir, configFile } = tempRepo();
    expect((await runCli(["--config", configFile, "export"], demo.env)).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Initial export");
    const tenant = demo.started.sandbox.tenant;
    tenant.clock.advance(60_000);

    const alice = asUser(demo.started, "alice@contoso.onmicrosoft.com");
    const policyId = await idOf(alice, "/identity/conditionalAccess/policies", "CA-A06-Admins-AllApps-RequireCompliantDevice");
    await alice.api(`/identity/conditionalAccess/policies/${policyId}`).patch({ state: "enabled" });
    const bob = asUser(demo.started, "bob@contoso.onmicrosoft.com");
    const groupId = await idOf(bob, "/groups", "sg-ca-breakglass-exclusion");
    await bob.api(`/groups/${groupId}`).patch({ description: "Reviewed by bob" });
    const app = admin(demo.started);
    const locationId = await idOf(app, "/identity/conditionalAccess/namedLocations", "Contoso branch offices");
    await app.api(`/identity/conditionalAccess/namedLocations/${locationId}`).patch({ "@odata.type": "#microsoft.graph.ipNamedLocation", isTrusted: false });
    tenant.seedApi().create("groups", { displayName: "Unaudited group", mailEnabled: false, mailNickname: "unaudited", securityEnabled: true, groupTypes: [] });
    catchUpAuditLog(demo.started.sandbox);
    const entries = (await app.api("/auditLogs/directoryAudits").filter("activityDisplayName eq 'Update named location'").get()) as { value: { activityDateTime: string; initiatedBy: { app?: { displayName?: string } } }[] };
    const appName = entries.value.at(-1)?.initiatedBy.app?.displayName ?? "";
    expect(appName).not.toBe("");

    const text = await runCli(["--config", configFile, "drift"], demo.env);
    expect(text.code, text.stderr).toBe(2);
    const lineOf = (output: string, address: string): string => output.split("\n").find((l) => l.includes(address)) ?? "";
    expect(lineOf(text.stdout, POLICY)).toMatch(/~ conditionalAccessPolicy\/\S+ \([0-9a-f-]{36}\) changed outside git \(changed by alice@contoso\.onmicrosoft\.com at \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
    expect(lineOf(text.stdout, GROUP)).toContain("(changed by bob@contoso.onmicrosoft.com at ");
    expect(lineOf(text.stdout, LOCATION)).toContain(`(changed by ${appName} at `);
    expect(lineOf(text.stdout, "group/unaudited-group")).toContain("created outside git");
    expect(lineOf(text.stdout, "group/unaudited-group")).not.toContain("changed by");

    const markdown = await runCli(["--config", configFile, "drift", "--format", "markdown"], demo.env);
    expect(lineOf(markdown.stdout, `<code>${POLICY}</code>`)).toContain("(changed by alice@contoso.onmicrosoft.com at ");
    expect(markdown.stdout).toContain("(changed by bob@contoso.onmicrosoft.com at ");

    const json = await runCli(["--config", configFile, "drift", "--format", "json"], demo.env);
    const plan = JSON.parse(json.stdout) as { changes: { address: string; changedBy?: { label: string; type: string; at: string; activity: string } }[] };
    const by = new Map(plan.changes.map((c) => [c.address, c.changedBy]));
    expect(by.get(POLICY)).toMatchObject({ label: "alice@contoso.onmicrosoft.com", type: "user", activity: "Update conditional access policy" });
    expect(by.get(GROUP)).toMatchObject({ label: "bob@contoso.onmicrosoft.com", type: "user" });
    expect(by.get(LOCATION)).toMatchObject({ label: appName, type: "app", at: entries.value.at(-1)?.activityDateTime });
    expect(by.get("group/unaudited-group")).toBeUndefined();
  });
});
