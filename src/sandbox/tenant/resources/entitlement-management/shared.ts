/**
 * What the entitlement management resources share (docs/graph-behaviour.md, entitlement
 * management): their permissions, their audit service and the checks of their request bodies.
 */
import { badRequest } from "../../core/errors.js";
import type { AuditNames } from "../../core/resource.js";

export const EM_PERMISSIONS = {
  read: ["EntitlementManagement.Read.All", "EntitlementManagement.ReadWrite.All"],
  write: ["EntitlementManagement.ReadWrite.All"],
} as const;

export const EM_ROOT = "/identityGovernance/entitlementManagement";

/** Audit names of one entitlement management object type ("access package catalog"). */
export function emAudit(noun: string): AuditNames {
  return { service: "Entitlement Management", category: "EntitlementManagement", targetType: "Other", add: `Create ${noun}`, update: `Update ${noun}`, delete: `Delete ${noun}` };
}

/** Refuses a property the type does not have (the message is the sandbox's own). */
export function onlyProperties(entity: Record<string, unknown>, allowed: ReadonlySet<string>, type: string): void {
  for (const key of Object.keys(entity)) {
    if (!allowed.has(key) && !key.startsWith("@odata.")) throw badRequest(`The property '${key}' does not exist on type 'microsoft.graph.${type}'.`, "BadRequest");
  }
}

/** A required, non-empty string. */
export function requireText(entity: Record<string, unknown>, property: string, type: string): void {
  const value = entity[property];
  if (typeof value !== "string" || value.trim() === "") throw badRequest(`The property '${property}' of type 'microsoft.graph.${type}' is required and must be a non-empty string.`, "BadRequest");
}

/** An optional value of one of `members` (an enum). */
export function optionalEnum(entity: Record<string, unknown>, property: string, members: readonly string[], type: string): void {
  const value = entity[property];
  if (value === undefined || value === null) return;
  if (typeof value !== "string" || !members.includes(value)) throw badRequest(`Invalid value '${String(value)}' for property '${property}' of type 'microsoft.graph.${type}'.`, "BadRequest");
}

/** An optional boolean. */
export function optionalBoolean(entity: Record<string, unknown>, property: string, type: string): void {
  const value = entity[property];
  if (value !== undefined && value !== null && typeof value !== "boolean") throw badRequest(`Invalid value for property '${property}' of type 'microsoft.graph.${type}': a Boolean is expected.`, "BadRequest");
}
