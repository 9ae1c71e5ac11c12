import { formatReference } from "../../kinds/reference-syntax.js";
import { parseDocumentText } from "../../documents/read-document.js";
import type { Diagnostic, SourcedDocument } from "../../model/document.js";
import { parseDocumentPath } from "../../git/paths.js";
import type { Address } from "../../model/kind.js";
import { prefixOfKind } from "../../kinds/registry.js";
import { summarize } from "../../model/plan-summary.js";
import type { Plan } from "../../model/plan.js";

export interface RevertDesiredInput {
  /** Configuration folder, repository-relative. */
  folder: string;
  /** Files committed at HEAD. */
  before: ReadonlyMap<string, string>;
  /** Files as the export produced them. */
  after: ReadonlyMap<string, string>;
  /** Paths of the drifted documents to take back to their committed text (absent at HEAD = portal-created). */
  revertPaths: ReadonlySet<string>;
}

/**
 * Pure: the desired state of a self-heal. Every document as exported (the tenant as it is: drift of
 * `commit` and `pr` kinds is being recorded, not undone), except the reverted ones, which take their
 * text at HEAD; a reverted document absent at HEAD is left out, so the object shows as unmanaged
 * (or deleted under `prune`). Planning this against the tenant yields the reverts and, when an
 * object must be re-created with a new id, the updates that repoint the objects referencing it.
 */
export function revertDesired(input: RevertDesiredInput): { documents: SourcedDocument[]; diagnostics: Diagnostic[] } {
  const documents: SourcedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const paths = [...new Set([...input.before.keys(), ...input.after.keys()])].sort();
  for (const path of paths) {
    if (!parseDocumentPath(input.folder, path)) continue;
    const fromHead = input.revertPaths.has(path);
    const text = fromHead ? input.before.get(path) : input.after.get(path);
    if (text === undefined) continue;
    const parsed = parseDocumentText(text, fromHead ? `${path}@HEAD` : path, { checkLocation: false });
    diagnostics.push(...parsed.diagnostics);
    if (parsed.document) documents.push(parsed.document);
  }
  return { documents, diagnostics };
}


/**
 * Pure: the part of a plan that reverts `targets`: their own changes and unmanaged entries, plus
 * writes of other objects that wait for a target (created or restored in the same plan) or name it
 * in a reference (repointing to a re-created object). Guards must be run again on the result;
 * its findings are cleared here.
 */
export function focusRevert(plan: Plan, targets: ReadonlySet<Address>): Plan {
  const references = new Set<string>();
  for (const change of plan.changes) {
    const prefix = prefixOfKind(change.kind);
    if (targets.has(change.address) && prefix) references.add(formatReference(prefix, change.name));
  }
  const changes = plan.changes.filter(
    (change) =>
      targets.has(change.address) ||
      (change.action !== "noop" && (change.dependsOn.some((d) => targets.has(d)) || change.references.some((r) => references.has(r)))),
  );
  const kept = new Set<Address>(changes.map((c) => c.address));
  const unmanaged = plan.unmanaged.filter((u) => targets.has(u.address));
  const diagnostics = plan.diagnostics.filter((d) => d.address === undefined || kept.has(d.address));
  return { ...plan, changes, unmanaged, guards: [], overrides: [], diagnostics, summary: summarize(changes, unmanaged, [], diagnostics) };
}
