import type { JsonObject, JsonValue } from "../../documents/types.js";
import type { Target } from "../../conditional-access/types.js";
import type { PlanWorlds } from "../../conditional-access/plan-worlds.js";

const obj = (v: JsonValue | undefined): JsonObject => (typeof v === "object" && v !== null && !Array.isArray(v) ? v : {});
const strings = (v: JsonValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

export interface NamedTarget {
  label: string;
  target: Target;
}

/**
 * What the impact is computed for: every application, user action and authentication context the
 * changed policies name (before or after), and "all applications" (an application no policy names).
 */
export function impactTargets(worlds: PlanWorlds): NamedTarget[] {
  const out = new Map<string, NamedTarget>();
  out.set("all applications", { label: "all applications", target: { type: "application", refs: ["(any application)"] } });
  for (const change of worlds.changes) {
    if (change.kind !== "conditionalAccessPolicy" || change.action === "noop") continue;
    const specs = [change.action === "create" ? undefined : change.before, change.action === "delete" ? undefined : change.after].filter((s): s is JsonObject => s !== undefined);
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
  }
  return [...out.values()];
}
