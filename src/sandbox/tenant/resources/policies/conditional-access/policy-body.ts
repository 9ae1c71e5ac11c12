/**
 * Turns a POST/PATCH body into the stored Conditional Access policy, and a stored policy into what
 * GET returns (filled arrays, `null` for unset blocks, `sessionControls: null`, the authentication
 * strength embedded, the version's view).
 */
import type { GraphHttpError } from "../../../core/errors.js";
import { isRecord } from "../../../core/entity.js";
import { checkShape, type ApiVersion } from "../schema/shape.js";
import { fillDefaults, projectForVersion } from "../schema/project.js";
import type { ReferenceLookup } from "../references.js";
import { schemaMismatch, shapeError } from "./errors.js";
import { conditionalAccessRuleError } from "./validate.js";

type Json = Record<string, unknown>;

export const CA_POLICY_TYPE = "conditionalAccessPolicy";

/** Server-managed: ignored in a body (a seed may keep them). */
export const CA_READ_ONLY = ["id", "createdDateTime", "modifiedDateTime", "deletedDateTime", "templateId"] as const;

export interface BodyContext {
  version: ApiVersion;
  includeUnknownEnumMembers: boolean;
  refs: ReferenceLookup;
}

export type Prepared = { ok: true; value: Json } | { ok: false; error: GraphHttpError };

function stripReadOnly(body: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(body)) {
    if (!(CA_READ_ONLY as readonly string[]).includes(key)) out[key] = value;
  }
  return out;
}

/** OData PATCH: complex values merge recursively; arrays and primitives replace. */
export function mergePatch(target: Json, patch: Json): Json {
  const out: Json = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] = isRecord(value) && isRecord(current) && value["@odata.type"] === undefined ? mergePatch(current, value) : value;
  }
  return out;
}

function normalizeGrant(policy: Json): Json {
  const grant = policy["grantControls"];
  if (!isRecord(grant)) return policy;
  const strength = grant["authenticationStrength"];
  // Stored as a reference; GET embeds the current policy object.
  const next: Json = { ...grant };
  if (isRecord(strength) && typeof strength["id"] === "string") next["authenticationStrength"] = { id: strength["id"].toLowerCase() };
  return { ...policy, grantControls: next };
}

function isEmptyList(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

function normalizeConditions(policy: Json): Json {
  const conditions = policy["conditions"];
  if (!isRecord(conditions)) return policy;
  const next: Json = { ...conditions };
  // An include/exclude block with nothing in it is no condition at all (read back as null).
  for (const [key, include, exclude] of [["locations", "includeLocations", "excludeLocations"], ["platforms", "includePlatforms", "excludePlatforms"]] as const) {
    const block = next[key];
    if (isRecord(block) && isEmptyList(block[include]) && isEmptyList(block[exclude])) next[key] = null;
  }
  const clientAppTypes = next["clientAppTypes"];
  if (clientAppTypes === undefined || (Array.isArray(clientAppTypes) && clientAppTypes.length === 0)) next["clientAppTypes"] = ["all"];
  return { ...policy, conditions: next };
}

function validateAll(candidate: Json, ctx: BodyContext): Prepared {
  const shaped = checkShape(candidate, CA_POLICY_TYPE, { version: ctx.version, includeUnknownEnumMembers: ctx.includeUnknownEnumMembers });
  if (!shaped.ok) return { ok: false, error: shapeError(shaped.problem) };
  const value = normalizeGrant(normalizeConditions(shaped.value));
  const ruleError = conditionalAccessRuleError(value, ctx.refs);
  if (ruleError) return { ok: false, error: ruleError };
  return { ok: true, value };
}

/** A POST body → the policy's stored properties (without id and timestamps). */
export function prepareCreate(body: unknown, ctx: BodyContext): Prepared {
  if (!isRecord(body)) return { ok: false, error: schemaMismatch() };
  return validateAll(stripReadOnly(body), ctx);
}

/** A PATCH body merged onto the stored policy → its new stored properties. */
export function prepareUpdate(existing: Json, body: unknown, ctx: BodyContext): Prepared {
  if (!isRecord(body)) return { ok: false, error: schemaMismatch() };
  const base = stripReadOnly(existing);
  // On v1.0 the client sees (and may only send) the v1.0 view of the stored policy.
  const visible = ctx.version === "v1.0" ? projectForVersion(base, CA_POLICY_TYPE, "v1.0", true) : base;
  const merged = mergePatch(visible, stripReadOnly(body));
  const result = validateAll(merged, ctx);
  if (!result.ok) return result;
  // Beta-only blocks stored earlier survive a v1.0 PATCH that cannot see them.
  return { ok: true, value: ctx.version === "v1.0" ? mergePatch(base, result.value) : result.value };
}

export interface RenderContext {
  version: ApiVersion;
  includeUnknownEnumMembers: boolean;
  /** The stored authentication strength policy rendered as GET shows it, or undefined. */
  authenticationStrength(id: string): Json | undefined;
}

/** A stored policy → the GET representation. */
export function renderPolicy(stored: Json, ctx: RenderContext): Json {
  const filled = fillDefaults(stored, CA_POLICY_TYPE, ctx.version, ["deletedDateTime"]);
  const conditions = filled["conditions"];
  if (isRecord(conditions)) {
    // Graph fills users and applications even when a policy targets workload identities only.
    filled["conditions"] = fillDefaults({ users: {}, applications: {}, ...conditions }, "conditionalAccessConditionSet", ctx.version);
  }
  const grant = filled["grantControls"];
  if (isRecord(grant)) {
    const strength = grant["authenticationStrength"];
    const id = isRecord(strength) ? strength["id"] : undefined;
    const embedded = typeof id === "string" ? ctx.authenticationStrength(id) : undefined;
    filled["grantControls"] = { ...grant, authenticationStrength: embedded ?? null };
  }
  const projected = projectForVersion(filled, CA_POLICY_TYPE, ctx.version, ctx.includeUnknownEnumMembers);
  const { id, ...rest } = projected;
  return { id, ...rest };
}
