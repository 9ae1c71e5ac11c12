import type { JsonObject, JsonValue } from "../model/document.js";
import type { GraphVersion } from "../graph/types.js";
import type { Kind } from "../model/kind.js";
import type { KindReadShape } from "./descriptor-read.js";
import type { KindWriteShape } from "./descriptor-write.js";
import type { KindSchemaShape } from "./descriptor-schema.js";
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

/**
 * Everything the engine knows about a kind (ARCHITECTURE.md, "Kinds"), by concern: how its objects
 * are read (`KindReadShape`, descriptor-read.ts), written (`KindWriteShape`, descriptor-write.ts)
 * and given a document schema (`KindSchemaShape`, descriptor-schema.ts); here what identifies the
 * kind, references its objects and compares them.
 */
/**
 * A link of another kind's object that a document of this kind holds instead of that object's
 * document (a time-bound group membership is the `groupAssignmentSchedule`'s, not an entry of the
 * group's `members`): the same link in both documents is a validate and plan error, so each
 * membership is in exactly one document (`engine/validate-held-links.ts`).
 */
export interface HeldLink {
  /** The kind whose relationship holds the link, e.g. `group`. */
  readonly kind: Kind;
  /** Spec property naming that object by reference (`group:<document name>`), e.g. `groupId`. */
  readonly object: string;
  /** The relationship property of that object the link is in (`members`, `owners`); undefined: none. */
  relationship(spec: JsonObject): string | undefined;
  /** Spec property holding the linked object's reference, e.g. `principalId`. */
  readonly target: string;
}

export interface KindDescriptor extends KindReadShape, KindWriteShape, KindSchemaShape {
  /** A link of another kind's object that this kind's documents hold instead (`HeldLink`). */
  readonly heldLink?: HeldLink;
  readonly kind: Kind;
  /** How documents reference objects of this kind; absent when nothing references them. */
  readonly reference?: ReferenceKey;
  /** Human name used in plans, e.g. "Conditional Access policy". */
  readonly title: string;
  /** Left out of the kinds in scope unless the configuration's `kinds:` names it (users). */
  readonly optIn?: true;
  readonly apiVersion: GraphVersion;
  /**
   * Spec property that identifies an object when the document has no id that exists in the tenant.
   * Several properties are joined with `+` (role assignments:
   * `roleDefinitionId+principalId+directoryScopeId`); see `naturalKeyValue` in `registry.ts`.
   */
  readonly naturalKey: string;
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
   * Top-level lists a document may leave out to leave the tenant's items alone, because documents
   * written before the kind managed the list do not have it (an access package's
   * `resourceRoleScopes`: without this, upgrading would plan the removal of every item). `[]` means
   * none: canonicalization keeps an empty list here (nowhere else), so export writes `[]` for an
   * object without items and an item added in the tenant later is drift. Plan and apply treat them
   * as `keepWhenAbsent`.
   */
  readonly leftAloneWhenAbsent?: readonly string[];
  /**
   * Top-level spec properties that are the tenant's own state, not configuration: credential
   * metadata, which apply never writes (secrets are added outside the engine). Plan never compares
   * them; with several environments sharing the documents, export and sync leave them out of the
   * documents (each tenant's differ), README "Several tenants".
   */
  readonly tenantState?: readonly string[];
  /** Values Graph fills in when a property is absent: a property equal to its default is dropped. */
  readonly defaults?: Readonly<Record<string, JsonValue>>;
  /**
   * Kind-specific canonicalization, applied to live objects and to documents alike (so it must be
   * idempotent and accept references as well as ids): after annotations and server-managed fields
   * are dropped, before references are converted and nulls, empties and set arrays are canonicalized.
   */
  normalize?(spec: JsonObject): JsonObject;
  /**
   * `# comment`s for GUIDs a spec keeps that are no reference (README "Names for GUIDs"): indexed
   * spec path → what the id names, e.g. a group setting's `templateId` → its template's name.
   */
  comments?(spec: JsonObject): Record<string, string>;
}
