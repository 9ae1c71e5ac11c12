import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/model/document.js";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import type { GuardContext } from "../../src/guards/types.js";
import { SOURCE } from "../plan/fixtures.js";
import { documents, LIVE, SCOPE } from "./lockout-tenant.js";

const corpusDir = resolve(process.cwd(), "../shared/corpus");
const templates = join(corpusDir, "AlexFilipin__ConditionalAccess/PolicyRepository");

const ctx: GuardContext = {
  allowDelete: false,
  maxDeletes: 0,
  protected: [],
  breakGlass: { accounts: [], groups: ["group:bg-exclusion"] },
  runner: { type: "application", identifiers: ["servicePrincipal:entra-gitops"] },
};

/** Every template, the emergency-access placeholder turned into the break-glass group, forced to `state: enabled`. */
function load(): Array<{ file: string; spec: JsonObject; excludesBreakGlass: boolean }> {
  const out: Array<{ file: string; spec: JsonObject; excludesBreakGlass: boolean }> = [];
  for (const category of readdirSync(templates).sort()) {
    const folder = join(templates, category);
    if (!statSync(folder).isDirectory()) continue;
    for (const file of readdirSync(folder).filter((f) => f.endsWith(".json")).sort()) {
      const raw = readFileSync(join(folder, file), "utf8").replace(/^\uFEFF/, "");
      const text = raw.replace(/<EmergencyAccessAccountsGroup>/g, "group:bg-exclusion").replace(/<([A-Za-z]+)>/g, (_, n: string) => `group:${n.toLowerCase()}`);
      out.push({ file, spec: { ...(JSON.parse(text) as JsonObject), state: "enabled" }, excludesBreakGlass: raw.includes("<EmergencyAccessAccountsGroup>") });
    }
  }
  return out;
}

/** The lockout messages of a plan that adds this one policy to the lockout suite's tenant. */
function lockoutsOf(spec: JsonObject): string[] {
  const desired = documents();
  desired.push({ kind: "conditionalAccessPolicy", name: "template", spec });
  const plan = computePlan(desired, LIVE, { source: SOURCE, scope: SCOPE, guards: ctx });
  return plan.guards.filter((g) => g.guard === "lockout").map((g) => g.message);
}

// Skipped at collection by `existsSync` alone: the templates are read in `beforeAll`, so a clone with
// nothing beside it collects this file without touching ../shared.
describe.skipIf(!existsSync(templates))("lockout guard on real CA templates (requires ../shared/corpus)", () => {
  let all: ReturnType<typeof load> = [];
  beforeAll(() => {
    all = load();
  });

  it("never reports break-glass for a template that excludes the emergency access group", () => {
    expect(all.length).toBeGreaterThan(50);
    for (const t of all.filter((x) => x.excludesBreakGlass)) {
      expect(lockoutsOf(t.spec).filter((m) => m.includes("break-glass")), t.file).toEqual([]);
    }
  });

  it("reports break-glass for every blocking template for all users or admins once its exclusion is removed", () => {
    const blocking = all.filter((t) => t.excludesBreakGlass && JSON.stringify(t.spec["grantControls"] ?? null).includes('"block"'));
    expect(blocking.length).toBeGreaterThan(10);
    let checked = 0;
    for (const t of blocking) {
      const users = (t.spec["conditions"] as JsonObject)["users"] as JsonObject;
      const targetsEveryoneOrAdmins = ((users["includeUsers"] as string[]) ?? []).includes("All") || ((users["includeRoles"] as string[]) ?? []).length > 0;
      const apps = ((t.spec["conditions"] as JsonObject)["applications"] as JsonObject)["includeApplications"] as string[];
      // A template with includeApplications [None] (apps filled in later) applies to nothing yet.
      if (!targetsEveryoneOrAdmins || apps.includes("None")) continue;
      const stripped = { ...t.spec, conditions: { ...(t.spec["conditions"] as JsonObject), users: { ...users, excludeGroups: (users["excludeGroups"] as string[]).filter((g) => g !== "group:bg-exclusion") } } };
      expect(lockoutsOf(stripped).join("\n"), t.file).toContain("break-glass");
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it("flags the workload-identity block outside trusted locations for the service principal that runs apply, not the block on a detected risk", () => {
    const flagged = all.filter((t) => lockoutsOf(t.spec).some((m) => m.includes("service principal that runs apply"))).map((t) => t.file.slice(0, 3));
    expect(flagged).toEqual(["700"]);
  });
});
