import type { JsonObject, JsonValue } from "../../model/document.js";
import type { Target } from "../../conditional-access/types.js";
import type { PlanWorlds } from "../../conditional-access/plan-worlds.js";
import type { LiveObject } from "../../model/plan.js";

const obj = (v: JsonValue | undefined): JsonObject => (typeof v === "object" && v !== null && !Array.isArray(v) ? v : {});
const strings = (v: JsonValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

export interface NamedTarget {
  label: string;
  target: Target;
}

/**
 * What the impact is computed for: every application, user action and authentication context the
 * changed policies name (before or after) or the policies requiring a changed authentication
 * strength name, and "all applications" (an application no policy names).
 */
export function impactTargets(worlds: PlanWorlds, live: readonly LiveObject[] = []): NamedTarget[] {
  const out = new Map<string, NamedTarget>();
  out.set("all applications", { label: "all applications", target: { type: "application", refs: ["(any application)"] } });
  const specs: JsonObject[] = [];
  for (const change of worlds.changes) {
    if (change.kind !== "conditionalAccessPolicy" || change.action === "noop") continue;
    specs.push(...[change.action === "create" ? undefined : change.before, change.action === "delete" ? undefined : change.after].filter((s): s is JsonObject => s !== undefined));
  }
  // A strength whose methods change reaches every application the policies requiring it name.
  const strengths = new Set(worlds.changes.filter((c) => c.kind === "authenticationStrengthPolicy").map((c) => `authenticationStrength:${c.name}`.toLowerCase()));
  for (const o of live) {
    const strength = obj(obj(o.spec["grantControls"])["authenticationStrength"])["id"];
    if (o.kind === "conditionalAccessPolicy" && typeof strength === "string" && strengths.has(strength.toLowerCase())) specs.push(o.spec);
  }
  for (const spec of specs) {
    const apps = obj(obj(spec["conditions"])["applications"]);
    for (const ref of [...strings(apps["includeApplications"]), ...strings(apps["excludeApplications"])]) {
      if (ref === "All" || ref === "None" || out.has(ref)) continue;
      const target: Target =
        ref === "Office365" ? { type: "application", refs: ["(an Office 365 application)"], office365: true } : ref === "MicrosoftAdminPortals" ? { type: "application", refs: ["(Microsoft Admin Portals)"], adminPortal: true } : { type: "application", refs: [ref] };
      out.set(ref, { label: ref, target });
    }
    for (const action of strings(apps["includeUserActions"])) {
      if (action === "urn:user:registersecurityinfo" || action === "urn:user:registerdevice") out.set(action, { label: action, target: { type: "userAction", action } });
    }
    for (const context of strings(apps["includeAuthenticationContextClassReferences"])) out.set(context, { label: context, target: { type: "authenticationContext", ref: context } });
  }
  return [...out.values()];
}
