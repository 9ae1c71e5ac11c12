/**
 * The write shape of a kind descriptor (ARCHITECTURE.md, "Kinds"): how apply writes the kind's
 * objects, what Graph refuses, and the permissions that takes.
 */
import type { JsonObject, JsonValue } from "../model/document.js";
import type { Kind } from "../model/kind.js";

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
  /**
   * Graph lists the items only inside their parent (an access package's `resourceRoleScopes`,
   * through `$expand`): apply reads the live items from `GET itemPath(parent)` with this query, in
   * the parent's `property`. Default: `GET collectionPath`.
   */
  readonly expandedQuery?: Readonly<Record<string, string>>;
  /**
   * The POST body of an item to add, when Graph needs more than the document holds (a role scope
   * names the catalog resource's id and the role's origin id): read through `read`, given the
   * parent's id and the item (Graph body, ids resolved). Throws to refuse the item before any write.
   * Default: the item itself.
   */
  createBody?(item: JsonObject, parentId: string, read: SetCollectionReader): Promise<JsonObject>;
}

/** Reads `SetCollection.createBody` may make (through the one Graph gateway). */
export interface SetCollectionReader {
  get(path: string, query?: Readonly<Record<string, string>>): Promise<JsonObject | undefined>;
  list(path: string, query?: Readonly<Record<string, string>>): Promise<JsonObject[]>;
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

/**
 * One stream property (a company branding image): content Graph reads and writes at its own path
 * (`GET`/`PUT` of the bytes), never in the object's JSON. Documents leave it out; its content is a
 * file beside the document, `<name>.<property>.<png|jpg|css>` (`engine/streams.ts`).
 */
export interface StreamProperty {
  readonly property: string;
  readonly formats: readonly ("png" | "jpeg" | "css")[];
  /** Largest file Graph takes, in bytes. */
  readonly maxBytes: number;
  /** Largest picture Graph takes, in pixels (images only). */
  readonly maxWidth?: number;
  readonly maxHeight?: number;
}

/** The kind's stream properties and where each is read and written for an object. */
export interface StreamProperties {
  readonly properties: readonly StreamProperty[];
  path(id: string, property: string): string;
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
  /**
   * The top-level spec property holding the secret's version marker (`clientSecretVersion: 2`), an
   * integer or string the admin raises with the value: plan compares it with the marker last
   * applied in the environment (`.entra-gitops/state/<env>/secret-versions.yaml`) and a higher one
   * is a rotation, which apply writes. Without it, the secret is written at create only.
   */
  readonly version?: string;
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

/** How apply writes the objects of a kind, and what Graph refuses. */
export interface KindWriteShape {
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
  /**
   * Why Graph refuses the object (document form) given objects of other kinds, one reason each (an
   * access package's role scope names a resource its catalog does not hold). `specsOf(kind)` gives
   * the specs (document form) of that kind's documents and tenant objects when the kind is in
   * scope, else undefined (nothing to check against). Plan reports each reason as an error on a
   * create or update, so apply writes nothing.
   */
  refuseAgainst?(spec: JsonObject, specsOf: (kind: Kind) => readonly JsonObject[] | undefined): string[];
  /** Graph writes the kind only by POSTing requests (PIM schedules): apply sends those instead of POST/PATCH/DELETE. */
  readonly writeRequests?: WriteRequests;
  /** One object per key that Graph neither creates nor deletes (PIM role settings); see `FixedObjects`. */
  readonly fixedObjects?: FixedObjects;
  /** Graph refuses some deletes until the object is changed first: apply writes this PATCH, then deletes. */
  readonly beforeDelete?: PreDeleteStep;
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
   * Whether the document's object has run its course at `now` (ISO 8601, the plan's time): a
   * time-bound role assignment past its end, which Graph removed. Says why ("ended at …"); the plan
   * then warns and creates nothing.
   */
  ended?(spec: JsonObject, now: string): string | undefined;
  /**
   * Least-privilege application permissions (docs/graph-behaviour.md §10), and the ids of Microsoft
   * Graph's app roles for them (for `requiredResourceAccess` in an app manifest); a name without an
   * id is listed by name, to be granted in the portal.
   */
  readonly permissions: KindPermissions;
  readonly propertyActions?: readonly PropertyAction[];
  readonly nestedCollections?: readonly NestedCollection[];
  readonly setCollections?: readonly SetCollection[];
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
  /** Kind-specific preparation of a spec (ids already resolved) into a Graph request body. */
  toGraphBody?(spec: JsonObject, mode: "create" | "update"): JsonObject;
  /** Content kept in files beside the document (see `Attachments`). */
  readonly attachments?: Attachments;
  /**
   * Stream properties kept in files beside the document and compared by SHA-256 (company branding
   * images, see `StreamProperties`): never in a JSON body; apply PUTs their bytes.
   */
  readonly streams?: StreamProperties;
}
