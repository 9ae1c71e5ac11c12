import type { JsonObject, JsonValue } from "./document.js";
import type { Address, Kind, ObjectId } from "./kind.js";
import type { CaImpact } from "./impact.js";

/** Version of the JSON plan artifact. Bump on any incompatible change to these types. */
export const PLAN_FORMAT_VERSION = "1" as const;

/** A tenant object after export/normalize: references are names, server-managed fields dropped. */
export interface LiveObject {
  kind: Kind;
  /** The document name export would give it (used for deletes and unmanaged objects). */
  name: string;
  id: ObjectId;
  spec: JsonObject;
}

/** A soft-deleted object that Graph can still restore with its id (docs/graph-behaviour.md §8). */
export interface DeletedItem {
  kind: Kind;
  id: ObjectId;
  deletedDateTime?: string;
  /** Its normalized spec when the deleted-items list returned it. */
  spec?: JsonObject;
}

/**
 * One field-level difference of an update (or of a restore against the restored object).
 * `path` is dotted from the spec root; elements of keyed arrays read `appRoles[id=…]`,
 * elements of ordered arrays `[3]`. A set-array member added or removed has `member: true`, and
 * `path` names the array.
 */
export interface FieldChange {
  op: "add" | "remove" | "update";
  path: string;
  before?: JsonValue;
  after?: JsonValue;
  member?: true;
  /** Graph cannot change this field after creation: the object must be replaced. */
  createOnly?: true;
  /**
   * A write-only secret written again (README "Rotating a write-only secret"): its version marker
   * last applied in the environment (absent: none recorded) and the document's. No value is shown.
   */
  rotation?: { from?: number | string; to: number | string };
}

interface ChangeBase {
  address: Address;
  kind: Kind;
  name: string;
  /** Addresses this change must wait for (created or restored in the same plan, or, for a delete, deleted first). */
  dependsOn: Address[];
  /** Reference values the resulting spec uses, as written (`group:x`, `role:Global Administrator`). */
  references: string[];
  /** Explanations the plan adds (report-only rewrite, id not found, ...). */
  notes: string[];
  /** `drift` only: who made the change outside git, from the directory audit log (absent when it has no entry). */
  changedBy?: ChangeActor;
}

/** The actor of the latest audit entry that explains a drifted object (README "drift"). */
export interface ChangeActor {
  /** Display name (user or app). */
  name: string;
  /** UPN for users, display name for apps: what reports print. */
  label: string;
  /** Users' e-mail (UPN). */
  email?: string;
  type: "user" | "app" | "unknown";
  /** The audit entry's time (ISO 8601). */
  at: string;
  /** The audit activity, e.g. `Update conditional access policy`. */
  activity: string;
}

export interface CreateChange extends ChangeBase {
  action: "create";
  /** The spec to create. */
  after: JsonObject;
}

export interface UpdateChange extends ChangeBase {
  action: "update";
  id: ObjectId;
  before: JsonObject;
  /** The spec the object has after apply: write this (ignored fields already hold the live value). */
  after: JsonObject;
  fields: FieldChange[];
  /** Set when a create-only field differs: Graph cannot update it; apply refuses unless recreate is allowed. */
  replace?: { fields: string[] };
}

export interface DeleteChange extends ChangeBase {
  action: "delete";
  id: ObjectId;
  before: JsonObject;
}

export interface RestoreChange extends ChangeBase {
  action: "restore";
  /** The id of the soft-deleted object; restore keeps it. */
  id: ObjectId;
  deletedDateTime?: string;
  /** The deleted object's spec when the deleted-items list returned it. */
  before?: JsonObject;
  /** The spec after restore and the follow-up update. */
  after: JsonObject;
  /** Differences between the restored object and the document (applied by an update after restore). */
  fields: FieldChange[];
}

export interface NoopChange {
  action: "noop";
  address: Address;
  kind: Kind;
  name: string;
  id: ObjectId;
}

export type PlanChange = CreateChange | UpdateChange | DeleteChange | RestoreChange | NoopChange;
export type PlanAction = PlanChange["action"];
export const PLAN_ACTIONS: readonly PlanAction[] = ["create", "update", "delete", "restore", "noop"];

/** Fingerprint of a live object as read: apply re-reads it and refuses a stale plan. */
export interface LiveFingerprint {
  address: Address;
  kind: Kind;
  id: ObjectId;
  /** sha256 (hex) of the canonical JSON of the normalized live spec. */
  sha256: string;
}

/** A tenant object in scope with no document, left alone (prune off, or a singleton). */
export interface UnmanagedObject {
  address: Address;
  kind: Kind;
  id: ObjectId;
}

export type GuardName = "delete" | "protected" | "lockout" | "recreate" | "reportOnly";

/** What a safety rule found: what it stopped, why, and how to override it. */
export interface GuardFinding {
  guard: GuardName;
  /** `block` stops apply unless overridden; `info` only informs. */
  severity: "block" | "info";
  address?: Address;
  message: string;
  /** The flag or setting that overrides it (empty for info findings). */
  override: string;
  /** True when the override was given: apply proceeds and the plan says so. */
  overridden: boolean;
}

export interface PlanDiagnostic {
  severity: "error" | "warning" | "info";
  /** Stable machine code, e.g. `ambiguous-match`, `unresolved-reference`. */
  code: string;
  address?: Address;
  message: string;
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  restore: number;
  noop: number;
  /** Updates that need a replace (create-only field changed). */
  replace: number;
  unmanaged: number;
  /** Guard findings that block apply (not overridden). */
  blocked: number;
  errors: number;
  warnings: number;
  /**
   * Objects with fields the plan could not see (beta-only properties of a kind read through v1.0):
   * the plan never claims "no changes" about them.
   */
  hidden?: number;
}

/** What produced the plan; recorded so apply can check it applies what was reviewed. */
export interface PlanSource {
  /** Git revision of the configuration (commit id), or null outside git. */
  gitRevision: string | null;
  /** Digest of the resolved configuration (`sha256:…`). */
  configDigest: string;
  tenantId: string;
  graphUrl: string;
  /** Environment name from the config (`--env`), used in PR comment markers. */
  environment?: string;
  /** ISO 8601, passed in (the plan function reads no clock). */
  createdAt: string;
}

/** The settings that shaped the plan, recorded in it. */
export interface PlanSettings {
  prune: boolean;
  absentFields: AbsentFields;
  reportOnlyNewPolicies: boolean;
  scope: Kind[];
  ignoreDifferences: Partial<Record<Kind | "*", string[]>>;
}

/** How a field absent from the document compares: `remove` (git is the whole truth) or `keep` (left as in the tenant). */
export type AbsentFields = "remove" | "keep";

export interface Plan extends PlanSource {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  settings: PlanSettings;
  /** Every live object read, for stale-plan detection. */
  fingerprints: LiveFingerprint[];
  /** In apply order: creates/updates/restores by dependency, then deletes in reverse. */
  changes: PlanChange[];
  unmanaged: UnmanagedObject[];
  guards: GuardFinding[];
  /** Overrides given (`lockout`, `protected`, ...), recorded for review. */
  overrides: string[];
  diagnostics: PlanDiagnostic[];
  summary: PlanSummary;
  /** Conditional Access impact (who gains or loses access), when the plan changes anything it depends on. */
  impact?: CaImpact;
}
