/**
 * `/groupSettings` (tenant-wide directory settings created from a template) and
 * `/groupSettingTemplates` (the built-in templates, read-only).
 */
import { notFound } from "../../../core/errors.js";
import { defineResource } from "../../../core/resource.js";
import type { ResourceDefinition } from "../../../core/resource.js";
import { contextUrl } from "../../../odata/shape.js";
import { COLLECTIONS } from "../policy-context.js";
import { prepareGroupSettingCreate, prepareGroupSettingUpdate } from "./group-setting-body.js";
import { groupSettingTemplates } from "./group-setting-templates.js";

const READ = ["Directory.Read.All", "GroupSettings.Read.All"];
const WRITE = ["GroupSettings.ReadWrite.All", "Directory.ReadWrite.All"];

export const groupSettings: ResourceDefinition = defineResource({
  collection: COLLECTIONS.groupSettings,
  entityType: "microsoft.graph.groupSetting",
  resourceName: "DirectorySetting",
  paths: [{ path: "/groupSettings" }],
  permissions: { read: READ, write: WRITE },
  readOnly: { id: "ignore", displayName: "ignore" },
  replicated: false,
  create: (ctx, body, id) => {
    const existing = ctx.store.list(COLLECTIONS.groupSettings).map((s) => String(s["templateId"]));
    return { id, ...prepareGroupSettingCreate(body, existing) };
  },
  update: (_ctx, existing, patch) => ({ ...prepareGroupSettingUpdate(existing, patch), id: existing.id }),
  // Microsoft's audit activity reference lists "Create/Update/Delete group settings" (GroupManagement).
  audit: { service: "Core Directory", category: "GroupManagement", targetType: "Directory", add: "Create group settings", update: "Update group settings", delete: "Delete group settings" },
  routes: [
    {
      method: "GET",
      path: "/groupSettingTemplates",
      permissions: [...READ, ...WRITE],
      handler: (ctx) => ({ status: 200, body: { "@odata.context": contextUrl(ctx, "groupSettingTemplates"), value: groupSettingTemplates() } }),
    },
    {
      method: "GET",
      path: "/groupSettingTemplates/{templateId}",
      permissions: [...READ, ...WRITE],
      handler: (ctx, params) => {
        const template = groupSettingTemplates().find((t) => String(t["id"]).toLowerCase() === (params["templateId"] ?? "").toLowerCase());
        if (!template) throw notFound(params["templateId"] ?? "");
        return { status: 200, body: { "@odata.context": contextUrl(ctx, "groupSettingTemplates", undefined, true), ...template } };
      },
    },
  ],
});
