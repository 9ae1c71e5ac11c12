/**
 * `/identityGovernance/termsOfUse/agreements` (docs/graph-behaviour.md, terms of use): POST (201)
 * with `displayName`, `isViewingBeforeAcceptanceRequired` and `files` (each with `fileName`,
 * `language`, `isDefault` and the PDF as base64 in `fileData.data`); PATCH (204) of
 * `displayName`, `isViewingBeforeAcceptanceRequired`, `isPerDeviceAcceptanceRequired`,
 * `termsExpiration` and `userReacceptRequiredFrequency`, never of `files`; DELETE by id. Files
 * come back only with `$expand=files`, and never with their data (`fileData: null`).
 */
import { randomUUID } from "node:crypto";
import type { Entity } from "../core/entity.js";
import { diffModifiedProperties } from "../audit/audit-log.js";
import { badRequest } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import { EDM_DURATION } from "../odata/duration.js";

const TYPE = "microsoft.graph.agreement";
const PROPERTIES = new Set(["id", "displayName", "isViewingBeforeAcceptanceRequired", "isPerDeviceAcceptanceRequired", "termsExpiration", "userReacceptRequiredFrequency", "files"]);
const UPDATABLE = new Set(["displayName", "isViewingBeforeAcceptanceRequired", "isPerDeviceAcceptanceRequired", "termsExpiration", "userReacceptRequiredFrequency"]);
const FILE_PROPERTIES = new Set(["fileName", "language", "isDefault", "fileData", "displayName"]);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

function requireBoolean(entity: Json, property: string, required: boolean): void {
  const value = entity[property];
  if ((value === undefined || value === null) && !required) return;
  if (typeof value !== "boolean") throw badRequest(`The property '${property}' of type '${TYPE}' ${required ? "is required and " : ""}must be a Boolean.`, "BadRequest");
}

function optionalDuration(value: unknown, property: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "string" || !EDM_DURATION.test(value)) throw badRequest(`Invalid value '${String(value)}' for the property '${property}': an ISO 8601 duration is expected.`, "BadRequest");
}

function checkExpiration(value: unknown): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) throw badRequest("'termsExpiration' must be an object with 'startDateTime' and 'frequency'.", "BadRequest");
  for (const key of Object.keys(value)) if (!key.startsWith("@odata.") && key !== "startDateTime" && key !== "frequency") throw badRequest(`The property '${key}' does not exist on type 'microsoft.graph.termsExpiration'.`, "BadRequest");
  const start = value["startDateTime"];
  if (start !== undefined && start !== null && (typeof start !== "string" || Number.isNaN(Date.parse(start)))) throw badRequest("'termsExpiration.startDateTime' must be a date and time.", "BadRequest");
  optionalDuration(value["frequency"], "termsExpiration.frequency");
}

