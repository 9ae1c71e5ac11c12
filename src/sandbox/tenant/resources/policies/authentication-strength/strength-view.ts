/** An authentication strength policy as GET shows it (combination configurations are a separate navigation). */
import type { ApiVersion } from "../schema/shape.js";

export function renderStrength(stored: Record<string, unknown>, _version: ApiVersion): Record<string, unknown> {
  return {
    id: stored["id"],
    createdDateTime: stored["createdDateTime"] ?? null,
    modifiedDateTime: stored["modifiedDateTime"] ?? null,
    displayName: stored["displayName"] ?? null,
    description: stored["description"] ?? null,
    policyType: stored["policyType"] ?? "custom",
    requirementsSatisfied: stored["requirementsSatisfied"] ?? "mfa",
    allowedCombinations: Array.isArray(stored["allowedCombinations"]) ? stored["allowedCombinations"] : [],
  };
}
