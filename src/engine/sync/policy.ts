import type { DriftPolicy } from "../../config/index.js";
import type { Kind } from "../../model/kind.js";
import { parseDocumentPath } from "../../git/paths.js";
import type { ChangedObject, ObjectActivity } from "./types.js";

/** The changed objects of one sync, split by the configured drift policy of their kind. */
export interface DriftByPolicy {
  /** Committed on the checked-out branch (or `--branch`). */
  commit: ChangedObject[];
  /** Committed on a drift branch for a pull request. */
  pr: ChangedObject[];
  /** Not committed: the committed documents are applied back over them (self-heal). */
  revert: ChangedObject[];
  /** `revert` kinds with no document at HEAD: their drift is committed instead (a first record, not drift to undo). */
  firstRecord: Kind[];
}

/**
 * Pure: sorts every change into the bucket its kind's policy names. Deletions of kinds that failed
 * to export are left out of `revert` (a failed read is not a deletion to undo); attribution
 * withholds them from the other buckets itself. A `revert` kind with no document at HEAD (a first
 * sync, or a kind just added to the scope) is committed instead: git holds no state to go back to,
 * and "none of this kind" would otherwise delete every such object under `prune`.
 */
export function splitByPolicy(
  changes: readonly ChangedObject[],
  drift: Readonly<Record<Kind, DriftPolicy>>,
  options: { failedKinds?: readonly Kind[]; committedKinds?: ReadonlySet<Kind> } = {},
): DriftByPolicy {
  const failed = new Set(options.failedKinds ?? []);
  const split: DriftByPolicy = { commit: [], pr: [], revert: [], firstRecord: [] };
  for (const change of changes) {
    let policy = drift[change.kind] ?? "commit";
    if (policy === "revert" && options.committedKinds && !options.committedKinds.has(change.kind)) {
      policy = "commit";
      if (!split.firstRecord.includes(change.kind)) split.firstRecord.push(change.kind);
    }
    if (policy === "revert" && change.change === "deleted" && failed.has(change.kind)) continue;
    split[policy].push(change);
  }
  return split;
}

/**
 * Pure: the `revert` changes that cannot be undone because the principal or member they name was
 * deleted (a role assignment Graph removed with its principal, a group that lost a deleted member:
 * docs/graph-behaviour.md, "Sandbox behaviour table"). Applying git back would re-create an
 * assignment for, or add, an object that no longer exists, and fail on every sync; they are
 * recorded (committed) instead. A change counts only when every audit entry that explains it is
 * such a delete.
 */
export function followsDeletedPrincipal(change: ChangedObject, activities: readonly ObjectActivity[]): boolean {
  if (activities.length === 0) return false;
  return activities.every((a) => a.matchedBy === "principalDeleted" || a.matchedBy === "memberDeleted") && (change.change === "deleted" || change.kind !== "roleAssignment");
}

/** The kinds that have at least one document among the committed files. */
export function kindsWithDocuments(folder: string, files: Iterable<string>): Set<Kind> {
  const kinds = new Set<Kind>();
  for (const path of files) {
    const where = parseDocumentPath(folder, path);
    if (where) kinds.add(where.kind);
  }
  return kinds;
}

/**
 * Default name of the branch `pr` drift is committed on:
 * `entra-gitops/drift-<environment or "default">-<UTC yyyymmddThhmmssZ>`. The environment name is
 * reduced to characters git accepts in a ref.
 */
export function driftBranchName(environment: string | undefined, now: Date): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "");
  return `${driftBranchPrefix(environment)}${stamp}`;
}

/** `entra-gitops/drift-<environment or "default">-`: what every drift branch of the environment starts with. */
export function driftBranchPrefix(environment: string | undefined): string {
  const env = (environment ?? "default").toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "").replace(/\.{2,}/g, ".") || "default";
  return `entra-gitops/drift-${env}-`;
}
