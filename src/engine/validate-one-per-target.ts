/**
 * Links a target holds at most one of (`Relationship.onePerTarget`: one token lifetime policy per
 * application, one app management policy per application or service principal; docs/graph-behaviour.md,
 * "Policy assignments"): two documents of a kind naming the same target are an error at validate and
 * plan, before anything is written, rather than a refusal half-way through apply.
 */
import type { Diagnostic, SourcedDocument } from "../model/document.js";
import { getKind } from "../kinds/registry.js";

export function onePerTargetDiagnostics(documents: readonly SourcedDocument[]): Diagnostic[] {
  const first = new Map<string, SourcedDocument>();
  const out: Diagnostic[] = [];
  for (const doc of documents) {
    for (const relationship of getKind(doc.kind).relationships ?? []) {
      if (!relationship.onePerTarget) continue;
      const values = doc.spec[relationship.property];
      if (!Array.isArray(values)) continue;
      values.forEach((value, i) => {
        if (typeof value !== "string") return;
        const key = `${doc.kind}\u0000${relationship.property}\u0000${value.toLowerCase()}`;
        const holder = first.get(key);
        if (!holder) {
          first.set(key, doc);
          return;
        }
        if (holder === doc) return;
        const pos = doc.positionOf(["spec", relationship.property, i]) ?? { line: 1, column: 1 };
        out.push({
          severity: "error",
          file: doc.file,
          ...pos,
          path: `spec.${relationship.property}[${i}]`,
          message: `${value} is in the ${relationship.property} of ${doc.kind}/${holder.name} too: Graph assigns at most one ${getKind(doc.kind).title} to it`,
        });
      });
    }
  }
  return out;
}
