import { SINGLETON_NAME } from "./common.js";
import {
  CROSS_TENANT_ARRAY_KEYS,
  CROSS_TENANT_PERMISSIONS,
  CROSS_TENANT_REFERENCES,
  CROSS_TENANT_SET_ARRAYS,
} from "./crossTenantShared.js";
import type { KindDescriptor } from "./types.js";

const PATH = "/policies/crossTenantAccessPolicy/default";

/** The cross-tenant access defaults (singleton, PATCH only; `resetToSystemDefault` restores Microsoft's). */
export const crossTenantAccessPolicyDefault = {
  kind: "crossTenantAccessPolicyDefault",
  // The root policy's own activity is the crossTenantAccessPolicy kind's (crossTenantAccessPolicy.ts).
  audit: { activity: /^(?!.*partner)(?!update cross-?tenant access policy$).*(cross-?tenant access|crosstenantaccesspolicy)/i },
  detect: {
    odataTypes: ["crossTenantAccessPolicyConfigurationDefault"],
    context: /crossTenantAccessPolicy\/default/i,
    shape: (o) => "isServiceDefault" in o && ("b2bCollaborationInbound" in o || "inboundTrust" in o),
  },
  title: "cross-tenant access defaults",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.crossTenantAccessPolicyConfigurationDefault",
  singleton: true,
  collectionPath: PATH,
  itemPath: () => PATH,
  naturalKey: "id",
  documentName: () => SINGLETON_NAME,
  // isServiceDefault turns false on the first change: Graph's bookkeeping, not configuration.
  serverManaged: ["id", "isServiceDefault"],
  createOnly: [],
  setArrays: CROSS_TENANT_SET_ARRAYS,
  arrayKeys: CROSS_TENANT_ARRAY_KEYS,
  references: CROSS_TENANT_REFERENCES,
  dependsOn: ["group", "user", "application", "servicePrincipal"],
  permissions: CROSS_TENANT_PERMISSIONS,
} satisfies KindDescriptor;
