import { defineResource } from "../core/resource.js";
import { AUDIT_COLLECTION, AuditLog } from "./audit-log.js";

/** `GET /auditLogs/directoryAudits[/{id}]`: read-only, newest first (docs/graph-behaviour.md §12). */
export const directoryAudits = defineResource({
  collection: AUDIT_COLLECTION,
  entityType: "microsoft.graph.directoryAudit",
  resourceName: "DirectoryAudit",
  paths: [{ path: "/auditLogs/directoryAudits" }],
  permissions: { read: ["AuditLog.Read.All"], write: [] },
  methods: { create: false, update: false, delete: false },
  paging: { defaultTop: 100, maxTop: 1000 },
  filter: {
    activityDateTime: ["eq", "ge", "le", "gt", "lt"],
    activityDisplayName: ["eq", "startsWith"],
    category: ["eq"],
    correlationId: ["eq"],
    result: ["eq"],
    loggedByService: ["eq"],
    operationType: ["eq"],
    id: ["eq"],
    "initiatedBy/user/id": ["eq"],
    "initiatedBy/user/displayName": ["eq"],
    "initiatedBy/user/userPrincipalName": ["eq", "startsWith"],
    "initiatedBy/app/appId": ["eq"],
    "initiatedBy/app/displayName": ["eq"],
    targetResources: ["any"],
    "targetResources/id": ["eq"],
    "targetResources/displayName": ["eq", "startsWith"],
    "targetResources/userPrincipalName": ["eq", "startsWith"],
    "targetResources/type": ["eq"],
  },
  orderBy: { activityDateTime: "default" },
  defaultOrder: AuditLog.order,
  view: (_ctx, entity) => AuditLog.view(entity),
  // An entry reaches readers only once its audit latency has passed (audit/audit-latency.ts).
  visible: (ctx, entity) => AuditLog.isVisible(entity, ctx.nowMs()),
});
