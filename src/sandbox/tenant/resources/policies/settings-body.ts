/**
 * PATCH bodies of the settings objects (authorization policy, authentication methods policy and its
 * method configurations, cross-tenant access settings): checked against the CSDL, complex values
 * merged recursively, arrays replaced; errors in Graph's directory style.
 */
import { GraphHttpError, badRequest } from "../../core/errors.js";
import { isRecord } from "../../core/entity.js";
import { mergePatch } from "./conditional-access/policy-body.js";
import { checkShape, unknownPropertyMessage, type ApiVersion } from "./schema/shape.js";

type Json = Record<string, unknown>;

/** Validates `patch` as (part of) a `typeName` and merges it onto `existing`; `readOnly` keys are dropped. */
export function mergeSettingsPatch(existing: Json, patch: unknown, typeName: string, resource: string, version: ApiVersion, readOnly: readonly string[] = []): Json {
  if (!isRecord(patch)) throw badRequest("Empty Payload. JSON content expected.");
  const body: Json = {};
  for (const [k, v] of Object.entries(patch)) if (!readOnly.includes(k)) body[k] = v;
  const shaped = checkShape(body, typeName, { version, includeUnknownEnumMembers: true });
  if (!shaped.ok) {
    const p = shaped.problem;
    if (p.kind === "unknownProperty") throw new GraphHttpError(400, "BadRequest", unknownPropertyMessage(p.property, p.type));
    throw badRequest(`Invalid value specified for property '${p.path.split(".")[0] ?? p.path}' of resource '${resource}'.`);
  }
  const { "@odata.type": _type, ...value } = shaped.value;
  return mergePatch(existing, value);
}
