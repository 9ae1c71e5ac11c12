import type { DriftPolicy } from "../../config/index.js";
import type { Kind } from "../../kinds/kind-names.js";
import type { ChangedObject } from "./types.js";

/** The changed objects of one sync, split by the configured drift policy of their kind. */
export interface DriftByPolicy {
  /** Committed on the checked-out branch (or `--branch`). */
  commit: ChangedObject[];
  /** Committed on a drift branch for a pull request. */
  pr: ChangedObject[];
  /** Not committed: the committed documents are applied back over them (self-heal). */
  revert: ChangedObject[];
}

/**
 * Pure: sorts every change into the bucket its kind's policy names. Deletions of kinds that failed
 * to export are left out of `revert` (a failed read is not a deletion to undo); attribution
 * withholds them from the other buckets itself.
 */
export function splitByPolicy(
  changes: readonly ChangedObject[],
  drift: Readonly<Record<Kind, DriftPolicy>>,
  failedKinds: readonly Kind[] = [],
): DriftByPolicy {
  const failed = new Set(failedKinds);
  const split: DriftByPolicy = { commit: [], pr: [], revert: [] };
  for (const change of changes) {
    const policy = drift[change.kind] ?? "commit";
    if (policy === "revert" && change.change === "deleted" && failed.has(change.kind)) continue;
    split[policy].push(change);
  }
  return split;
}

/**
 * Default name of the branch `pr` drift is committed on:
 * `entra-gitops/drift-<environment or "default">-<UTC yyyymmddThhmmssZ>`. The environment name is
 * reduced to characters git accepts in a ref.
 */
export function driftBranchName(environment: string | undefined, now: Date): string {
  const env = (environment ?? "default").toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "").replace(/\.{2,}/g, ".") || "default";
  const stamp = now.toISOString().replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "");
  return `entra-gitops/drift-${env}-${stamp}`;
}
