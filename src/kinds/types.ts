import type { JsonObject, JsonValue } from "../model/document.js";
import type { GraphVersion } from "../graph/types.js";
import type { Kind } from "../model/kind.js";
import { DESCRIPTOR_REFERENCE_PREFIXES } from "../model/kinds.generated.js";

/**
 * Reference prefixes (docs/design.md §2): those the descriptors declare (`reference.prefix`,
 * collected by `npm run kinds`) and two that name no kind's documents: `role:` a built-in role (by
 * template id, same in every tenant), `resource:` the service principal of an API an app asks
 * permissions of (Microsoft Graph, …), by display name, whether or not it is managed. They are not
 * all kind names: `authenticationStrength:` points at an authenticationStrengthPolicy.
 */
export const REFERENCE_PREFIXES = [...DESCRIPTOR_REFERENCE_PREFIXES, "role", "resource"] as const;
export type ReferencePrefix = (typeof REFERENCE_PREFIXES)[number];

/**
 * A field of a spec that holds references (object ids in Graph, names in documents).
 * `path` is dotted from the spec root; arrays along the way are traversed, e.g.
 * `conditions.users.includeGroups` or `ipRanges` (never indexes).
 */
export interface ReferenceField {
  path: string;
  /** What the ids may point at, in the order they are tried when resolving an id to a name. */
  targets: readonly ReferencePrefix[];
  /** Which property of the target the Graph value holds: its object id (default) or its appId. */
  by?: "id" | "appId";
  /** Values kept as they are (`All`, `None`, `GuestsOrExternalUsers`, ...). */
  sentinels?: readonly string[];
  /**
   * The Graph value wraps the id in a template, e.g. `/administrativeUnits/{id}` for a role
   * assignment's `directoryScopeId`. Values that do not match the template are kept as they are.
   */
  template?: string;
  /** Only values inside objects whose `property` equals `equals`, e.g. a group setting value named `GroupCreationAllowedGroupId`. */
  where?: { readonly property: string; readonly equals: string };
  /**
   * For `by: appId`: what plan requires of the tenant (docs/graph-behaviour.md §11). `servicePrincipal`:
   * a service principal in the tenant (Conditional Access); `application`: an application registered
   * in the tenant (an API's `knownClientApplications`). Absent: the appId may be another tenant's
   * application, so an unknown one is only a warning.
   */
  appIdMustExist?: "servicePrincipal" | "application";
}

/**
 * A property that PATCH on the object does not write: the engine writes it with its own request
 * after create/update, e.g. an authentication strength's `allowedCombinations` (POST
 * `updateAllowedCombinations`).
 */
export interface PropertyAction {
  property: string;
  method: "POST" | "PATCH" | "PUT";
  path(id: string): string;
  body(value: JsonValue): JsonObject;
}

/**
 * An array property whose items are entities of their own, each written by PATCH on `itemPath`
 * (e.g. `authenticationMethodConfigurations` of the authentication methods policy).
 */
export interface NestedCollection {
  property: string;
  /** Item property that identifies an item (also the `arrayKeys` entry). */
  key: string;
  itemPath(parentId: string, itemKey: string): string;
  /**
   * Items are created by POST here (a custom security attribute's predefined values): an item the
   * live object lacks is POSTed whole, a changed one PATCHed without its key. Absent: every item
   * exists already and is PATCHed whole (authentication method configurations).
   */
  createPath?(parentId: string): string;
  /**
   * Every item always exists at a default of its own (a role's 17 PIM rules): documents list only
   * the items away from it. An item is written as this default with the document's item laid over
   * it (`overlayJson`; the default's top-level lists emptied first, so a list the item leaves out is
   * empty: documents cannot hold `[]`), and an item the document leaves out is written back to the
   * default. Undefined for a key with no default (no such item).
   */
  defaultItem?(key: string): JsonObject | undefined;
}

