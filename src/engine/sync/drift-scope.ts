/**
 * What an incremental `drift` reads and compares (README "drift"): the same decision as an
 * incremental sync (incremental-read.ts: delta from the links the sync state at the revision
 * records, the audit log since its read, changes held back, documents git changed since the read,
 * documents naming a principal deleted or renamed), the same partial read of the tenant
 * (partial-read.ts), and only the documents that read may find changed. Every other document is
 * unchanged since the last sync recorded the tenant, which it then matched.
 *
 * Drift writes nothing, and records no read: it reads from the recorded links without keeping the
 * new ones. A delta link can be used again until it expires (docs/graph-behaviour.md §7), so the
 * next sync, from the same links, still sees every change drift saw.
 */
import { documentPathOfAddress, parseDocumentPath } from "../../git/paths.js";
import type { GitRepository } from "../../git/repository.js";
import type { GraphGateway } from "../../graph/types.js";
import type { Kind } from "../../model/kind.js";
import type { KindDescriptor } from "../../kinds/types.js";
import type { PartialRead } from "../snapshot/snapshot.js";
import type { SyncState } from "../../state/sync-state.js";
import { documentsChangedSinceRead } from "./changed-in-git.js";
import { planRead } from "./incremental-read.js";
import { committedTree, documentsContaining, readCommitted } from "./committed-tree.js";
import { addressesById, idCoverage } from "./id-lookups.js";
import { checkedCoverage, checkedTree } from "./checked-content.js";
import type { SortedIdMap } from "../../state/sorted-id-map.js";
import type { CheckedContent } from "../../state/sync-state.js";
import { partialRead, reservedNames, touchedAddresses } from "./partial-read.js";
import type { NameSet } from "../../kinds/naming.js";
import type { ReadReport } from "./read-tenant.js";

export interface DriftScopeInput {
  repo: GitRepository;
  /** The compared commit (`--rev`). */
  rev: string;
  /** Configuration folder, repository-relative. */
  folder: string;
  gateway: GraphGateway;
  descriptors: readonly KindDescriptor[];
  /** The environment's id map (address → id). */
  ids: ReadonlyMap<string, string>;
  /** The sync state at `rev`. */
  syncState: SyncState;
  /** The sync state file, repository-relative. */
  syncStatePath: string;
  /** The facts the sync state recorded that still hold at `rev` (checked-content.ts), with `ids` their map: nothing listed or walked. */
  checked?: { ids: SortedIdMap; facts: CheckedContent };
  /** Why not, when absent. */
  uncheckedBecause?: string;
  now: Date;
}

export type DriftScope =
  | { mode: "full"; reason: string }
  | {
      mode: "incremental";
      report: ReadReport;
      /** The documents to compare: path → text at `rev`. */
      files: Map<string, string>;
      /** The snapshot's partial read, and the names of the documents not compared (a new object may not take them). */
      partial: PartialRead & { reservedNames: Map<Kind, NameSet> };
      /** Documents of the kinds in scope not compared: unchanged since the recorded read. */
      unchanged: number;
      /** Document names at `rev` by kind (references to them are valid though they are not read). */
      names: ReadonlyMap<Kind, ReadonlySet<string>>;
    };

/** Decides how drift reads the tenant; incremental when the sync state at `rev` records a read. */
export async function driftScope(input: DriftScopeInput): Promise<DriftScope> {
  const { repo, rev, folder } = input;
  const read = input.syncState.read;
  if (!read) return { mode: "full", reason: "no earlier read is recorded in the sync state" };
  if (input.ids.size === 0) return { mode: "full", reason: "no id map is committed yet" };
  const changedInGit = await documentsChangedSinceRead(repo, rev, folder, input.syncStatePath, read.at);
  if (changedInGit === undefined) return { mode: "full", reason: "the commit that recorded the last read is not in this clone's history" };
  const { checked } = input;
  const tree = checked
    ? checkedTree(checked.ids, rev, folder, await committedTree(repo, rev, folder, checked.facts.listedKinds), checked.facts.listedKinds)
    : await committedTree(repo, rev, folder);
  const byId = addressesById(input.ids);
  const decision = await planRead({
    gateway: input.gateway,
    descriptors: input.descriptors,
    state: read,
    ids: input.ids,
    byId,
    names: tree.names,
    pending: input.syncState.pending.keys(),
    changedInGit,
    documentsContaining: (texts) => documentsContaining(repo, rev, folder, texts),
    documentText: async (address) => (await readCommitted(repo, tree, [documentPathOfAddress(folder, address)])).get(documentPathOfAddress(folder, address)),
    now: input.now,
  });
  if (decision.mode === "full") return decision;
  const inScope = new Set(input.descriptors.map((d) => d.kind));
  const coverage = checked ? checkedCoverage(checked.ids, tree, checked.facts.listedKinds) : idCoverage(input.ids, tree);
  const touched = touchedAddresses(decision, input.ids, byId, tree, coverage);
  const files = await readCommitted(repo, tree, [...touched].map((a) => documentPathOfAddress(folder, a)));
  let unchanged = 0;
  for (const [kind, names] of tree.names) if (inScope.has(kind)) unchanged += names.size;
  for (const path of files.keys()) {
    const where = parseDocumentPath(folder, path);
    if (where && inScope.has(where.kind)) unchanged -= 1;
  }
  const objects = [...decision.objects.values()].reduce((n, ids) => n + ids.size, 0);
  return {
    mode: "incremental",
    report: {
      mode: "incremental",
      documents: files.size,
      objects,
      whole: decision.whole,
      deltaItems: decision.deltaItems,
      ...(checked ? {} : { listed: input.uncheckedBecause ?? "the id map is not canonical" }),
    },
    files,
    partial: { ...partialRead(input.gateway, input.descriptors, decision, input.ids), reservedNames: reservedNames(tree, touched) },
    unchanged,
    names: tree.names,
  };
}
