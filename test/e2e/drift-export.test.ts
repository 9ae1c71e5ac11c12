/**
 * A full `drift` reads the tenant by an export into the folder at `--rev` held in memory and plans
 * only what that export finds changed (cli/drift-export.ts, README "drift"). Its plan must be the
 * plan of every document (cli/desired.ts `loadDesired` and a snapshot of its own, as drift planned
 * before): same changes, same counts, after portal changes of every sort, a merge not applied, a
 * hand-written document and a templated one.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDesired, streamFilesOf } from "../../src/cli/desired.js";
import { exportedDrift } from "../../src/cli/drift-export.js";
import { kindsInScope } from "../../src/cli/workspace.js";
import { loadConfig } from "../../src/config/load.js";
import { makePlan } from "../../src/engine/planning.js";
import { createGateway } from "../../src/graph/create.js";
import { KIND_NAMES } from "../../src/model/kind.js";
import type { Plan } from "../../src/model/plan.js";
import { admin, idOf } from "../helpers/actors.js";
import { defaultTestConfig, git } from "../helpers/cli.js";
import { exportBaseline } from "../helpers/exported-baseline.js";
import { sandboxBlock } from "../helpers/sandbox-block.js";

const CONFIG = defaultTestConfig(["kinds:", ...KIND_NAMES.map((k) => `  - ${k}`)].join("\n"));
const DOMAIN = "contoso.onmicrosoft.com";

function ref(id: string): Record<string, string> {
  return { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${id}` };
}

/** The plan without what says how it was read (digest of the documents read, time). */
function comparable(plan: Plan): unknown {
  return { summary: plan.summary, changes: plan.changes.filter((c) => c.action !== "noop"), diagnostics: plan.diagnostics };
}

describe("full drift by export", { timeout: 180_000 }, () => {
  const block = sandboxBlock({ seed: "demo" });

  it("plans what a plan of every document plans", async () => {
    const repo = await exportBaseline(block.env, { config: CONFIG, dirs: block.dirs });
    const graph = admin(block.started);
    const userId = async (local: string): Promise<string> => ((await graph.api(`/users/${local}@${DOMAIN}`).select("id").get()) as { id: string }).id;
    // The portal: a group created with a member, one edited, members added and removed, an owner
    // added, a user edited, an application and a user deleted.
    const created = (await graph.api("/groups").post({ displayName: "Drift New Group", mailEnabled: false, mailNickname: "driftnew", securityEnabled: true })) as { id: string };
    await graph.api(`/groups/${created.id}/members/$ref`).post(ref(await userId("alice")));
    await graph.api(`/groups/${await idOf(graph, "/groups", "Finance Team")}`).patch({ description: "Finance, edited in the portal" });
    const pilot = await idOf(graph, "/groups", "sg-ca-pilot-users");
    await graph.api(`/groups/${pilot}/members/$ref`).post(ref(await userId("quinn.murphy")));
    await graph.api(`/groups/${pilot}/members/${await userId("bob")}/$ref`).delete();
    await graph.api(`/groups/${await idOf(graph, "/groups", "Marketing")}/owners/$ref`).post(ref(await userId("alice")));
    await graph.api(`/users/${await userId("dana.kim")}`).patch({ jobTitle: "Head of Pilots" });
    await graph.api(`/applications/${await idOf(graph, "/applications", "Contoso Monitoring")}`).delete();
    await graph.api(`/users/${await userId("yara.costa")}`).delete();
    // Git: a merge not applied, a document made a template (the live value in prod), one of another environment.
    const folder = join(repo.dir, "tenant-config", "group");
    const sales = join(folder, "sales-team.yaml");
    writeFileSync(sales, readFileSync(sales, "utf8").replace(/^ {2}description: .*$/m, "  description: Sales, merged and not applied"));
    const untouched = readdirSync(folder).filter((f) => !["sales-team.yaml", "marketing.yaml", "finance-team.yaml", "sg-ca-pilot-users.yaml"].includes(f)).sort()[0] as string;
    const templated = join(folder, untouched);
    const displayName = /^ {2}displayName: (.*)$/m.exec(readFileSync(templated, "utf8"))?.[1] as string;
    writeFileSync(templated, readFileSync(templated, "utf8").replace(`  displayName: ${displayName}`, "  displayName: ${team}"));
    writeFileSync(repo.configFile, `${readFileSync(repo.configFile, "utf8")}\nenvironments:\n  prod:\n    vars:\n      team: ${JSON.stringify(displayName)}\n  test:\n    vars:\n      team: Test team\n`);
    // The environment's id map is the one the export recorded (before there were environments).
    const state = join(repo.dir, ".entra-gitops", "state");
    mkdirSync(join(state, "prod"), { recursive: true });
    copyFileSync(join(state, "default", "ids.yaml"), join(state, "prod", "ids.yaml"));
    writeFileSync(join(folder, "test-only.yaml"), "kind: group\nname: test-only\nenvironments: [test]\nspec:\n  displayName: Test only\n  mailEnabled: false\n  mailNickname: test-only\n  securityEnabled: true\n");
    git(repo.dir, "add", "-A");
    git(repo.dir, "commit", "-q", "-m", "Sales team description, a test-only group");
    expect(readFileSync(templated, "utf8")).toContain("displayName: ${team}");

    const config = loadConfig(repo.configFile, "prod");
    const descriptors = kindsInScope(config);
    const gateway = createGateway({ env: block.env });
    const plan = async (desired: Awaited<ReturnType<typeof loadDesired>>, read?: NonNullable<Awaited<ReturnType<typeof exportedDrift>>>["read"]): Promise<Plan> =>
      (
        await makePlan({
          config: { ...config, prune: true },
          descriptors,
          gateway,
          desired: desired.documents,
          gitRevision: desired.gitRevision,
          graphUrl: "https://graph.microsoft.com",
          allowDelete: true,
          createdAt: "2026-12-07T00:00:00.000Z",
          ...(read ? { read } : {}),
          ...streamFilesOf(desired),
        })
      ).plan;
    const everything = await plan(await loadDesired(config, "HEAD"));
    const exported = await exportedDrift(config, "HEAD", gateway, descriptors);
    if (!exported) throw new Error("the full drift did not read by export");
    const byExport = await plan(exported.desired, exported.read);

    // Only what export found changed was parsed and compared; the rest counts as unchanged.
    expect(exported.desired.documents.length).toBeLessThan(everything.summary.noop / 2);
    expect(exported.unchanged).toBeGreaterThan(everything.summary.noop / 2);
    const counted = { ...byExport, summary: { ...byExport.summary, noop: byExport.summary.noop + exported.unchanged } };
    expect(comparable(counted)).toEqual(comparable(everything));
    const addresses = everything.changes.filter((c) => c.action !== "noop").map((c) => c.address);
    expect(addresses).toEqual(expect.arrayContaining(["group/drift-new-group", "group/finance-team", "group/sg-ca-pilot-users", "group/marketing", "application/contoso-monitoring", "group/sales-team", "user/dana-kim-contoso-onmicrosoft-com", "user/yara-costa-contoso-onmicrosoft-com"]));
  });
});
