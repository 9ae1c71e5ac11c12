import type { Address, Kind } from "../model/kind.js";
import type { CommitFilesInput, GitIdentity } from "./commit-files.js";
import { parseDocumentPath } from "./paths.js";
import { formatSelector, matchesSelectors, type Selector } from "./selectors.js";

export interface RollbackInput {
  /** Configuration folder, repository-relative (`tenant-config`). */
  folder: string;
  /** The full commit id rolled back to, and its short form for messages. */
  revision: string;
  shortRevision: string;
  selectors: readonly Selector[];
  /** Files under `folder` at the revision and now (HEAD), path → text (see `readFilesAtRevision`). */
  atRevision: ReadonlyMap<string, string>;
  current: ReadonlyMap<string, string>;
  /**
   * Files kept beside documents (company branding images), as bytes at the revision and now, and
   * the document each belongs to: a selected document's files are brought back with it.
   */
  attached?: { atRevision: ReadonlyMap<string, Buffer>; current: ReadonlyMap<string, Buffer>; documentOf(path: string): Address | undefined };
}

export interface RollbackPlan {
  revision: string;
  shortRevision: string;
  selectors: readonly Selector[];
  /** Documents to write back with their content at the revision (`create`: absent now). */
  restore: { path: string; address: Address; action: "create" | "update"; content: string }[];
  /** Documents that did not exist at the revision: deleted by the rollback. */
  remove: { path: string; address: Address }[];
  /** Files beside the selected documents (images) that differ: their bytes at the revision, or `null` (none then). */
  attached: { path: string; address: Address; content: Buffer | null }[];
  /** Selected documents already equal to the revision. */
  unchanged: number;
  /** Selectors that matched no document at the revision nor now (most likely a typo). */
  unmatched: Selector[];
}

/**
 * Pure: which files make the selected documents equal to their state at the revision. Only files
 * that are documents (`<folder>/<kind>/<name>.yaml`) are considered; paths are sorted.
 */
export function planRollback(input: RollbackInput): RollbackPlan {
  const plan: RollbackPlan = {
    revision: input.revision,
    shortRevision: input.shortRevision,
    selectors: input.selectors,
    restore: [],
    remove: [],
    attached: [],
    unchanged: 0,
    unmatched: [],
  };
  const matched = new Set<Selector>();
  const paths = [...new Set([...input.atRevision.keys(), ...input.current.keys()])].sort();
  for (const path of paths) {
    const doc = parseDocumentPath(input.folder, path);
    if (!doc || !matchesSelectors(input.selectors, doc.kind, doc.name)) continue;
    for (const s of input.selectors) if (matchesSelectors([s], doc.kind, doc.name)) matched.add(s);
    const then = input.atRevision.get(path);
    const now = input.current.get(path);
    if (then === now) plan.unchanged += 1;
    else if (then === undefined) plan.remove.push({ path, address: doc.address });
    else plan.restore.push({ path, address: doc.address, action: now === undefined ? "create" : "update", content: then });
  }
  if (input.attached) {
    const { atRevision, current, documentOf } = input.attached;
    for (const path of [...new Set([...atRevision.keys(), ...current.keys()])].sort()) {
      const owner = documentOf(path);
      const slash = owner?.indexOf("/") ?? -1;
      if (!owner || !matchesSelectors(input.selectors, owner.slice(0, slash) as Kind, owner.slice(slash + 1))) continue;
      const then = atRevision.get(path);
      const now = current.get(path);
      if (then && now && then.equals(now)) continue;
      plan.attached.push({ path, address: owner, content: then ?? null });
    }
  }
  plan.unmatched = input.selectors.filter((s) => !matched.has(s));
  return plan;
}

/** The one commit that performs the plan; `undefined` when there is nothing to change. */
export function rollbackCommitInput(
  plan: RollbackPlan,
  identities: { author: GitIdentity; committer: GitIdentity },
): CommitFilesInput | undefined {
  if (plan.restore.length === 0 && plan.remove.length === 0 && plan.attached.length === 0) return undefined;
  const what = plan.selectors.length === 0 ? "all documents" : plan.selectors.map(formatSelector).join(", ");
  let subject = `Roll back ${what} to ${plan.shortRevision}`;
  if (subject.length > 72) subject = `Roll back ${plan.selectors.length} selectors to ${plan.shortRevision}`;
  const body = [
    `Restores the configuration of ${plan.revision}.`,
    "",
    ...plan.restore.map((r) => `${r.action === "create" ? "re-create" : "restore"} ${r.address}`),
    ...plan.remove.map((r) => `delete ${r.address} (did not exist at ${plan.shortRevision})`),
    ...plan.attached.map((r) => `${r.content ? "restore" : "remove"} ${r.path} (${r.address})`),
  ];
  return {
    files: [
      ...plan.restore.map((r) => ({ path: r.path, content: r.content })),
      ...plan.remove.map((r) => ({ path: r.path, content: null })),
      ...plan.attached.map((r) => ({ path: r.path, content: r.content })),
    ],
    author: identities.author,
    committer: identities.committer,
    message: `${subject}\n\n${body.join("\n")}\n`,
  };
}
