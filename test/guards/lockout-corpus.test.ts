import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/documents/types.js";
import { viewPolicy } from "../../src/guards/ca-policy-view.js";
import { policyLockouts } from "../../src/guards/lockout-guard.js";
import type { GuardContext } from "../../src/guards/types.js";

const corpusDir = resolve(process.cwd(), "../shared/corpus");
const templates = join(corpusDir, "AlexFilipin__ConditionalAccess/PolicyRepository");

const ctx: GuardContext = { allowDelete: false, maxDeletes: 0, protected: [], breakGlass: { accounts: [], groups: ["group:emergency-access"] } };

/** Every template, placeholders turned into group references, forced to `state: enabled`. */
function load(): Array<{ file: string; spec: JsonObject; excludesBreakGlass: boolean }> {
  const out: Array<{ file: string; spec: JsonObject; excludesBreakGlass: boolean }> = [];
  for (const category of readdirSync(templates).sort()) {
    const folder = join(templates, category);
    if (!statSync(folder).isDirectory()) continue;
    for (const file of readdirSync(folder).filter((f) => f.endsWith(".json")).sort()) {
      const raw = readFileSync(join(folder, file), "utf8").replace(/^\uFEFF/, "");
      const text = raw.replace(/<EmergencyAccessAccountsGroup>/g, "group:emergency-access").replace(/<([A-Za-z]+)>/g, (_, n: string) => `group:${n.toLowerCase()}`);
      out.push({ file, spec: { ...(JSON.parse(text) as JsonObject), state: "enabled" }, excludesBreakGlass: raw.includes("<EmergencyAccessAccountsGroup>") });
    }
  }
  return out;
}

// Skipped at collection by `existsSync` alone: the templates are read in `beforeAll`, so a clone with
// nothing beside it collects this file without touching ../shared.
describe.skipIf(!existsSync(templates))("lockout guard on real CA templates (requires ../shared/corpus)", () => {
  let all: ReturnType<typeof load> = [];
  beforeAll(() => {
    all = load();
  });

  it("flags exactly the block-all-users templates that do not exclude the emergency access group", () => {
    const flagged = all.filter((t) => policyLockouts(viewPolicy(t.spec), ctx).length > 0).map((t) => t.file.slice(0, 3));
    expect(all.length).toBeGreaterThan(50);
    expect(flagged).toEqual(["600", "601", "800"]);
    for (const t of all.filter((x) => flagged.includes(x.file.slice(0, 3)))) expect(t.excludesBreakGlass).toBe(false);
  });

  it("flags every blocking template once its break-glass exclusion is removed", () => {
    const blocking = all.filter((t) => t.excludesBreakGlass && JSON.stringify(t.spec["grantControls"] ?? null).includes('"block"'));
    expect(blocking.length).toBeGreaterThan(10);
    for (const t of blocking) {
      const users = (t.spec["conditions"] as JsonObject)["users"] as JsonObject;
      const stripped = { ...t.spec, conditions: { ...(t.spec["conditions"] as JsonObject), users: { ...users, excludeGroups: (users["excludeGroups"] as string[]).filter((g) => g !== "group:emergency-access") } } };
      const found = policyLockouts(viewPolicy(stripped), ctx);
      const targetsEveryoneOrAdmins = ((users["includeUsers"] as string[]) ?? []).includes("All") || ((users["includeRoles"] as string[]) ?? []).length > 0;
      if (targetsEveryoneOrAdmins) expect(found, t.file).not.toEqual([]);
    }
  });

  it("flags the workload-identity block templates for a service principal that runs apply", () => {
    const runner: GuardContext = { ...ctx, runner: { type: "application", identifiers: ["servicePrincipal:entra-gitops"] } };
    const flagged = all.filter((t) => policyLockouts(viewPolicy(t.spec), runner).some((m) => m.includes("service principal that runs apply"))).map((t) => t.file.slice(0, 3));
    expect(flagged).toEqual(["700", "701"]);
  });
});
