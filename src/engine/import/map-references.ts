/**
 * Before normalization: the values of reference fields that are neither GUIDs nor references —
 * template placeholders (`<AdministratorGroup>`), display names (`CA-01 - Exclusion`), sentinels in
 * another case — become references, GUIDs or canonical sentinels, or a precise problem.
 */
import type { JsonObject, JsonValue } from "../../model/document.js";
import { canonicalSentinel, isAuthContextId, isGuid, parseReference } from "../../kinds/reference-syntax.js";
import { builtinAuthStrengthId } from "../../kinds/builtinAuthStrengths.js";
import { builtinRoleId, builtinRoleName, formerBuiltinRoleId } from "../../kinds/builtinRoles.js";
import { mapStringsAt } from "../../kinds/paths.js";
import { isJsonObject } from "../../model/json.js";
import type { ReferenceField } from "../../kinds/types.js";
import type { ImportIndex } from "./import-index.js";
import { PLACEHOLDER_IN_TEXT, isPlaceholder } from "./maps.js";
import type { ValueMap } from "./maps.js";

/** Rewrites `spec` in place; returns the problems (empty when every value could be placed). */
export function mapReferenceValues(spec: JsonObject, fields: readonly ReferenceField[], map: ValueMap, index: ImportIndex): string[] {
  const problems = new Set<string>();
  for (const field of fields) {
    if (field.template !== undefined || field.where !== undefined) continue;
    mapStringsAt(spec, field.path, (value) => {
      const mapped = map.lookup(value);
      if (mapped !== undefined) return mapped;
      const sentinel = canonicalSentinel(value, field.sentinels ?? []);
      if (sentinel !== undefined) return sentinel;
      if (isGuid(value)) return value;
      // An authentication context id (`c1`): a name when its class reference is imported, else kept.
      if (field.targets.includes("authenticationContext") && isAuthContextId(value)) return value;
      const reference = parseReference(value);
      if (reference) return value;
      if (isPlaceholder(value)) {
        problems.add(`${field.path}: placeholder ${value} has no entry in the --map file`);
        return value;
      }
      const found = index.resolveDisplayName(value, field.targets);
      if (found) return `${found.prefix}:${found.name}`;
      const matches = index.matchesOf(value, field.targets);
      if (matches > 1) {
        problems.add(`${field.path}: ${JSON.stringify(value)} is the display name of ${matches} imported objects; say which in the --map file`);
        return value;
      }
      // Built-ins are the same in every tenant: their display names are references already.
      // A role's former name (`Company Administrator`) is written as its current one.
      const roleId = field.targets.includes("role") ? (builtinRoleId(value) ?? formerBuiltinRoleId(value)) : undefined;
      if (roleId !== undefined) return `role:${builtinRoleName(roleId) ?? value}`;
      if (field.targets.includes("authenticationStrength") && builtinAuthStrengthId(value) !== undefined) return `authenticationStrength:${value}`;
      // A userPrincipalName is how documents name users.
      if (field.targets.includes("user") && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) return `user:${value}`;
      problems.add(`${field.path}: ${JSON.stringify(value)} ${unknownValue(field)}: add it to the --map file`);
      return value;
    });
  }
  return [...problems];
}

function unknownValue(field: ReferenceField): string {
  if (field.targets.includes("role")) return "is not a built-in role known to entra-gitops (write a custom role as its GUID)";
  if (field.targets.includes("user")) return "is not a GUID or a userPrincipalName; it looks like a user's display name (documents reference users by userPrincipalName)";
  const sentinels = (field.sentinels ?? []).length > 0 ? `, nor one of ${(field.sentinels ?? []).join(", ")}` : "";
  return `is not a GUID${sentinels}, and no imported ${field.targets.join(" or ")} has this display name`;
}

/** Placeholders in free text (`<RING>` in a display name) filled from the map; unmapped ones stay. */
export function fillTextPlaceholders(value: JsonValue, map: ValueMap): JsonValue {
  if (typeof value === "string") {
    return value.replace(PLACEHOLDER_IN_TEXT, (placeholder) => map.lookup(placeholder) ?? placeholder);
  }
  if (Array.isArray(value)) return value.map((v) => fillTextPlaceholders(v, map));
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = fillTextPlaceholders(v, map);
    return out;
  }
  return value;
}
