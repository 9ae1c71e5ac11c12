/**
 * A link one kind's document holds instead of another object's document (`KindDescriptor.heldLink`:
 * a time-bound group membership is the `groupAssignmentSchedule`'s): the same link also listed in
 * that object's document (the group's `members`) is an error at validate and plan, so each
 * membership is in exactly one document (README "Time-bound active membership and ownership of
 * groups"); apply would otherwise add a member Graph already lists, and every plan show it again.
 */
import type { Diagnostic, SourcedDocument } from "../model/document.js";
import { getKind } from "../kinds/registry.js";
import { referenceName } from "../kinds/common.js";

export function heldLinkDiagnostics(documents: readonly SourcedDocument[]): Diagnostic[] {
  const byAddress = new Map(documents.map((doc) => [`${doc.kind}/${doc.name}`.toLowerCase(), doc]));
  const out: Diagnostic[] = [];
  for (const doc of documents) {
    const held = getKind(doc.kind).heldLink;
    if (!held) continue;
    const property = held.relationship(doc.spec);
    const target = doc.spec[held.target];
    const holder = byAddress.get(`${held.kind}/${referenceName(doc.spec[held.object])}`.toLowerCase());
    const links = property === undefined ? undefined : holder?.spec[property];
    if (!holder || typeof target !== "string" || !Array.isArray(links)) continue;
    if (!links.some((link) => typeof link === "string" && link.toLowerCase() === target.toLowerCase())) continue;
    const pos = doc.positionOf(["spec", held.target]) ?? { line: 1, column: 1 };
    out.push({
      severity: "error",
      file: doc.file,
      ...pos,
      path: `spec.${held.target}`,
      message: `${target} is in the ${String(property)} of ${held.kind}/${holder.name} too: a membership is in one document (this one while it has an end; remove it from ${held.kind}/${holder.name}, or remove this document for a permanent one)`,
    });
  }
  return out;
}