/** The PDF of a file: base64 that decodes to something starting with %PDF-. */
function pdfOf(file: Json, at: string): string {
  const data = isObject(file["fileData"]) ? file["fileData"]["data"] : undefined;
  if (typeof data !== "string" || data === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw badRequest(`${at}.fileData.data: the agreement file's PDF is required, base64-encoded.`, "BadRequest");
  if (!Buffer.from(data, "base64").subarray(0, 5).equals(Buffer.from("%PDF-", "latin1"))) throw badRequest(`${at}.fileData.data: the agreement file must be a PDF document.`, "BadRequest");
  return data;
}

/** The files of a create, checked; stored with their ids and data (the data is never returned). */
function filesOf(ctx: { nowIso(): string }, value: unknown): Json[] {
  if (!Array.isArray(value) || value.length === 0) throw badRequest("An agreement is created with at least one file in 'files' (fileName, language, fileData).", "BadRequest");
  const languages = new Set<string>();
  let defaults = 0;
  const files = value.map((item, index) => {
    const at = `files[${index}]`;
    if (!isObject(item)) throw badRequest(`${at} must be an agreementFileLocalization object.`, "BadRequest");
    for (const key of Object.keys(item)) if (!key.startsWith("@odata.") && !FILE_PROPERTIES.has(key)) throw badRequest(`The property '${key}' does not exist on type 'microsoft.graph.agreementFileLocalization'.`, "BadRequest");
    for (const key of ["fileName", "language"]) if (typeof item[key] !== "string" || (item[key] as string).trim() === "") throw badRequest(`${at}.${key} is required.`, "BadRequest");
    const language = String(item["language"]).toLowerCase();
    if (languages.has(language)) throw badRequest(`${at}: the agreement already has a file in language '${String(item["language"])}'.`, "BadRequest");
    languages.add(language);
    if (item["isDefault"] !== undefined && item["isDefault"] !== null && typeof item["isDefault"] !== "boolean") throw badRequest(`${at}.isDefault must be a Boolean.`, "BadRequest");
    if (item["isDefault"] === true) defaults++;
    const data = pdfOf(item, at);
    return {
      id: randomUUID(),
      fileName: item["fileName"],
      language: item["language"],
      isDefault: item["isDefault"] === true,
      isMajorVersion: false,
      displayName: typeof item["displayName"] === "string" ? item["displayName"] : null,
      createdDateTime: ctx.nowIso(),
      data,
    };
  });
  if (defaults > 1) throw badRequest("Only one file of an agreement can be the default (isDefault).", "BadRequest");
  return files;
}

function withoutFiles(entity: Entity | undefined): Entity | undefined {
  if (!entity) return entity;
  const { files: _files, ...rest } = entity;
  return rest as Entity;
}

export const agreements = defineResource({
  collection: "agreements",
  entityType: TYPE,
  resourceName: "Agreement",
  paths: [{ path: "/identityGovernance/termsOfUse/agreements" }],
  permissions: { read: ["Agreement.Read.All", "Agreement.ReadWrite.All"], write: ["Agreement.ReadWrite.All"] },
  readOnly: { id: "ignore" },
  filter: { id: ["eq"], displayName: ["eq"], isViewingBeforeAcceptanceRequired: ["eq"], isPerDeviceAcceptanceRequired: ["eq"] },
  orderBy: "any",
  replicated: false,
  expand: { files: (_ctx, entity) => ((entity["files"] as Json[] | undefined) ?? []).map(({ data: _data, ...file }) => ({ ...file, fileData: null }) as unknown as Entity) },
  view: (_ctx, entity) => withoutFiles(entity) as Entity,
  create: (ctx, body, id) => ({ isPerDeviceAcceptanceRequired: false, termsExpiration: null, userReacceptRequiredFrequency: null, ...body, id, files: filesOf(ctx, body["files"]) }) as Entity,
  update(_ctx, existing, patch) {
    for (const key of Object.keys(patch)) {
      if (key === "files") throw badRequest("The files of an agreement cannot be changed by an update.", "BadRequest");
      if (!key.startsWith("@odata.") && !UPDATABLE.has(key)) throw badRequest(`The property '${key}' does not exist on type '${TYPE}' or cannot be updated.`, "BadRequest");
    }
    return { ...existing, ...patch } as Entity;
  },
  validate(_ctx, entity) {
    for (const key of Object.keys(entity)) if (!key.startsWith("@odata.") && !PROPERTIES.has(key)) throw badRequest(`The property '${key}' does not exist on type '${TYPE}'.`, "BadRequest");
    const name = entity["displayName"];
    if (typeof name !== "string" || name.trim() === "") throw badRequest(`The property 'displayName' of type '${TYPE}' is required and must be a non-empty string.`, "BadRequest");
    requireBoolean(entity, "isViewingBeforeAcceptanceRequired", true);
    requireBoolean(entity, "isPerDeviceAcceptanceRequired", false);
    checkExpiration(entity["termsExpiration"]);
    optionalDuration(entity["userReacceptRequiredFrequency"], "userReacceptRequiredFrequency");
  },
  audit: {
    service: "Terms Of Use",
    category: "Policy",
    targetType: "Policy",
    add: "Create agreement",
    update: "Update agreement",
    delete: "Delete agreement",
    // The PDFs stay out of the audit log (as Graph never returns them).
    modifiedProperties: (before, after) => diffModifiedProperties(withoutFiles(before), withoutFiles(after)),
  },
});