/**
 * Objects Graph keeps exactly one of per key and never creates or deletes (a directory role's PIM
 * settings: one role management policy per role). Only objects away from their defaults are managed
 * (`isManaged` leaves the others out), so a document for an object at its defaults is a create:
 * apply finds the object (`find`) and writes the document over it as an update. A delete (a live
 * object without a document, with `prune`) writes the defaults back (`defaults`); nothing is ever
 * POSTed or DELETEd, and a written object is read back from the list (`find`).
 */
export interface FixedObjects {
  /** The `$filter` clause, ANDed to the list's own, that lists the one object a body (Graph form, ids resolved) stands for. */
  find(body: JsonObject): string;
  /** A spec (document form) brought back to its defaults: what a delete writes. */
  defaults(spec: JsonObject): JsonObject;
  /** The plan's note on a create (the object exists at its defaults) and on a delete (back to the defaults). */
  readonly notes: { readonly create: string; readonly delete: string };
}

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
  /** Scope properties `includes` looks at (`$select`, besides `id`). */
  readonly select?: readonly string[];
  /** Scopes worth listing (PIM governs no dynamic or on-premises-synced group); absent: every one. */
  includes?(scope: JsonObject): boolean;
}

/**
 * A top-level property holding the id of an app role of a resource service principal named by
 * another property (an app role assignment's `appRoleId` of `resourceId`): written
 * `permission:<value>`, as in `requiredResourceAccess` (`kinds/api-permissions.ts`).
 */
export interface AppRoleField {
  readonly property: string;
  /** The property holding the resource service principal (a reference field of the kind). */
  readonly resource: string;
}

/**
 * An array property whose items Graph identifies by ids of its own that documents leave out, and
 * never updates: items are added (POST to `collectionPath`) and removed (DELETE of `itemPath`),
 * matched by `identity` (a permission grant policy's `includes` and `excludes` condition sets).
 */
export interface SetCollection {
  property: string;
  /** GET lists the live items (with their ids), POST adds one. */
  collectionPath(parentId: string): string;
  itemPath(parentId: string, itemId: string): string;
  /** What makes two items (Graph bodies, ids resolved, the item's own id ignored) the same. */
  identity(item: JsonObject): string;
  /**
   * Add the new items before removing the old ones (exclusions: the set never briefly excludes
   * less). Default: remove first (inclusions never briefly include more).
   */
  readonly addFirst?: true;
}

/**
 * Binary content Graph takes only in the create body and never returns (an agreement's PDFs:
 * `files[].fileData.data`, null on every read). Documents leave it out; each item of `property`
 * has its content in a file beside the document, `<document name>.<item[nameBy]>.<extension>`,
 * which plan checks and names (size, SHA-256) for a create and apply sends base64-encoded
 * (`engine/attachments.ts`). A changed file of an existing object is invisible to plan.
 */
export interface Attachments {
  /** Array property whose items each carry one file, e.g. `files`. */
  readonly property: string;
  /** Dotted path in an item where Graph takes the content, base64-encoded, e.g. `fileData.data`. */
  readonly contentPath: string;
  /** Item property that names the item's file, e.g. `language` → `terms.en-US.pdf`. */
  readonly nameBy: string;
  /** File extension without the dot, e.g. `pdf`. */
  readonly extension: string;
  /** What the file's first bytes must be, e.g. `%PDF-`. */
  readonly magic: string;
}

