import type { EntraDocument } from "../../model/document.js";
import { address, type Kind } from "../../model/kind.js";
import type { PlanKind } from "./catalog.js";
import { valuesAt } from "./references.js";
import type { DeletedItem, LiveObject, PlanDiagnostic } from "../../model/plan.js";

/** A document and the tenant object it stands for (gitops-engine's target/live pair). */
export type Pairing =
  | { type: "matched"; desired: EntraDocument; actual: LiveObject; via: "id" | "naturalKey" | "singleton" }
  | { type: "create"; desired: EntraDocument; notes: string[] }
  | { type: "restore"; desired: EntraDocument; deleted: DeletedItem }
  | { type: "orphan"; actual: LiveObject };

export interface PairInput {
  kind: PlanKind;
  desired: readonly EntraDocument[];
  actual: readonly LiveObject[];
  deleted: readonly DeletedItem[];
}

const lower = (s: string): string => s.toLowerCase();

/**
 * The natural key of a spec, compared case-insensitively (Entra display names are). A key joined
 * with `+` (role assignments) is the parts joined with `|`; undefined when a part is missing.
 */
export function naturalKeyOf(spec: EntraDocument["spec"], kind: PlanKind): string | undefined {
  const parts: string[] = [];
  for (const property of kind.naturalKey.split("+")) {
    const raw = spec[property] ?? valuesAt(spec, property.split("."))[0];
    if (typeof raw !== "string" || raw.length === 0) return undefined;
    parts.push(lower(raw));
  }
  return parts.join("|");
}

/**
 * Pairs one kind's documents with its live objects: by id when the document's id exists live,
 * else by natural key. Ambiguity is an error that names every candidate, never a guess.
 */
export function pairKind(input: PairInput, diagnostics: PlanDiagnostic[]): Pairing[] {
  const { kind } = input;
  const desired = dedupeNames(input.desired, kind.kind, diagnostics);
  if (kind.singleton) return pairSingleton(kind.kind, desired, input.actual, diagnostics);

  const out: Pairing[] = [];
  const liveById = new Map(input.actual.map((o) => [lower(o.id), o]));
  const deletedById = new Map(input.deleted.map((d) => [lower(d.id), d]));
  const taken = new Map<string, EntraDocument>();
  const pending: { doc: EntraDocument; notes: string[] }[] = [];

  for (const doc of desired) {
    const id = doc.id === undefined ? undefined : lower(doc.id);
    const live = id === undefined ? undefined : liveById.get(id);
    if (id !== undefined && live) {
      const other = taken.get(id);
      if (other) {
        diagnostics.push(error("duplicate-id", kind.kind, doc.name, `documents ${address(kind.kind, other.name)} and ${address(kind.kind, doc.name)} both have id ${doc.id}`));
        continue;
      }
      taken.set(id, doc);
      out.push({ type: "matched", desired: doc, actual: live, via: "id" });
      continue;
    }
    const deleted = id === undefined ? undefined : deletedById.get(id);
    if (deleted) {
      out.push({ type: "restore", desired: doc, deleted });
      continue;
    }
    pending.push({ doc, notes: id === undefined ? [] : [`id ${doc.id} does not exist in the tenant (nor among its deleted items); matched by ${kind.naturalKey}`] });
  }

  const remaining = input.actual.filter((o) => !taken.has(lower(o.id)));
  const byKey = new Map<string, LiveObject[]>();
  for (const live of remaining) {
    const key = naturalKeyOf(live.spec, kind);
    if (key === undefined) continue;
    const list = byKey.get(key) ?? [];
    list.push(live);
    byKey.set(key, list);
  }
  const claimedBy = new Map<string, EntraDocument>();
  for (const { doc, notes } of pending) {
    const key = naturalKeyOf(doc.spec, kind);
    const candidates = key === undefined ? [] : (byKey.get(key) ?? []);
    if (candidates.length > 1) {
      const named = candidates.map((c) => `${c.id} (${address(kind.kind, c.name)})`).join(" and ");
      diagnostics.push(error("ambiguous-match", kind.kind, doc.name, `${kind.naturalKey} "${typeof doc.spec[kind.naturalKey] === "string" ? String(doc.spec[kind.naturalKey]) : key}" matches ${candidates.length} tenant objects: ${named}; add the right id to the document`));
      for (const c of candidates) taken.set(lower(c.id), doc);
      continue;
    }
    const live = candidates[0];
    if (!live) {
      out.push({ type: "create", desired: doc, notes: notes.length ? [`${notes[0]}: no match, a new object is created`] : [] });
      continue;
    }
    const other = claimedBy.get(lower(live.id));
    if (other) {
      diagnostics.push(error("ambiguous-match", kind.kind, doc.name, `documents ${address(kind.kind, other.name)} and ${address(kind.kind, doc.name)} both match tenant object ${live.id} by ${kind.naturalKey}`));
      continue;
    }
    claimedBy.set(lower(live.id), doc);
    taken.set(lower(live.id), doc);
    out.push({ type: "matched", desired: doc, actual: live, via: "naturalKey" });
  }
  for (const live of input.actual) if (!taken.has(lower(live.id))) out.push({ type: "orphan", actual: live });
  return out;
}

function pairSingleton(kind: Kind, desired: readonly EntraDocument[], actual: readonly LiveObject[], diagnostics: PlanDiagnostic[]): Pairing[] {
  if (desired.length > 1) {
    diagnostics.push(error("duplicate-singleton", kind, undefined, `${kind} exists once per tenant but ${desired.length} documents describe it: ${desired.map((d) => address(kind, d.name)).join(", ")}`));
    return [];
  }
  const doc = desired[0];
  const live = actual[0];
  if (doc && live) return [{ type: "matched", desired: doc, actual: live, via: "singleton" }];
  if (doc) {
    diagnostics.push(error("singleton-not-read", kind, doc.name, `${kind} was not read from the tenant, so it cannot be compared`));
    return [];
  }
  return live ? [{ type: "orphan", actual: live }] : [];
}

function dedupeNames(docs: readonly EntraDocument[], kind: Kind, diagnostics: PlanDiagnostic[]): EntraDocument[] {
  const seen = new Set<string>();
  const out: EntraDocument[] = [];
  for (const doc of [...docs].sort((a, b) => compareNames(a.name, b.name))) {
    if (seen.has(doc.name)) {
      diagnostics.push(error("duplicate-name", kind, doc.name, `more than one document is named ${address(kind, doc.name)}`));
      continue;
    }
    seen.add(doc.name);
    out.push(doc);
  }
  return out;
}

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function error(code: string, kind: Kind, name: string | undefined, message: string): PlanDiagnostic {
  return name === undefined ? { severity: "error", code, message } : { severity: "error", code, address: address(kind, name), message };
}
