/**
 * The read shape of a kind descriptor (ARCHITECTURE.md, "Kinds"): where Graph keeps the kind's
 * objects and how export, import and sync find, list, name and recognize them.
 */
import type { JsonObject } from "../model/document.js";
import type { GraphVersion } from "../graph/types.js";
import type { Kind } from "../model/kind.js";

/**
 * Objects Graph lists and creates only under each object of another collection (app role
 * assignments under their resource service principal: `/servicePrincipals/{id}/appRoleAssignedTo`).
 * The engine reads them as one kind: the parents' ids (`$select=id`), then each parent's list
 * through `$batch`; it creates them with a POST to `{collectionPath}/{spec[property]}/{segment}`.
 * Such an object's id is `{parentId}/{id}` (`liveIdOf` in registry.ts), so `itemPath` can address
 * it without the spec (`/servicePrincipals/{parentId}/appRoleAssignedTo/{id}`).
 */
export interface ParentCollection {
  /** The parents' collection, e.g. `/servicePrincipals`. */
  readonly collectionPath: string;
  /** Segment under a parent that lists and creates the objects, e.g. `appRoleAssignedTo`. */
  readonly segment: string;
  /** Property of the object (Graph form) that holds its parent's id, e.g. `resourceId`. */
  readonly property: string;
  /** Property that holds a parent's id in the parents' list when it is not `id` (partners: `tenantId`). */
  readonly parentIdProperty?: string;
  /**
   * Each parent has at most one object, at `{collectionPath}/{parentId}/{segment}` itself (a
   * partner's `identitySynchronization`): read by GET (404: none), the engine's id is the parent's.
   */
  readonly single?: true;
}

/**
 * A kind Graph lists only with a `$filter` naming one object of another collection (PIM for
 * groups: `eligibilitySchedules?$filter=groupId eq '{id}'`; an unfiltered list is refused). The
 * engine lists the scopes' ids (and `select`), keeps those `includes` accepts, then reads every
 * scope's filtered list through `$batch`. Objects keep Graph's ids (unlike `parent`): the kind's
 * own `itemPath` reads one.
 */
export interface ScopedList {
  /** The scopes' collection, e.g. `/groups`. */
  readonly collectionPath: string;
  /** Property of the object (Graph form) that holds its scope's id, e.g. `groupId`. */
  readonly property: string;
  /** A clause Graph also requires in the filter, ANDed to the scope's (`scopeType eq 'Group'`). */
  readonly clause?: string;
  /** Scope properties `includes` looks at (`$select`, besides `id`). */
  readonly select?: readonly string[];
  /** Scopes worth listing (PIM governs no dynamic or on-premises-synced group); absent: every one. */
  includes?(scope: JsonObject): boolean;
}

/**
 * A second list read beside a kind's collection, one item per listed object (matched by
 * `idProperty` = the object's id), that completes or drops it: PIM schedule instances tell a role
 * assignment's end, and name the activations `/roleAssignments` lists while they last, which are
 * not assignments to manage (README "PIM activations").
 */
export interface CompanionList {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly idProperty: string;
  /** The object as the kind holds it, given its companion item (undefined when none): undefined drops it. */
  merge(body: JsonObject, item: JsonObject | undefined): JsonObject | undefined;
}

/**
 * A list read per object beside its relationships, naming links that another kind's documents hold
 * while that kind is in scope: PIM for groups lists a member or owner by a time-bound assignment or
 * by an activation in `/groups/{id}/members` (or `owners`) while it lasts, and that membership is
 * the `groupAssignmentSchedule`'s or the `groupEligibility`'s, not the group's `members` (README
 * "Time-bound active membership and ownership of groups"). Read through `$batch` with the
 * relationships, only when one of `kinds` is in scope, so the kind's read needs no more otherwise.
 */
export interface LinkCompanion {
  /** Kinds whose documents hold such links: the list is read only when one of them is in scope. */
  readonly kinds: readonly Kind[];
  /** The list, e.g. `/identityGovernance/privilegedAccess/group/assignmentSchedules`. */
  readonly path: string;
  /** The `$filter` naming one object, e.g. `groupId eq '{id}'` (Graph lists them only so). */
  filter(id: string): string;
  readonly select: string;
  /** Objects worth asking about (PIM governs no dynamic or synchronized group); absent: every one. */
  includes?(body: JsonObject): boolean;
  /** The link an item takes out of the object's relationships (property and target id), given the kinds in scope; undefined: none. */
  held(item: JsonObject, inScope: ReadonlySet<Kind>): { readonly property: string; readonly id: string } | undefined;
}

/** Soft delete support (docs/graph-behaviour.md §8). */
export interface SoftDelete {
  /** Collection of deleted items of this kind, e.g. `/identity/conditionalAccess/deletedItems/policies`. */
  listPath: string;
  /** POST here to restore, e.g. `/identity/conditionalAccess/deletedItems/policies/{id}/restore`. */
  restorePath(id: string): string;
  /** When only some objects of the kind are soft-deleted (security groups are hard-deleted). */
  appliesTo?(spec: JsonObject): boolean;
  /** API version of the deleted-items endpoints when it differs from the kind's (beta-only restore). */
  apiVersion?: GraphVersion;
}

