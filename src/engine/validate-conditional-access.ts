/**
 * Conditional Access rules a JSON Schema cannot state, checked by `validate` (and so before `plan`)
 * with Graph's own rule in each message (docs/graph-behaviour.md, "Sandbox behaviour table"; the
 * sandbox refuses the same bodies):
 * - `conditions.applications` is required: null or absent is refused;
 * - either `conditions.users` or `conditions.clientApplications` is required;
 * - a policy needs grant controls or session controls: `grantControls: null` (or no control in it)
 *   with no session control is refused;
 * - grant controls that name a control need `operator: AND | OR`.
 */
import type { Diagnostic, JsonObject, JsonValue, SourcedDocument } from "../model/document.js";

function object(value: JsonValue | undefined): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
}

function count(value: JsonValue | undefined): number {
  return Array.isArray(value) ? value.length : 0;
}

/** At least one session control set (a non-null value other than `@odata.type`). */
function hasSessionControl(session: JsonObject | undefined): boolean {
  return session !== undefined && Object.entries(session).some(([key, value]) => key !== "@odata.type" && value !== null);
}

function grantControlCount(grant: JsonObject | undefined): number {
  if (!grant) return 0;
  return count(grant.builtInControls) + count(grant.termsOfUse) + count(grant.customAuthenticationFactors) + (object(grant.authenticationStrength) ? 1 : 0);
}

export function conditionalAccessDiagnostics(doc: SourcedDocument): Diagnostic[] {
  if (doc.kind !== "conditionalAccessPolicy") return [];
  const out: Diagnostic[] = [];
  const add = (path: (string | number)[], message: string): void => {
    // The field itself, else the nearest enclosing one that is written (a missing key's parent).
    let found: { line: number; column: number } | undefined;
    for (let depth = path.length; depth >= 0 && !found; depth--) found = doc.positionOf(["spec", ...path.slice(0, depth)]);
    found ??= { line: 1, column: 1 };
    out.push({ severity: "error", file: doc.file, line: found.line, column: found.column, path: ["spec", ...path].join("."), message });
  };
  const spec = doc.spec;
  const conditions = object(spec.conditions);
  if (conditions) {
    if (!object(conditions.applications)) {
      add(["conditions", "applications"], `conditions.applications is ${conditions.applications === null ? "null" : "missing"}: Graph requires it on every Conditional Access policy (conditionalAccessConditionSet: applications, Required). Name the applications, e.g. includeApplications: [All]`);
    }
    if (!object(conditions.users) && !object(conditions.clientApplications)) {
      add(["conditions", "users"], `conditions.users is ${conditions.users === null ? "null" : "missing"} and there is no conditions.clientApplications: Graph requires one of them (conditionalAccessConditionSet: "Either users or clientApplications is required")`);
    }
  }
  const grant = object(spec.grantControls);
  const controls = grantControlCount(grant);
  if (controls === 0 && !hasSessionControl(object(spec.sessionControls))) {
    const why = spec.grantControls === null ? "grantControls is null" : grant ? "grantControls names no control" : "grantControls is missing";
    add(["grantControls"], `${why} and no session control is set: Graph refuses a Conditional Access policy with neither grant controls nor session controls. Set grantControls (e.g. builtInControls: [mfa] with operator: OR, or [block]) or a sessionControls entry`);
  }
  if (grant && controls > 0 && grant.operator !== "AND" && grant.operator !== "OR") {
    add(["grantControls", "operator"], `grantControls.operator is ${grant.operator === undefined ? "missing" : JSON.stringify(grant.operator)}: Graph requires AND or OR when grant controls are set`);
  }
  return out;
}
