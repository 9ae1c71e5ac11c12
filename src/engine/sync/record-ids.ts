import type { FileChange } from "../../git/commit-files.js";
import type { Address } from "../../kinds/kind-names.js";
import type { ObjectResult } from "../apply/apply.js";

export interface RecreatedId {
  address: Address;
  path: string;
  oldId?: string;
  newId: string;
}

/**
 * Pure: after a self-heal, the committed documents of objects that had to be re-created (Graph
 * gave them a new id) with that id written in, so the next sync does not see the id as drift.
 * Only the top-level `id:` line changes (added after `name:` when missing); the spec is untouched.
 */
export function recordRecreatedIds(
  results: readonly ObjectResult[],
  pathOf: ReadonlyMap<Address, string>,
  committed: ReadonlyMap<string, string>,
): { files: FileChange[]; ids: RecreatedId[] } {
  const files: FileChange[] = [];
  const ids: RecreatedId[] = [];
  for (const result of results) {
    if (result.action !== "create" || result.status !== "done" || !result.id) continue;
    const path = pathOf.get(result.address);
    const text = path ? committed.get(path) : undefined;
    if (!path || text === undefined) continue;
    const current = /^id:[ \t]*["']?([^"'\s#]+)["']?[ \t]*(?:#.*)?$/m.exec(text)?.[1];
    if (current === result.id) continue;
    const line = `id: ${result.id}`;
    const updated = current !== undefined ? text.replace(/^id:.*$/m, line) : text.replace(/^(name:.*)$/m, `$1\n${line}`);
    if (updated === text) continue;
    files.push({ path, content: updated });
    ids.push({ address: result.address, path, ...(current !== undefined ? { oldId: current } : {}), newId: result.id });
  }
  return { files, ids };
}

/** Commit message for the id bookkeeping commit. */
export function recreatedIdsMessage(ids: readonly RecreatedId[]): string {
  const lines = ids.map((i) => `${i.address}: ${i.oldId ?? "(none)"} -> ${i.newId}`);
  return [
    `Self-heal: record the new id of ${ids.length} re-created object(s)`,
    "",
    "Drift of these objects was reverted (drift policy revert); Graph could not restore them with",
    "their id, so they were re-created. Only the id changes; the documents are as committed.",
    "",
    ...lines,
    "",
  ].join("\n");
}
