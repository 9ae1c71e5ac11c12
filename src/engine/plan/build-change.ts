import type { EntraDocument, JsonObject } from "../../model/document.js";
import { address, type Address } from "../../model/kind.js";
import { keepNonClearable, nonClearable } from "../../kinds/non-clearable.js";
import type { PlanKind } from "./catalog.js";
import { fieldDiff, type ArrayRules } from "../../model/field-diff.js";
import { fillAbsent, overlayPaths, withoutEmpty, withoutPaths } from "./spec-paths.js";
import type { AbsentFields, DeletedItem, FieldChange, LiveObject, PlanChange } from "../../model/plan.js";

export interface CompareRules {
  kind: PlanKind;
  /** Parsed ignoreDifferences paths for this kind (its own and `*`). */
  ignore: readonly string[][];
  absentFields: AbsentFields;
}

const rulesByKind = new WeakMap<PlanKind, ArrayRules>();

function arrayRules(kind: PlanKind): ArrayRules {
  let rules = rulesByKind.get(kind);
  if (!rules) {
    // Members and owners are sets too: one added member is one `+` line, not the array twice.
    rules = { setArrays: [...kind.setArrays, ...(kind.relationships ?? []).map((r) => r.property)], arrayKeys: kind.arrayKeys ?? {}, createOnly: kind.createOnly };
    rulesByKind.set(kind, rules);
  }
  return rules;
}

/**
 * The document's spec with what it leaves out and means to keep taken from `live`: every absent
 * field when `absentFields` is `keep`, else only the properties Graph cannot clear
 * (`kinds/non-clearable.ts`: leaving those out can never make them absent in the tenant).
 */
function withKeptFields(desired: JsonObject, live: JsonObject, rules: CompareRules): JsonObject {
  return rules.absentFields === "keep" ? fillAbsent(desired, live) : keepNonClearable(desired, live, nonClearable(rules.kind));
}

/** Differences from a live spec to a document's spec, after ignore rules, absent-field policy and empty values. */
export function compareSpecs(live: JsonObject, desired: JsonObject, rules: CompareRules): FieldChange[] {
  const liveView = withoutPaths(live, rules.ignore);
  const desiredView = withKeptFields(withoutPaths(desired, rules.ignore), liveView, rules);
  return fieldDiff(withoutEmpty(liveView), withoutEmpty(desiredView), arrayRules(rules.kind));
}

/** The spec an update writes: the document, with ignored fields (and kept absent ones) as live. */
export function resultingSpec(live: JsonObject, desired: JsonObject, rules: CompareRules): JsonObject {
  return overlayPaths(withKeptFields(desired, live, rules), live, rules.ignore);
}

const base = (doc: { kind: PlanKind["kind"]; name: string }): { address: Address; kind: PlanKind["kind"]; name: string; dependsOn: Address[]; references: string[]; notes: string[] } => ({
  address: address(doc.kind, doc.name),
  kind: doc.kind,
  name: doc.name,
  dependsOn: [],
  references: [],
  notes: [],
});

export function matchedChange(desired: EntraDocument, actual: LiveObject, rules: CompareRules): PlanChange {
  const fields = compareSpecs(actual.spec, desired.spec, rules);
  if (fields.length === 0) return { action: "noop", address: address(desired.kind, desired.name), kind: desired.kind, name: desired.name, id: actual.id };
  const createOnly = [...new Set(fields.filter((f) => f.createOnly).map((f) => f.path))];
  const after = resultingSpec(actual.spec, desired.spec, rules);
  // Two PATCHes when Graph refuses to go there in one (apply sends the same `stagedUpdate` first).
  const staged = rules.kind.stagedUpdateNote?.(changedTopLevel(after, fields), actual.spec);
  return {
    ...base(desired),
    ...(staged ? { notes: [`step 1: ${staged}; step 2: update`] } : {}),
    action: "update",
    id: actual.id,
    before: actual.spec,
    after,
    fields,
    ...(createOnly.length ? { replace: { fields: createOnly } } : {}),
  };
}

/** `after` restricted to the top-level properties the field changes touch (what the update writes). */
function changedTopLevel(after: JsonObject, fields: readonly FieldChange[]): JsonObject {
  const keys = new Set(fields.map((f) => f.path.split(/[.[/]/)[0] ?? f.path));
  const out: JsonObject = {};
  for (const key of keys) out[key] = after[key] ?? null;
  return out;
}

export function createChange(desired: EntraDocument, notes: readonly string[]): PlanChange {
  return { ...base(desired), notes: [...notes], action: "create", after: desired.spec };
}

export function restoreChange(desired: EntraDocument, deleted: DeletedItem, rules: CompareRules): PlanChange {
  // Without the deleted object's properties every field of the document is (re)written after restore.
  const fields = compareSpecs(deleted.spec ?? {}, desired.spec, rules);
  const after = deleted.spec ? resultingSpec(deleted.spec, desired.spec, rules) : desired.spec;
  return {
    ...base(desired),
    action: "restore",
    id: deleted.id,
    ...(deleted.deletedDateTime ? { deletedDateTime: deleted.deletedDateTime } : {}),
    ...(deleted.spec ? { before: deleted.spec } : {}),
    after,
    fields,
    notes: [
      `soft-deleted${deleted.deletedDateTime ? ` on ${deleted.deletedDateTime}` : ""}: restored with its id, then updated to match the document${deleted.spec ? "" : " (its deleted properties were not read, so every field is written)"}`,
    ],
  };
}

export function deleteChange(actual: LiveObject, name: string, notes: readonly string[] = []): PlanChange {
  return { ...base({ kind: actual.kind, name }), notes: [...notes], action: "delete", id: actual.id, before: actual.spec };
}
