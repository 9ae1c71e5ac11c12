/**
 * A PATCH of one rule of a role management policy (docs/graph-behaviour.md, PIM role settings):
 * the body needs the rule's own `@odata.type`, carries only the properties of that rule type, and
 * each is checked; the rule ids never change. Used for directory roles' and groups' policies alike.
 */
import type { RequestContext } from "../core/context.js";
import { clone, isRecord } from "../core/entity.js";
import { badRequest, notFound } from "../core/errors.js";
import { EDM_DURATION } from "../odata/duration.js";

const RULE_TYPE = "#microsoft.graph.unifiedRoleManagementPolicy";
const ENABLED_RULES = new Set(["MultiFactorAuthentication", "Justification", "Ticketing"]);
const APPROVAL_MODES = new Set(["SingleStage", "Serial", "Parallel", "NoApproval"]);
const NOTIFICATION_LEVELS = new Set(["None", "Critical", "All"]);
const RECIPIENT_TYPES = new Set(["Requestor", "Approver", "Admin"]);

/** What a PATCH may carry per rule type (the update page's table), besides `@odata.type`, `id` and `target`. */
const WRITABLE: Readonly<Record<string, readonly string[]>> = {
  ExpirationRule: ["isExpirationRequired", "maximumDuration"],
  EnablementRule: ["enabledRules"],
  ApprovalRule: ["setting"],
  AuthenticationContextRule: ["isEnabled", "claimValue"],
  NotificationRule: ["notificationType", "recipientType", "notificationLevel", "isDefaultRecipientsEnabled", "notificationRecipients"],
};

/** The rule type without the namespace prefix: `ExpirationRule`, … */
function ruleType(odataType: unknown): string | undefined {
  if (typeof odataType !== "string") return undefined;
  const name = odataType.replace(/^#?microsoft\.graph\./i, "#microsoft.graph.");
  return name.toLowerCase().startsWith(RULE_TYPE.toLowerCase()) ? name.slice(RULE_TYPE.length) : undefined;
}

function invalid(property: string): Error {
  return badRequest(`Invalid value specified for property '${property}' of resource 'UnifiedRoleManagementPolicyRule'.`, "InvalidPolicyRule");
}

function requireBoolean(body: Record<string, unknown>, key: string): void {
  if (key in body && typeof body[key] !== "boolean") throw invalid(key);
}

function checkApprovers(ctx: RequestContext, value: unknown, property: string): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) throw invalid(property);
  for (const approver of value) {
    if (!isRecord(approver)) throw invalid(property);
    const type = String(approver["@odata.type"] ?? "").replace(/^#?microsoft\.graph\./i, "");
    if (type === "singleUser") {
      if (typeof approver["userId"] !== "string" || ctx.core.checkReference(approver["userId"], ["users"]) !== "ok") throw invalid(`${property}.userId`);
    } else if (type === "groupMembers") {
      if (typeof approver["groupId"] !== "string" || ctx.core.checkReference(approver["groupId"], ["groups"]) !== "ok") throw invalid(`${property}.groupId`);
    } else {
      throw invalid(`${property}.@odata.type`);
    }
  }
}

/** An approval rule's `setting`: booleans, a known mode, stages with whole-number timeouts and existing approvers. */
function checkApprovalSetting(ctx: RequestContext, setting: unknown): void {
  if (!isRecord(setting)) throw invalid("setting");
  for (const key of ["isApprovalRequired", "isApprovalRequiredForExtension", "isRequestorJustificationRequired"]) requireBoolean(setting, key);
  if ("approvalMode" in setting && !APPROVAL_MODES.has(String(setting["approvalMode"]))) throw invalid("setting.approvalMode");
  const stages = setting["approvalStages"];
  if (stages === undefined || stages === null) return;
  if (!Array.isArray(stages)) throw invalid("setting.approvalStages");
  for (const stage of stages) {
    if (!isRecord(stage)) throw invalid("setting.approvalStages");
    for (const key of ["isApproverJustificationRequired", "isEscalationEnabled"]) requireBoolean(stage, key);
    for (const key of ["approvalStageTimeOutInDays", "escalationTimeInMinutes"]) {
      if (key in stage && (!Number.isInteger(stage[key]) || (stage[key] as number) < 0)) throw invalid(`setting.approvalStages.${key}`);
    }
    checkApprovers(ctx, stage["primaryApprovers"], "setting.approvalStages.primaryApprovers");
    checkApprovers(ctx, stage["escalationApprovers"], "setting.approvalStages.escalationApprovers");
  }
}

