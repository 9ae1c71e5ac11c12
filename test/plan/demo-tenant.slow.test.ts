import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/model/document.js";
import { connect, kindsInScope, readConfig } from "../../src/cli/workspace.js";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import type { LiveObject, PlanSource } from "../../src/model/plan.js";
import { takeSnapshot, type Snapshot } from "../../src/engine/snapshot/snapshot.js";
import type { ObjectId } from "../../src/model/kind.js";
import { normalizeDocument } from "../../src/kinds/normalize.js";
import { getKind } from "../../src/kinds/registry.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { sandboxEnv, tempRepo } from "../helpers/cli.js";
import { startSandbox, type StartedSandbox } from "../helpers/sandbox.js";

const SOURCE: PlanSource = { gitRevision: null, configDigest: "sha256:test", tenantId: "demo", graphUrl: "https://127.0.0.1", createdAt: "2026-01-01T00:00:00Z", environment: "demo" };

// The plan over what the sandbox's demo tenant really reads back (snapshot + kind normalization).
describe("planning the demo sandbox tenant", () => {
  let started: StartedSandbox;
  let snapshot: Snapshot;
  let scope: ReturnType<typeof kindsInScope>;
  const saved = new Map<string, string | undefined>();
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    for (const [key, value] of Object.entries(sandboxEnv(started.sandbox))) {
      saved.set(key, process.env[key]);
      process.env[key] = value;
    }
    const config = readConfig({ config: tempRepo().configFile });
    scope = kindsInScope(config);
    snapshot = await takeSnapshot(connect(config), scope);
  }, 60_000);
  afterAll(async () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await started?.stop();
  });

  const live = (): LiveObject[] => snapshot.documents.map((d) => ({ kind: d.kind, name: d.name, id: (d.id ?? d.kind) as ObjectId, spec: d.spec }));
  const exported = () => snapshot.documents.map((d) => ({ kind: d.kind, name: d.name, ...(d.id ? { id: d.id } : {}), spec: normalizeDocument(getKind(d.kind), structuredClone(d.spec), snapshot.index) }));

  it("an export planned against the tenant it came from has no changes and no errors", () => {
    const plan = computePlan(exported(), live(), { source: SOURCE, scope: scope.map((d) => d.kind), prune: true });
    expect(plan.changes.filter((c) => c.action !== "noop").map((c) => c.address)).toEqual([]);
    expect(plan.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(plan.summary.noop).toBeGreaterThan(40);
    expect(plan.fingerprints.length).toBe(snapshot.documents.length);
  });

  it("flags a blocking change to a real admin policy and a delete that a policy still uses", () => {
    const docs = exported();
    const admins = docs.find((d) => d.kind === "conditionalAccessPolicy" && JSON.stringify(d.spec).includes("role:Global Administrator"));
    expect(admins).toBeDefined();
    if (!admins) return;
    const users = ((admins.spec["conditions"] as JsonObject)["users"] ?? {}) as JsonObject;
    admins.spec = {
      ...admins.spec,
      state: "enabled",
      conditions: { ...(admins.spec["conditions"] as JsonObject), users: { ...users, excludeGroups: [], excludeUsers: [] } },
      grantControls: { operator: "OR", builtInControls: ["block"] },
    };
    const usedGroup = docs.find((d) => d.kind === "group" && docs.some((o) => o.kind === "conditionalAccessPolicy" && JSON.stringify(o.spec).includes(`"group:${d.name}"`)));
    expect(usedGroup).toBeDefined();
    const plan = computePlan(
      docs.filter((d) => d !== usedGroup),
      live(),
      { source: SOURCE, scope: scope.map((d) => d.kind), prune: true, guards: { allowDelete: true, maxDeletes: 5, protected: [], breakGlass: { accounts: [], groups: ["group:emergency-access"] } } },
    );
    expect(plan.guards.filter((g) => g.guard === "lockout").map((g) => g.address)).toContain(`conditionalAccessPolicy/${admins.name}`);
    expect(plan.diagnostics.map((d) => d.code)).toContain("reference-to-deleted");
    const md = renderMarkdown(plan);
    expect(md).toContain(`<code>conditionalAccessPolicy/${admins.name}</code> will be updated in place`);
    expect(md).toContain(`<code>group/${usedGroup?.name}</code> will be deleted`);
  });
});