/** How `import` tells an object of this kind in a Graph JSON file (`engine/import/detect-kind.ts`). */
export interface ImportDetection {
  /** `@odata.type` names without `#microsoft.graph.` (subtypes included). */
  readonly odataTypes: readonly string[];
  /** Matches the `@odata.context` of a list or object of this kind. */
  readonly context?: RegExp;
  /** Tells the kind from the object's properties when it has no `@odata.type` or context. */
  shape?(object: JsonObject): boolean;
  /** Folder names other tools export this kind into (IntuneManagement's `ConditionalAccess/`). */
  readonly folders?: RegExp;
}

/** How the Entra audit log names changes of a kind (sync's attribution, `engine/sync/audit-match.ts`). */
export interface AuditNames {
  /**
   * Words Entra uses for the kind in `activityDisplayName` ("Update conditional access policy",
   * "Add AuthenticationContextClassReference"); used when target ids do not match, so a group and
   * a policy that share a display name are not confused.
   */
  readonly activity: RegExp;
  /**
   * The audit `category` the kind's activities are logged under, when another kind's activities
   * carry the same names: PIM logs "Add eligible member to role in PIM completed (permanent)" and
   * "Update role setting in PIM" for directory roles under `RoleManagement` and for groups under
   * `GroupManagement` (docs/graph-behaviour.md, audit activity names). An entry without a category
   * is matched by its activity alone.
   */
  readonly category?: RegExp;
}

/** Whether an audit entry (its activity name and category) names a change of a kind with these words. */
export function auditNames(names: AuditNames, entry: { readonly activityDisplayName: string; readonly category?: string | undefined }): boolean {
  if (!names.activity.test(entry.activityDisplayName)) return false;
  return names.category === undefined || entry.category === undefined || entry.category === "" || names.category.test(entry.category);
}

/** How the engine finds, lists, names and recognizes the objects of a kind. */
export interface KindReadShape {
  /** Entra audit activity names of this kind. */
  readonly audit: AuditNames;
  /** How `import` recognizes Graph JSON of this kind. */
  readonly detect: ImportDetection;
  /** Singletons exist once per tenant: read by GET, written by PATCH, never created or deleted. */
  readonly singleton: boolean;
  /**
   * A singleton Graph lists as a one-item collection and writes at its item path (the organization:
   * `GET /organization`, `PATCH /organization/{tenantId}`): read by listing `collectionPath`; apply
   * and its read-back list it again for the id and use `itemPath(id)`, so no document holds the id.
   */
  readonly listedSingleton?: true;
  /** List and create (or the singleton's own path). */
  readonly collectionPath: string;
  itemPath(id: string): string;
  /** Extra query options for list/get, e.g. `$select`. */
  readonly listQuery?: Readonly<Record<string, string>>;
  /** A list read beside the collection that completes or drops its objects (`CompanionList`). */
  readonly companion?: CompanionList;
  /** A list read per object beside its relationships that takes out links other kinds hold (`LinkCompanion`). */
  readonly linkCompanion?: LinkCompanion;
  /** Property of the live object that holds its id when it is not `id` (cross-tenant partners: `tenantId`). */
  readonly idProperty?: string;
  /**
   * Navigation properties a document holds in full: read with `$expand` (`listQuery`), written in
   * the create body (an agreement's `files`); the generated schema includes them.
   */
  readonly inlineNavigation?: readonly string[];
  /** Objects listed and created under each object of another collection (see `ParentCollection`). */
  readonly parent?: ParentCollection;
  /** Listed only per object of another collection, with a `$filter` (see `ScopedList`). */
  readonly scopedList?: ScopedList;
  /** Proposes the document name for a live object (a slug of its display name, usually). */
  documentName(spec: JsonObject): string;
  /**
   * `documentName` reads the spec's references (role assignments: role, principal and scope), so
   * export proposes names from the normalized spec, where ids are names (a GUID outside the managed
   * kinds reads as its display name): a name then survives the principal being re-created. Only
   * for kinds nothing references by name.
   */
  readonly nameFromReferences?: true;
  /**
   * A top-level property holding another tenant's id (a cross-tenant partner's `tenantId`): export
   * reads that tenant's public name (`findTenantInformationByTenantId`) for its comment and, with
   * `nameFromReferences`, the document name.
   */
  readonly otherTenantIdProperty?: string;
  /** Graph has delta for the kind (`{collectionPath}/delta`, docs/graph-behaviour.md §7): sync reads only what changed. */
  readonly delta?: true;
  /** A directory object (`/directoryObjects/getByIds` finds its ids). */
  readonly directoryObject?: true;
  readonly softDelete?: SoftDelete;
  /** False for live objects the engine never exports or manages (built-in, Microsoft-owned). */
  isManaged?(live: JsonObject): boolean;
}
