import type { ResourceDefinition } from "../../core/resource.js";
import { accessPackages } from "./access-packages.js";
import { accessPackageAssignmentPolicies } from "./assignment-policies.js";
import { accessPackageResourceRequests, accessPackageResources } from "./catalog-resources.js";
import { accessPackageCatalogs } from "./catalogs.js";
import { connectedOrganizations } from "./connected-organizations.js";

/** Entitlement management (docs/graph-behaviour.md, entitlement management), in creation order. */
export const entitlementManagementResources: readonly ResourceDefinition[] = [accessPackageCatalogs, accessPackageResources, accessPackageResourceRequests, connectedOrganizations, accessPackages, accessPackageAssignmentPolicies];
