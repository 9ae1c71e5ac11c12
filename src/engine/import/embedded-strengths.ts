/**
 * Exports written with `$expand` or by tools that inline it (IntuneManagement, Graph beta) carry a
 * custom authentication strength inside the policy: `grantControls.authenticationStrength` with its
 * `displayName` and `allowedCombinations`. Import makes it a document of its own
 * (`authenticationStrengthPolicy`), which the policy then references by name; built-in strengths
 * (the same in every tenant) are referenced by name without a document.
 */
import type { JsonObject } from "../../model/document.js";
import { builtinAuthStrengthName } from "../../kinds/builtinAuthStrengths.js";
import { isJsonObject } from "../../model/json.js";

export interface EmbeddedStrength {
  /** The strength as a standalone Graph object. */
  object: JsonObject;
  id: string;
}

/** A custom strength defined inside a Conditional Access policy, or undefined. */
export function embeddedStrength(policy: JsonObject): EmbeddedStrength | undefined {
  const grant = policy.grantControls;
  const strength = isJsonObject(grant) ? grant.authenticationStrength : undefined;
  if (!isJsonObject(strength) || typeof strength.id !== "string" || builtinAuthStrengthName(strength.id) !== undefined) return undefined;
  if (strength.policyType === "builtIn") return undefined;
  if (typeof strength.displayName !== "string" || !Array.isArray(strength.allowedCombinations)) return undefined;
  return { id: strength.id.toLowerCase(), object: { "@odata.type": "#microsoft.graph.authenticationStrengthPolicy", ...strength } };
}
