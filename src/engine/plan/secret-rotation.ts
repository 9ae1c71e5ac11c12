/**
 * Rotating a write-only secret (README "Rotating a write-only secret"): Graph never returns the
 * secret, so plan cannot see that it changed. The document's version marker (`clientSecretVersion`)
 * against the one last applied in the environment says it: a higher marker (or one where the
 * environment recorded none) makes the object an update that writes the secret again, shown as
 * `~ clientSecret: <rotated> (version 1 → 2)`; a lower one is no rotation, the plan warns and
 * writes nothing for it. The value itself is never in the plan, only the reference `env:NAME`.
 */
import { secretRotations } from "../../kinds/secret-references.js";
import type { EntraDocument, JsonObject } from "../../model/document.js";
import type { FieldChange, LiveObject, PlanChange, PlanDiagnostic } from "../../model/plan.js";
import { resultingSpec, type CompareRules } from "./build-change.js";

/**
 * `change` (the document against its live object) with the secrets whose marker rose written
 * again: a no-op becomes an update, an update gains the rotated properties. `applied` is the
 * environment's record for the object (secret property → marker), undefined when it has none.
 */
export function withSecretRotations(change: PlanChange, desired: EntraDocument, actual: LiveObject, rules: CompareRules, applied: JsonObject | undefined, diagnostics: PlanDiagnostic[]): PlanChange {
  if (!rules.kind.secrets?.some((s) => s.version !== undefined) || (change.action !== "noop" && change.action !== "update")) return change;
  const { rotated, lowered } = secretRotations(rules.kind, desired.spec, applied);
  for (const l of lowered) {
    const marker = rules.kind.secrets.find((s) => s.property === l.property)?.version ?? l.property;
    diagnostics.push({
      severity: "warning",
      code: "secret-version-lowered",
      address: change.address,
      message: `${change.address}: ${marker} ${String(l.to)} is lower than ${String(l.from)}, the version last applied in this environment: not a rotation, ${l.property} is not written (raise it above ${String(l.from)} to rotate)`,
    });
  }
  if (rotated.length === 0) return change;
  const fields: FieldChange[] = rotated.map((r) => ({ op: "update", path: r.property, rotation: { ...(r.from !== undefined ? { from: r.from } : {}), to: r.to } }));
  const base = change.action === "update" ? change : { ...change, action: "update" as const, dependsOn: [], references: [], notes: [], before: actual.spec, after: resultingSpec(actual.spec, desired.spec, rules), fields: [] };
  const after = { ...base.after };
  // The reference apply resolves, and the markers it records once written (never sent to Graph).
  for (const r of rotated) {
    const secret = rules.kind.secrets.find((s) => s.property === r.property);
    if (desired.spec[r.property] !== undefined) after[r.property] = desired.spec[r.property] as string;
    if (secret?.version !== undefined) after[secret.version] = r.to;
  }
  return { ...base, after, fields: [...base.fields, ...fields] };
}
