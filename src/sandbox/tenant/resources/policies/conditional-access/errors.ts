/**
 * The Conditional Access service's error style: code `BadRequest`, a numbered message. Messages marked
 * "seen" are quoted from real Graph responses (issues of terraform-provider-azuread, AlexFilipin/
 * ConditionalAccess, nicolonsky/ModernWorkplaceConcierge, CIPP); the others follow the same pattern
 * with numbers the sandbox chose (UNVERIFIED).
 */
import { GraphHttpError } from "../../../core/errors.js";
import { unknownPropertyMessage, type ShapeProblem } from "../schema/shape.js";

function caError(message: string): GraphHttpError {
  return new GraphHttpError(400, "BadRequest", message);
}

/** seen */
export function schemaMismatch(): GraphHttpError {
  return caError(
    "1007: Incoming ConditionalAccessPolicy object is null or does not match the schema of ConditionalAccessPolicy type. For examples, please see API documentation at https://docs.microsoft.com/en-us/graph/api/conditionalaccessroot-post-policies?view=graph-rest-1.0.",
  );
}

/** seen */
export function applicationsAndUserActions(): GraphHttpError {
  return caError(
    "1012: 'applications' condition cannot include both 'includeApplications' and 'includeUserActions'/'includeProtectionLevels'. Please remove one of the conditions.",
  );
}

/** seen (`InvalidPasswordResetControl`); other reasons are the sandbox's names. */
export function validationFailed(reason: string): GraphHttpError {
  return caError(`1032: ConditionalActionPolicy validation failed due to ${reason}.`);
}

export type InvalidValueKind = "user" | "group" | "role" | "location" | "application" | "servicePrincipal" | "authenticationStrength" | "authenticationContext" | "termsOfUse";

const INVALID_VALUE_NUMBER: Record<InvalidValueKind, number> = {
  user: 1053,
  group: 1054, // seen: "1054: Invalid group value: sg_MFA_exclusion."
  role: 1055,
  location: 1056,
  application: 1057,
  servicePrincipal: 1058,
  authenticationStrength: 1059,
  authenticationContext: 1060,
  termsOfUse: 1061,
};

const INVALID_VALUE_NOUN: Record<InvalidValueKind, string> = {
  user: "user",
  group: "group",
  role: "role",
  location: "location",
  application: "application",
  servicePrincipal: "service principal",
  authenticationStrength: "authentication strength",
  authenticationContext: "authentication context",
  termsOfUse: "terms of use",
};

export function invalidValue(kind: InvalidValueKind, value: string): GraphHttpError {
  return caError(`${INVALID_VALUE_NUMBER[kind]}: Invalid ${INVALID_VALUE_NOUN[kind]} value: ${value}.`);
}

/** Maps a body-shape problem to what Graph answers for a CA policy. */
export function shapeError(problem: ShapeProblem): GraphHttpError {
  if (problem.kind === "unknownProperty") return new GraphHttpError(400, "BadRequest", unknownPropertyMessage(problem.property, problem.type));
  return schemaMismatch();
}
