/**
 * The schema shape of a kind descriptor (ARCHITECTURE.md, "Kinds"): what `npm run schemas` needs to
 * generate the document schema beyond the Graph type's CSDL.
 */
import type { JsonObject } from "../model/document.js";

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

/**
 * Everything the engine knows about one kind (docs/design.md §7 src/kinds/). One file per kind exports a
 * descriptor that `satisfies KindDescriptor`; `registry.ts` lists them.
 */
/** A spec property typed as the property of the same name of another Graph type (see `extraSpec`). */
export interface BorrowedProperty {
  /** The CSDL type that declares it, e.g. `microsoft.graph.unifiedRoleManagementPolicyAssignment`. */
  readonly borrowedFrom: string;
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

/** What the generated document schema of a kind takes from its descriptor. */
export interface KindSchemaShape {
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
  /** CSDL entity type the document's spec follows, e.g. `microsoft.graph.conditionalAccessPolicy`. */
  readonly graphType: string;
  /**
   * The kind's type when Graph defines it only in beta (the v1.0 CSDL lacks it; the descriptor's
   * `apiVersion` is then `beta`): its properties in the CSDL's terms, from the beta reference page,
   * so `npm run schemas` builds the document schema and non-clearable list as for any other kind.
   */
  readonly betaOnlyType?: BetaOnlyType;
  /**
   * Top-level spec properties the kind adds to its Graph type, each with its JSON schema (a role
   * assignment's `scheduleInfo`, written through PIM's requests) or borrowed from another Graph type,
   * which then types it (a PIM role setting is a `unifiedRoleManagementPolicy` named by its
   * assignment's `roleDefinitionId`): the generated document schema includes them.
   */
  readonly extraSpec?: Readonly<Record<string, JsonObject | BorrowedProperty>>;
  /**
   * Dotted path of a list of Graph `requiredResourceAccess` items (`resourceAppId` + `resourceAccess`
   * of `{ id, type }`): the permission ids are written `permission:<value>` from the resource's
   * app roles (`type: Role`) and delegated scopes (`type: Scope`), see `kinds/api-permissions.ts`.
   */
  readonly apiPermissionsPath?: string;
  /** A property holding an app role id of a resource named by another property (see `AppRoleField`). */
  readonly appRoleField?: AppRoleField;
}
