/**
 * What PIM refuses of an administrator's schedule, known at plan (README "PIM for groups
 * eligibility"; docs/graph-behaviour.md, "PIM settings govern administrators' requests"): the
 * role's or group relationship's `Expiration_Admin_Eligibility` / `Expiration_Admin_Assignment`
 * rule refuses a schedule without an end when it requires one, and a duration longer than its
 * maximum. The settings are the `roleSetting` / `groupRoleSetting` document (else the tenant's,
 * in document form), or Microsoft's defaults when neither lists the role or relationship; nothing
 * is checked when the settings kind is not in scope (the tenant's settings are then unknown). An
 * end date is not checked here (its length depends on when apply runs). Pure.
 */
import { DEFAULT_GROUP_ROLE_SETTING_RULES } from "../facts/pim-group-setting-defaults.js";
import { DEFAULT_ROLE_SETTING_RULES } from "../facts/pim-role-setting-defaults.js";
import type { JsonObject } from "../model/document.js";
import type { Kind } from "../model/kind.js";
import { isJsonObject } from "../model/json.js";
import { durationMs } from "./pim-schedule.js";

type SpecsOf = (kind: Kind) => readonly JsonObject[] | undefined;

const same = (a: unknown, b: unknown): boolean => typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();

function refusals(spec: JsonObject, setting: JsonObject | undefined, defaults: readonly Readonly<Record<string, unknown>>[], level: "Eligibility" | "Assignment", where: string): string[] {
  const id = `Expiration_Admin_${level}`;
  const listed = Array.isArray(setting?.rules) ? setting.rules.find((r) => isJsonObject(r) && r.id === id) : undefined;
  // A value a listed rule leaves out is Microsoft's default (README "PIM role settings").
  const rule: Record<string, unknown> = { ...defaults.find((r) => r["id"] === id), ...(isJsonObject(listed) ? listed : {}) };
  const expiration = isJsonObject(spec.scheduleInfo) && isJsonObject(spec.scheduleInfo.expiration) ? spec.scheduleInfo.expiration : undefined;
  const source = setting ? where : `Microsoft's default settings (${where} has no settings document)`;
  const refused = `Graph refuses it with 400 RoleAssignmentRequestPolicyValidationFailed ["ExpirationRule"]`;
  if (expiration?.type === "noExpiration" && rule["isExpirationRequired"] === true) {
    return [`spec.scheduleInfo.expiration: a permanent schedule (noExpiration) where ${source} require an end (${id}.isExpirationRequired): ${refused}`];
  }
  const maximum = typeof rule["maximumDuration"] === "string" ? durationMs(rule["maximumDuration"]) : undefined;
  const length = expiration?.type === "afterDuration" && typeof expiration.duration === "string" ? durationMs(expiration.duration) : undefined;
  if (maximum !== undefined && length !== undefined && length > maximum) {
    return [`spec.scheduleInfo.expiration.duration: ${String(expiration?.duration)} is longer than ${String(rule["maximumDuration"])}, the most ${source} allow (${id}.maximumDuration): ${refused}`];
  }
  return [];
}

/** A PIM for groups schedule (`groupEligibility`, `groupAssignmentSchedule`) against its relationship's `groupRoleSetting`. */
export function groupScheduleRefusals(level: "Eligibility" | "Assignment"): (spec: JsonObject, specsOf: SpecsOf) => string[] {
  return (spec, specsOf) => {
    const settings = specsOf("groupRoleSetting");
    if (!settings) return [];
    const setting = settings.find((s) => same(s.scopeId, spec.groupId) && same(s.roleDefinitionId, spec.accessId));
    return refusals(spec, setting, DEFAULT_GROUP_ROLE_SETTING_RULES, level, `groupRoleSetting of ${String(spec.groupId)} (${String(spec.accessId)})`);
  };
}

/** A directory role schedule (`roleEligibility`) against its role's `roleSetting`. */
export function roleScheduleRefusals(level: "Eligibility" | "Assignment"): (spec: JsonObject, specsOf: SpecsOf) => string[] {
  return (spec, specsOf) => {
    const settings = specsOf("roleSetting");
    if (!settings) return [];
    const setting = settings.find((s) => same(s.roleDefinitionId, spec.roleDefinitionId));
    return refusals(spec, setting, DEFAULT_ROLE_SETTING_RULES, level, `roleSetting of ${String(spec.roleDefinitionId)}`);
  };
}
