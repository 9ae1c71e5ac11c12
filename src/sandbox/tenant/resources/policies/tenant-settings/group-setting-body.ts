/**
 * `/groupSettings` bodies: a setting is created from a template (`templateId`), its `values` are
 * `{name, value}` pairs checked against the template (names, booleans, GUIDs); missing values take the
 * template's defaults. One tenant-level setting per template.
 */
import { badRequest, notFound } from "../../../core/errors.js";
import { isRecord } from "../../../core/entity.js";
import { isGuid } from "../references.js";
import { templateById, type TemplateValue } from "./group-setting-templates.js";

type Json = Record<string, unknown>;

function checkValue(template: TemplateValue, value: unknown): string {
  if (typeof value !== "string") throw badRequest(`Invalid value specified for property 'value' of setting '${template.name}'.`);
  if (template.type === "System.Boolean" && !/^(true|false)$/i.test(value)) {
    throw badRequest(`Invalid value '${value}' for setting '${template.name}': expected a Boolean.`);
  }
  if (template.type === "System.Int32" && !/^-?\d+$/.test(value)) {
    throw badRequest(`Invalid value '${value}' for setting '${template.name}': expected an Int32.`);
  }
  if (template.type === "System.Guid" && value !== "" && !isGuid(value)) {
    throw badRequest(`Invalid value '${value}' for setting '${template.name}': expected a Guid.`);
  }
  return value;
}

function mergeValues(templateValues: TemplateValue[], current: Map<string, string>, input: unknown): Json[] {
  if (input !== undefined) {
    if (!Array.isArray(input)) throw badRequest("Invalid value specified for property 'values' of resource 'DirectorySetting'.");
    for (const item of input) {
      if (!isRecord(item) || typeof item["name"] !== "string") throw badRequest("Each setting value needs a name.");
      const template = templateValues.find((t) => t.name.toLowerCase() === String(item["name"]).toLowerCase());
      if (!template) throw badRequest(`Setting '${String(item["name"])}' is not defined by the setting template.`);
      current.set(template.name, checkValue(template, item["value"]));
    }
  }
  return templateValues.map((t) => ({ name: t.name, value: current.get(t.name) ?? t.defaultValue }));
}

/** POST body → stored setting (without id). `existingTemplateIds` are templates already instantiated. */
export function prepareGroupSettingCreate(body: unknown, existingTemplateIds: readonly string[]): Json {
  if (!isRecord(body) || typeof body["templateId"] !== "string") throw badRequest("templateId is required.");
  const template = templateById(body["templateId"]);
  // A template id no tenant has: a permanent 404 naming it (never replication delay).
  if (!template) throw notFound(body["templateId"]);
  const templateId = body["templateId"].toLowerCase();
  if (existingTemplateIds.map((t) => t.toLowerCase()).includes(templateId)) {
    throw badRequest("A conflicting object with one or more of the specified property values is present in the directory.");
  }
  return { displayName: template.displayName, templateId, values: mergeValues(template.values, new Map(), body["values"]) };
}

/** PATCH: `values` merge by name; `templateId` and `displayName` cannot change. */
export function prepareGroupSettingUpdate(existing: Json, body: unknown): Json {
  if (!isRecord(body)) throw badRequest("Request body is required.");
  const template = templateById(String(existing["templateId"]));
  if (!template) throw badRequest("The setting's template no longer exists.");
  if (body["templateId"] !== undefined && String(body["templateId"]).toLowerCase() !== existing["templateId"]) {
    throw badRequest("Property 'templateId' is read-only and cannot be set.");
  }
  const current = new Map<string, string>();
  for (const v of Array.isArray(existing["values"]) ? existing["values"] : []) {
    if (isRecord(v) && typeof v["name"] === "string" && typeof v["value"] === "string") current.set(v["name"], v["value"]);
  }
  return { ...existing, values: mergeValues(template.values, current, body["values"]) };
}