/** A relationship read and written through its own endpoint (`/members`, `/owners`, `$ref`). */
export interface Relationship {
  /** Property name in the document's spec, e.g. `members`, `owners`. */
  property: string;
  /** Navigation segment, e.g. `members` → GET `{item}/members`, POST `{item}/members/$ref`. */
  segment: string;
  targets: readonly ReferencePrefix[];
  /**
   * Graph also adds links through `{property}@odata.bind` in a PATCH of the object, up to 20 per
   * request (group members): apply adds them that way instead of one `$ref` POST each.
   */
  bindOnPatch?: true;
  /**
   * Graph only reads the link here and writes it from the target's side (a policy's `appliesTo`):
   * keyed by the target's prefix, the target's collection and its navigation segment, so an add is
   * `POST {collectionPath}/{targetId}/{segment}/$ref` with this object's `@odata.id` and a removal
   * `DELETE {collectionPath}/{targetId}/{segment}/{id}/$ref` (`engine/apply/relationships.ts`).
   */
  readonly writtenFrom?: Partial<Record<ReferencePrefix, { readonly collectionPath: string; readonly segment: string }>>;
  /**
   * A target holds at most one object of this kind through this link (one token lifetime policy per
   * application): two documents naming the same target are a validation error, and apply retries an
   * add Graph refuses for the limit while the same run removes the target's old link.
   */
  readonly onePerTarget?: true;
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

export interface KindPermissions {
  readonly read: readonly string[];
  readonly write: readonly string[];
  readonly ids?: Readonly<Record<string, string>>;
}

/**
 * A kind Graph writes only through request objects (PIM schedules, docs/graph-behaviour.md, PIM):
 * create, update and delete each POST a request to `path` carrying an `action`; the collection
 * itself is read-only. Apply builds every request from the whole object (ids resolved), since
 * Graph identifies the schedule by its principal, role and scope, never by its id.
 */
export interface WriteRequests {
  /** The request collection, e.g. `/roleManagement/directory/roleEligibilityScheduleRequests`. */
  readonly path: string;
  /** The request body for a change, from the object as a Graph body (create form: every property, ids). */
  body(object: JsonObject, action: "create" | "update" | "delete", id?: string): JsonObject;
  /** The id of the object a create request made (a schedule request's `targetScheduleId`). */
  createdId(answer: JsonObject): string | undefined;
  /** Graph's error code for a request about an object that no longer exists: a delete answered so is done. */
  readonly missingCode?: string;
  /**
   * Only objects for which this holds are created and deleted through requests (time-bound role
   * assignments); the others through the collection. Updates always go through requests.
   */
  when?(object: JsonObject): boolean;
}

/** A write-only secret property of a kind (`KindDescriptor.secrets`). */
export interface SecretProperty {
  readonly property: string;
  /** Graph needs it to create the object: a create without a reference is refused before any write. */
  readonly requiredOnCreate?: true;
}

/** A type Graph defines only in beta (`KindDescriptor.betaOnlyType`), in the CSDL's terms. */
export interface BetaOnlyType {
  /** CSDL base type, e.g. `microsoft.graph.policyBase` (its properties are inherited). */
  readonly baseType?: string;
  readonly description: string;
  readonly properties: readonly {
    readonly name: string;
    /** `Edm.Boolean`, `Edm.String`, … or a CSDL type name. */
    readonly type: string;
    readonly nullable: boolean;
    readonly description: string;
  }[];
}

/** A write Graph requires before it deletes an object in some state (e.g. a trusted named location). */
export interface PreDeleteStep {
  /** Whether the object (its normalized spec) needs the step. */
  when(spec: JsonObject): boolean;
  /** The PATCH body written first (Graph property names; carries `@odata.type` when PATCH needs it). */
  patch(spec: JsonObject): JsonObject;
  /** The plan's note for the step, e.g. "made untrusted (isTrusted: false) first: Graph refuses to delete a trusted location". */
  note: string;
}

/**
 * How documents name objects of a kind in references (README "References are names"):
 * `prefix:<name>`, where the name is the document's name, or the value of `key` in the object's
 * spec (users: `user:<userPrincipalName>`).
 */
export interface ReferenceKey {
  readonly prefix: ReferencePrefix;
  /** Spec property whose value names the object in references, instead of its document name. */
  readonly key?: string;
  /** Names compare case-insensitively (userPrincipalNames). */
  readonly caseInsensitive?: true;
  /**
   * The key is one Graph resolves at `itemPath(key)` (`GET /users/{upn}`): plan looks up a named
   * object that no document holds and the snapshot did not read, so references resolve whether or
   * not the kind is in scope, and `getByIds` answers of this kind's type are named by the key.
   */
  readonly lookUpByKey?: true;
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
}

/**
 * Everything the engine knows about one kind (docs/design.md §7 src/kinds/). One file per kind exports a
 * descriptor that `satisfies KindDescriptor`; `registry.ts` lists them.
 */
/** A spec property typed as the property of the same name of another Graph type (see `extraSpec`). */
export interface BorrowedProperty {
  /** The CSDL type that declares it, e.g. `microsoft.graph.unifiedRoleManagementPolicyAssignment`. */
  readonly borrowedFrom: string;
}

export interface KindDescriptor {
  readonly kind: Kind;
  /** How documents reference objects of this kind; absent when nothing references them. */
  readonly reference?: ReferenceKey;
  /** Entra audit activity names of this kind. */
  readonly audit: AuditNames;
  /** How `import` recognizes Graph JSON of this kind. */
  readonly detect: ImportDetection;
  /**
   * Properties a document must have: what Graph requires to create the object (from the create
   * page of the Graph reference); subtypes' and nested types' own in `requiredByType`, keyed by CSDL
   * type. Singletons require nothing: a document may manage only some of their properties.
   */
  readonly required?: readonly string[];
  readonly requiredByType?: Readonly<Record<string, readonly string[]>>;
  /**
   * The document schema of a kind whose schema is not generated into `schemas/` (a kind registered
   * at run time); kinds of the registry get theirs from `npm run schemas`.
   */
  readonly documentSchema?: JsonObject;
  /**
   * The kind is exported and compared but never written (domains: Graph's writes need DNS proof
   * this tool does not give): why, in the plan's words. A document that differs from the tenant, a
   * document without an object and an object without a document each become a plan warning
   * (`read-only`), never a change, so apply writes nothing of the kind.
   */
  readonly readOnly?: string;
  /**
   * Graph has no delete for the kind (attribute sets): why, in the plan's words. A live object
   * without a document is then never deleted; the plan warns (`cannot-delete`) and lists it as unmanaged.
   */
  readonly cannotDelete?: string;
  /**
   * Why Graph refuses an update from `before` to `after` (document forms), one reason each: a
   * one-way property, a sub-item it cannot delete. Plan reports each as an error, so apply writes
   * nothing. Create-only changes of a `cannotDelete` kind are errors as well (no re-create).
   */
  refuseUpdate?(after: JsonObject, before: JsonObject): string[];
  /** Graph writes the kind only by POSTing requests (PIM schedules): apply sends those instead of POST/PATCH/DELETE. */
  readonly writeRequests?: WriteRequests;
  /** One object per key that Graph neither creates nor deletes (PIM role settings); see `FixedObjects`. */
  readonly fixedObjects?: FixedObjects;
  /** Graph refuses some deletes until the object is changed first: apply writes this PATCH, then deletes. */
  readonly beforeDelete?: PreDeleteStep;
  /** Human name used in plans, e.g. "Conditional Access policy". */
  readonly title: string;
  readonly apiVersion: GraphVersion;
  /** CSDL entity type the document's spec follows, e.g. `microsoft.graph.conditionalAccessPolicy`. */
  readonly graphType: string;
  /** Left out of the kinds in scope unless the configuration's `kinds:` names it (users). */
  readonly optIn?: true;
  /** Graph has delta for the kind (`{collectionPath}/delta`, docs/graph-behaviour.md §7): sync reads only what changed. */
  readonly delta?: true;
  /** A directory object (`/directoryObjects/getByIds` finds its ids). */
  readonly directoryObject?: true;
  /** Singletons exist once per tenant: read by GET, written by PATCH, never created or deleted. */
  readonly singleton: boolean;
  /**
   * A singleton Graph lists as a one-item collection and writes at its item path (the organization:
   * `GET /organization`, `PATCH /organization/{tenantId}`): read by listing `collectionPath`; apply
   * and its read-back list it again for the id and use `itemPath(id)`, so no document holds the id.
   */
  readonly listedSingleton?: true;
  /**
   * Updates are PUTs of the whole object instead of PATCH (the admin consent request policy, a
   * singleton; access package assignment policies): apply sends every property, the live value
   * where the document leaves one out, and the create-only properties as they are.
   */
  readonly updateMethod?: "PUT";
  /**
   * Top-level properties every PATCH must carry, changed or not (Graph's update page marks them
   * required: the external identities policy's `allowExternalIdentitiesToLeave`); apply sends them
   * with any update of the object.
   */
  readonly alwaysWritten?: readonly string[];
  /**
   * Write-only secrets (`kinds/secret-references.ts`): top-level properties Graph never returns,
   * written in documents as `env:NAME` only, never compared, resolved by apply when written.
   */
  readonly secrets?: readonly SecretProperty[];
  /**
   * The kind's type when Graph defines it only in beta (the v1.0 CSDL lacks it; the descriptor's
   * `apiVersion` is then `beta`): its properties in the CSDL's terms, from the beta reference page,
   * so `npm run schemas` builds the document schema and non-clearable list as for any other kind.
   */
  readonly betaOnlyType?: BetaOnlyType;
  /** List and create (or the singleton's own path). */
  readonly collectionPath: string;
  itemPath(id: string): string;
  /** Extra query options for list/get, e.g. `$select`. */
  readonly listQuery?: Readonly<Record<string, string>>;
  /**
   * Top-level spec properties the kind adds to its Graph type, each with its JSON schema (a role
   * assignment's `scheduleInfo`, written through PIM's requests) or borrowed from another Graph type,
   * which then types it (a PIM role setting is a `unifiedRoleManagementPolicy` named by its
   * assignment's `roleDefinitionId`): the generated document schema includes them.
   */
  readonly extraSpec?: Readonly<Record<string, JsonObject | BorrowedProperty>>;
  /**
   * Whether the document's object has run its course at `now` (ISO 8601, the plan's time): a
   * time-bound role assignment past its end, which Graph removed. Says why ("ended at …"); the plan
   * then warns and creates nothing.
   */
  ended?(spec: JsonObject, now: string): string | undefined;
  /** A list read beside the collection that completes or drops its objects (`CompanionList`). */
  readonly companion?: CompanionList;
  /**
   * Spec property that identifies an object when the document has no id that exists in the tenant.
   * Several properties are joined with `+` (role assignments:
   * `roleDefinitionId+principalId+directoryScopeId`); see `naturalKeyValue` in `registry.ts`.
   */
  readonly naturalKey: string;
  /** Property of the live object that holds its id when it is not `id` (cross-tenant partners: `tenantId`). */
  readonly idProperty?: string;
  /**
   * Navigation properties a document holds in full: read with `$expand` (`listQuery`), written in
   * the create body (an agreement's `files`); the generated schema includes them.
   */
  readonly inlineNavigation?: readonly string[];
  /** Content kept in files beside the document (see `Attachments`). */
  readonly attachments?: Attachments;
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
  /** Server-managed properties dropped from specs (top-level names or dotted paths). */
  readonly serverManaged: readonly string[];
  /** Properties that can only be set when the object is created. */
  readonly createOnly: readonly string[];
  /** Dotted paths of set-like arrays, sorted on export so output is deterministic. */
  readonly setArrays: readonly string[];
  /** Arrays of objects matched by a key when diffing, e.g. `{ "appRoles": "id" }`. */
  readonly arrayKeys?: Readonly<Record<string, string>>;
  readonly references: readonly ReferenceField[];
  readonly relationships?: readonly Relationship[];
  /** Kinds whose objects must exist before objects of this kind are written. */
  readonly dependsOn: readonly Kind[];
  /**
   * Least-privilege application permissions (docs/graph-behaviour.md §10), and the ids of Microsoft
   * Graph's app roles for them (for `requiredResourceAccess` in an app manifest); a name without an
   * id is listed by name, to be granted in the portal.
   */
  readonly permissions: KindPermissions;
  readonly softDelete?: SoftDelete;
  /**
   * Dotted paths of objects whose `@odata.type` is kept (Graph needs it to tell subtypes apart);
   * `""` is the root. Every other `@odata.*` annotation is dropped.
   */
  readonly keepODataType?: readonly string[];
  /** Dotted paths of flag enums written comma-joined (`"a,b"`), alone or in arrays. */
  readonly flagEnums?: readonly string[];
  /**
   * Dotted paths (through objects, never arrays) of properties Graph cannot clear: it always holds
   * a value and ignores `null` (authorization policy booleans, an application's `signInAudience`).
   * A document that leaves one out keeps the tenant's value: plan compares nothing there and
   * update sends the live value back. Added to what the CSDL says (`Nullable="false"`, see
   * `non-clearable.ts`); list here only what the CSDL gets wrong. Paths in `defaults` do not belong
   * here: absent there means the default, which can be written.
   */
  readonly keepWhenAbsent?: readonly string[];
  /**
   * Top-level spec properties that are the tenant's own state, not configuration: credential
   * metadata, which apply never writes (secrets are added outside the engine). Plan never compares
   * them; with several environments sharing the documents, export and sync leave them out of the
   * documents (each tenant's differ), README "Several tenants".
   */
  readonly tenantState?: readonly string[];
  /** Values Graph fills in when a property is absent: a property equal to its default is dropped. */
  readonly defaults?: Readonly<Record<string, JsonValue>>;
  readonly propertyActions?: readonly PropertyAction[];
  readonly nestedCollections?: readonly NestedCollection[];
  readonly setCollections?: readonly SetCollection[];
  /** False for live objects the engine never exports or manages (built-in, Microsoft-owned). */
  isManaged?(live: JsonObject): boolean;
  /**
   * Kind-specific canonicalization, applied to live objects and to documents alike (so it must be
   * idempotent and accept references as well as ids): after annotations and server-managed fields
   * are dropped, before references are converted and nulls, empties and set arrays are canonicalized.
   */
  normalize?(spec: JsonObject): JsonObject;
  /**
   * A first PATCH to send before `body` when Graph cannot go there in one step (an application's
   * enabled app roles and scopes must be disabled before they can be removed). `actual` is the
   * live object in document form. Undefined when one PATCH is enough.
   */
  stagedUpdate?(body: JsonObject, actual: JsonObject): JsonObject | undefined;
  /** The plan's note for the first step of `stagedUpdate` (document forms), or undefined when one PATCH is enough. */
  stagedUpdateNote?(after: JsonObject, before: JsonObject): string | undefined;
  /**
   * Created by PATCH on `itemPath(spec[naturalKey])` (an upsert with an administrator-chosen id)
   * instead of POST to the collection: authentication contexts in v1.0 have no POST; a function
   * says it per object (the default company branding, which no POST creates).
   */
  readonly createByPatch?: boolean | ((spec: JsonObject) => boolean);
  /** Created by PUT on `itemPath(spec[naturalKey])` (a partner's identity synchronization policy). */
  readonly createByPut?: true;
  /**
   * Dotted path of a list of Graph `requiredResourceAccess` items (`resourceAppId` + `resourceAccess`
   * of `{ id, type }`): the permission ids are written `permission:<value>` from the resource's
   * app roles (`type: Role`) and delegated scopes (`type: Scope`), see `kinds/api-permissions.ts`.
   */
  readonly apiPermissionsPath?: string;
  /** A property holding an app role id of a resource named by another property (see `AppRoleField`). */
  readonly appRoleField?: AppRoleField;
  /**
   * `# comment`s for GUIDs a spec keeps that are no reference (README "Names for GUIDs"): indexed
   * spec path → what the id names, e.g. a group setting's `templateId` → its template's name.
   */
  comments?(spec: JsonObject): Record<string, string>;
  /** Kind-specific preparation of a spec (ids already resolved) into a Graph request body. */
  toGraphBody?(spec: JsonObject, mode: "create" | "update"): JsonObject;
}
