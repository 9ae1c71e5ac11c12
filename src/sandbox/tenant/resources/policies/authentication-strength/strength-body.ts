/**
 * Custom authentication strength policies: body checks, computed fields (`policyType`,
 * `requirementsSatisfied`) and combination configurations (`fido2CombinationConfiguration`,
 * `x509CertificateCombinationConfiguration`). Messages are the sandbox's (UNVERIFIED wording).
 */
import { GraphHttpError, badRequest } from "../../../core/errors.js";
import { isRecord } from "../../../core/entity.js";
import { checkShape, odataTypeName, unknownPropertyMessage, type ApiVersion, type ShapeProblem } from "../schema/shape.js";
import { MULTIFACTOR_COMBINATIONS, SUPPORTED_COMBINATIONS, isBuiltInStrength } from "./built-ins.js";

type Json = Record<string, unknown>;

export const STRENGTH_READ_ONLY = ["id", "createdDateTime", "modifiedDateTime", "policyType", "requirementsSatisfied"] as const;

function shapeError(problem: ShapeProblem): GraphHttpError {
  if (problem.kind === "unknownProperty") return new GraphHttpError(400, "BadRequest", unknownPropertyMessage(problem.property, problem.type));
  if (problem.kind === "invalidEnum") return badRequest(`Invalid authentication method combination value '${problem.value}'.`, "BadRequest");
  return badRequest(`Invalid value for property '${problem.path}'.`, "BadRequest");
}

function strip(body: Json, readOnly: readonly string[]): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(body)) if (!readOnly.includes(key)) out[key] = value;
  return out;
}

/** Canonical combinations (declaration order, no spaces) as Graph serializes flag enums. */
function checkCombinations(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw badRequest("allowedCombinations must contain at least one authentication method combination.", "BadRequest");
  const out: string[] = [];
  for (const combination of value) {
    const text = String(combination);
    // A combination is a flag enum: its members in any order, with or without spaces, are the same value.
    const canonical = SUPPORTED_COMBINATIONS.find((supported) => sameFlags(supported, text));
    if (canonical === undefined) {
      throw badRequest(`The authentication method combination '${text}' is not supported in an authentication strength.`, "BadRequest");
    }
    if (!out.includes(canonical)) out.push(canonical);
  }
  return out;
}

function sameFlags(a: string, b: string): boolean {
  const members = (text: string): string => text.split(",").map((t) => t.trim()).filter(Boolean).sort().join(",");
  return members(a) === members(b);
}

export function requirementsSatisfied(combinations: readonly string[]): "mfa" | "none" {
  return combinations.every((c) => MULTIFACTOR_COMBINATIONS.includes(c)) ? "mfa" : "none";
}

/** POST body → stored custom strength (without id and timestamps). */
export function prepareStrengthCreate(body: unknown, version: ApiVersion): Json {
  if (!isRecord(body)) throw badRequest("Request body is required.", "BadRequest");
  const shaped = checkShape(strip(body, [...STRENGTH_READ_ONLY, "combinationConfigurations"]), "authenticationStrengthPolicy", { version, includeUnknownEnumMembers: true });
  if (!shaped.ok) throw shapeError(shaped.problem);
  const value = shaped.value;
  delete value["@odata.type"];
  if (typeof value["displayName"] !== "string" || value["displayName"].trim() === "") throw badRequest("displayName is required.", "BadRequest");
  const combinations = checkCombinations(value["allowedCombinations"]);
  return {
    ...value,
    description: value["description"] ?? null,
    policyType: "custom",
    requirementsSatisfied: requirementsSatisfied(combinations),
    allowedCombinations: combinations,
  };
}

/** PATCH: only displayName and description; combinations change through updateAllowedCombinations. */
export function prepareStrengthUpdate(existing: Json, body: unknown, version: ApiVersion): Json {
  if (isBuiltInStrength(String(existing["id"]))) throw builtInReadOnly();
  if (!isRecord(body)) throw badRequest("Request body is required.", "BadRequest");
  if ("allowedCombinations" in body) {
    throw badRequest("allowedCombinations cannot be updated with PATCH; use the updateAllowedCombinations action.", "BadRequest");
  }
  const shaped = checkShape(strip(body, STRENGTH_READ_ONLY), "authenticationStrengthPolicy", { version, includeUnknownEnumMembers: true });
  if (!shaped.ok) throw shapeError(shaped.problem);
  delete shaped.value["@odata.type"];
  return { ...existing, ...shaped.value };
}

export function builtInReadOnly(): GraphHttpError {
  return badRequest("Built-in authentication strength policies cannot be modified or deleted.", "BadRequest");
}

/** `updateAllowedCombinations`: new stored policy and the action's response body. */
export function updateAllowedCombinations(existing: Json, body: unknown): { stored: Json; response: Json } {
  if (isBuiltInStrength(String(existing["id"]))) throw builtInReadOnly();
  if (!isRecord(body)) throw badRequest("Request body is required.", "BadRequest");
  const combinations = checkCombinations(body["allowedCombinations"]);
  const previous = Array.isArray(existing["allowedCombinations"]) ? existing["allowedCombinations"] : [];
  return {
    stored: { ...existing, allowedCombinations: combinations, requirementsSatisfied: requirementsSatisfied(combinations) },
    response: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.updateAllowedCombinationsResult",
      additionalInformation: null,
      conditionalAccessReferences: [],
      currentCombinations: combinations,
      previousCombinations: previous,
    },
  };
}

const CONFIGURATION_TYPES = ["fido2CombinationConfiguration", "x509CertificateCombinationConfiguration"];

/** A combination configuration POST/PATCH body, checked against the strength's combinations. */
export function prepareCombinationConfiguration(strength: Json, body: unknown, version: ApiVersion, existing?: Json): Json {
  if (isBuiltInStrength(String(strength["id"]))) throw builtInReadOnly();
  if (!isRecord(body)) throw badRequest("Request body is required.", "BadRequest");
  const merged = existing ? { ...existing, ...body } : body;
  const type = typeof merged["@odata.type"] === "string" ? odataTypeName(merged["@odata.type"]) : "";
  if (!CONFIGURATION_TYPES.includes(type)) throw badRequest("@odata.type must be fido2CombinationConfiguration or x509CertificateCombinationConfiguration.", "BadRequest");
  const shaped = checkShape(strip(merged, ["id"]), "authenticationCombinationConfiguration", { version, includeUnknownEnumMembers: true });
  if (!shaped.ok) throw shapeError(shaped.problem);
  const applies = shaped.value["appliesToCombinations"];
  const combinations = Array.isArray(strength["allowedCombinations"]) ? strength["allowedCombinations"] : [];
  if (!Array.isArray(applies) || applies.length === 0 || applies.some((c) => !combinations.includes(c))) {
    throw badRequest("appliesToCombinations must list combinations the authentication strength allows.", "BadRequest");
  }
  const needed = type === "fido2CombinationConfiguration" ? ["fido2"] : ["x509CertificateMultiFactor", "x509CertificateSingleFactor"];
  if (applies.some((c) => !needed.includes(String(c)))) throw badRequest(`appliesToCombinations of a ${type} may only list ${needed.join(", ")}.`, "BadRequest");
  const defaults: Json = type === "fido2CombinationConfiguration" ? { allowedAAGUIDs: [] } : { allowedIssuerSkis: [], allowedPolicyOIDs: [] };
  return { ...defaults, ...shaped.value };
}
