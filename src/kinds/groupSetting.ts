import { slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/groupSettings";

/**
 * Tenant-wide directory settings created from a template (e.g. `Group.Unified`, template
 * 62375ab9-6b52-47ed-826b-58e47e0e304b: Microsoft 365 group creation and naming policy).
 * One setting per template, so the template id is the natural key. `values` is a set of
 * `{ name, value }`; `GroupCreationAllowedGroupId` holds a group id and reads `group:<name>`.
 */
export const groupSetting = {
  kind: "groupSetting",
  // Not PIM's "Update role setting in PIM" (roleSetting, groupRoleSetting).
  audit: { activity: /group settings?|directory settings?|(?<!role )\bsetting/i },
  detect: { odataTypes: ["groupSetting", "directorySetting"], shape: (o) => "templateId" in o && "values" in o },
  required: ["templateId", "values"],
  title: "group setting",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.groupSetting",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  naturalKey: "templateId",
  documentName: (spec) => slugOf(spec, "displayName", typeof spec.templateId === "string" ? spec.templateId : undefined),
  serverManaged: ["id"],
  createOnly: ["templateId"],
  setArrays: ["values"],
  arrayKeys: { values: "name" },
  references: [
    {
      path: "values.value",
      targets: ["group"],
      where: { property: "name", equals: "GroupCreationAllowedGroupId" },
    },
  ],
  dependsOn: ["group"],
  permissions: { read: ["GroupSettings.Read.All"], write: ["GroupSettings.ReadWrite.All"], ids: { "GroupSettings.ReadWrite.All": "546168c3-1183-4281-9491-fafb24dea37e" } },
  // The setting's displayName is its template's (Graph derives it): the template id's comment.
  comments: (spec): Record<string, string> => (typeof spec.templateId === "string" && typeof spec.displayName === "string" ? { templateId: spec.displayName } : {}),
  normalize(spec) {
    if (typeof spec.templateId === "string") spec.templateId = spec.templateId.toLowerCase();
    return spec;
  },
  toGraphBody(body, mode) {
    // displayName is derived from the template; Graph rejects it on update.
    if (mode === "update") delete body.displayName;
    return body;
  },
} satisfies KindDescriptor;
