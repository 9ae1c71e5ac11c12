import type { EntraDocument } from "../../model/document.js";
import type { CommitFilesInput, FileChange, GitIdentity } from "../../git/commit-files.js";
import type { Address, Kind } from "../../model/kind.js";
import type { Actor } from "./actor.js";
import type { DirectoryAudit } from "./audit-entry.js";
import type { EngineIdentity } from "./own-writes.js";

/** One object whose exported document differs from the committed one. */
export interface ChangedObject {
  address: Address;
  kind: Kind;
  /** Tenant object id: the live id for added/modified, the id recorded in git for deleted. */
  id?: string;
  change: "added" | "modified" | "deleted";
  /** The exported document; `null` for deleted. */
  document: EntraDocument | null;
  /** The committed document before the change (gives deletes a display name to match). */
  previous?: EntraDocument | null;
  /** The file change that records it: repository-relative path and new text (`null` = delete). */
  file: FileChange & { content: string | null };
  /**
   * Its stream files (company branding images beside the document, `engine/streams.ts`) that
   * changed with it: the tenant's bytes, or `null` for an image it no longer has. Committed with
   * the document, byte for byte.
   */
  streams?: FileChange[];
  /**
   * When git last recorded the object (author date of the last commit of its file): audit entries
   * at or before it explain the committed state, not this change, and are not matched.
   */
  recordedAt?: Date;
}

export interface AttributionInput {
  changes: readonly ChangedObject[];
  /** Directory audit entries of the sync window (any order; failed operations are ignored). */
  audits: readonly DirectoryAudit[];
  /** Kinds whose export failed: their deletions are never committed. */
  failedKinds: readonly Kind[];
  /** The configured bot: committer of every commit, author of the no-audit commit. */
  bot: GitIdentity;
  /** Sync time: author date of the no-audit commit. */
  now: Date;
  /** The engine's identity: its own writes of committed documents explain no change (own-writes.ts). */
  engine?: EngineIdentity;
  /** Entries by one actor further apart than this start a new commit (default 10 minutes). */
  burstGapMs?: number;
  /**
   * The grace period the unexplained changes were held back for (README "Sync state"): their
   * commit says "no audit record after N min". Absent or 0: they were not held back.
   */
  graceMinutes?: number;
}

/** An audit entry as shown for one object in a commit body. */
export interface ObjectActivity {
  audit: DirectoryAudit;
  actor: Actor;
  /**
   * How it was matched: the object's id among the targets; its display name (ids differ); the
   * activity alone (singletons); principal + role targets (role assignments).
   */
  matchedBy: "id" | "displayName" | "singleton" | "roleMember" | "memberDeleted" | "principalDeleted";
}

export interface AttributedObject {
  change: ChangedObject;
  /** Matching audit entries, oldest first (possibly by several actors). */
  activities: ObjectActivity[];
}

/** One commit to make, in order. `actor` is absent for the no-audit commit. */
export interface DriftCommit extends CommitFilesInput {
  actor?: Actor;
  objects: AttributedObject[];
  /** Time span of the burst (ISO), for reports. */
  window?: { from: string; to: string };
}

export interface DriftAttribution {
  commits: DriftCommit[];
  /** Deletions left out because their kind failed to export. */
  withheldDeletions: { address: Address; kind: Kind }[];
  /** Audit entries (successful) that matched no changed object: for reports, not committed. */
  unmatchedAudits: DirectoryAudit[];
}