/** Checks the properties of one rule type; the merged rule is what the policy then holds. */
function checkRule(ctx: RequestContext, type: string, rule: Record<string, unknown>): void {
  switch (type) {
    case "ExpirationRule":
      requireBoolean(rule, "isExpirationRequired");
      if (rule["maximumDuration"] !== null && (typeof rule["maximumDuration"] !== "string" || !EDM_DURATION.test(rule["maximumDuration"]))) throw invalid("maximumDuration");
      if (rule["isExpirationRequired"] === true && rule["maximumDuration"] === null) throw invalid("maximumDuration");
      return;
    case "EnablementRule": {
      const enabled = rule["enabledRules"];
      if (!Array.isArray(enabled) || enabled.some((r) => typeof r !== "string" || !ENABLED_RULES.has(r))) throw invalid("enabledRules");
      return;
    }
    case "ApprovalRule":
      checkApprovalSetting(ctx, rule["setting"]);
      return;
    case "AuthenticationContextRule":
      requireBoolean(rule, "isEnabled");
      if (rule["claimValue"] !== null && typeof rule["claimValue"] !== "string") throw invalid("claimValue");
      // Sandbox's own: an enabled rule names the authentication context it requires.
      if (rule["isEnabled"] === true && (typeof rule["claimValue"] !== "string" || rule["claimValue"] === "")) throw invalid("claimValue");
      return;
    case "NotificationRule":
      requireBoolean(rule, "isDefaultRecipientsEnabled");
      if (rule["notificationType"] !== "Email") throw invalid("notificationType");
      if (!RECIPIENT_TYPES.has(String(rule["recipientType"]))) throw invalid("recipientType");
      if (!NOTIFICATION_LEVELS.has(String(rule["notificationLevel"]))) throw invalid("notificationLevel");
      if (!Array.isArray(rule["notificationRecipients"]) || rule["notificationRecipients"].some((r) => typeof r !== "string")) throw invalid("notificationRecipients");
      return;
  }
}

/**
 * The rule `ruleId` of `rules` with the request's body merged over it and checked (400 with the
 * property otherwise, 404 for an unknown rule): `index` is where it stands, `before` what it held.
 */
export function patchedRule(ctx: RequestContext, rules: readonly Record<string, unknown>[], ruleId: string): { index: number; before: Record<string, unknown>; merged: Record<string, unknown> } {
  const body = ctx.request.body;
  if (!isRecord(body)) throw badRequest("The request body must be a JSON object.");
  const index = rules.findIndex((r) => r["id"] === ruleId);
  const existing = rules[index];
  if (!existing) throw notFound(ruleId);
  const type = ruleType(existing["@odata.type"]);
  if (body["@odata.type"] === undefined) throw badRequest("The @odata.type of the rule is required.", "InvalidPolicyRule");
  if (!type || ruleType(body["@odata.type"]) !== type) throw badRequest(`The @odata.type '${String(body["@odata.type"])}' does not match rule '${ruleId}'.`, "InvalidPolicyRule");
  if ("id" in body && body["id"] !== ruleId) throw badRequest("The id of a rule cannot be changed.", "InvalidPolicyRule");
  const writable = new Set(WRITABLE[type] ?? []);
  for (const key of Object.keys(body)) {
    if (key === "id" || key === "target" || key.startsWith("@odata.")) continue;
    if (!writable.has(key)) throw badRequest(`Invalid property '${key}' for rule type '${type}'.`, "InvalidPolicyRule");
  }
  if ("target" in body && !isRecord(body["target"])) throw invalid("target");
  const { "@odata.type": _type, target: _target, ...values } = body;
  const before = clone(existing);
  // Graph's documented collections are never null: an array left out of the body keeps its value.
  const merged: Record<string, unknown> = { ...existing, ...clone(values), "@odata.type": existing["@odata.type"], id: ruleId, target: existing["target"] };
  if (type === "ApprovalRule" && isRecord(values["setting"])) {
    const stages = Array.isArray(values["setting"]["approvalStages"]) ? values["setting"]["approvalStages"] : undefined;
    merged["setting"] = {
      ...(isRecord(existing["setting"]) ? existing["setting"] : {}),
      ...clone(values["setting"]),
      ...(stages ? { approvalStages: stages.map((s) => (isRecord(s) ? { primaryApprovers: [], escalationApprovers: [], ...clone(s) } : s)) } : {}),
    };
  }
  checkRule(ctx, type, merged);
  return { index, before, merged };
}
