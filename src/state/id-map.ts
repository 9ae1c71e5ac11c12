/**
 * The per-environment id map (`.entra-gitops/state/<env>/ids.yaml`): which tenant object each
 * document stands for in that environment's tenant, by address `KIND/NAME`. Ids are tenant state,
 * not configuration: one shared document serves every environment, and each environment keeps its
 * own ids here (written by `export` and `sync`, read by `plan`, `apply`, `drift` and `restore`).
 */
import type { Diagnostic, EntraDocument } from "../model/document.js";
import { readStateText, writeStateText } from "./state-file.js";
import { address } from "../model/kind.js";
import { formatAddressMap, parseAddressMap, patchAddressMapText } from "./address-map-file.js";
import { EditedIdMap } from "./edited-id-map.js";
import { SortedIdMap } from "./sorted-id-map.js";
import { stateEnvironment } from "./paths.js";

/** Address `KIND/NAME` → object id in one environment's tenant. */
export type IdMap = Map<string, string>;

export class StateFileError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[],
  ) {
    super(message);
    this.name = "StateFileError";
  }
}

/** `canonical`: the text is exactly `formatIdMap`'s for these ids, but perhaps another environment's header. */
export function parseIdMap(text: string, file: string): { ids: IdMap; diagnostics: Diagnostic[]; canonical: boolean } {
  const { entries, diagnostics, canonical } = parseAddressMap<string>(text, file, (value) =>
    typeof value === "string" && value.length > 0 && !/\s/.test(value) ? undefined : "an object id must be a non-empty string without spaces",
  );
  return { ids: entries, diagnostics, canonical: canonical === true };
}

/**
 * The map of a committed text as `parseIdMap` reads it, without building a map when the text is
 * canonical: then it is looked up in place (`SortedIdMap`, README "Incremental sync").
 */
export function idMapOfText(text: string, file: string): { ids: ReadonlyMap<string, string>; diagnostics: Diagnostic[]; canonical: boolean } {
  const sorted = SortedIdMap.of(text);
  return sorted ? { ids: sorted, diagnostics: [], canonical: true } : parseIdMap(text, file);
}

/** An id map as read from its text (`parseIdMap`): `formatIdMap` of edits over it changes only their lines. */
export interface IdMapText {
  ids: ReadonlyMap<string, string>;
  text: string | undefined;
  canonical: boolean;
}

function header(environment: string | undefined): string[] {
  return [
    `Object ids of environment "${stateEnvironment(environment)}" in its tenant, by document address KIND/NAME.`,
    "Written by entra-gitops export and sync; tenant state, never copied to another environment.",
  ];
}

/**
 * The map's text. When `ids` is an `EditedIdMap` over the map `from` was read from, only the
 * edited lines of `from`'s text change (the same bytes, without sorting 100,000 addresses again).
 */
export function formatIdMap(ids: ReadonlyMap<string, string>, environment: string | undefined, from?: IdMapText): string {
  if (from?.canonical && from.text !== undefined && ids instanceof EditedIdMap && ids.base === from.ids) {
    const patched = patchAddressMapText(from.text, header(environment), ids.edits);
    if (patched !== undefined) return patched;
  }
  return formatAddressMap(ids, header(environment));
}

/** The map in `file`; empty when the file does not exist. Invalid content throws `StateFileError`. */
export async function readIdMap(file: string): Promise<IdMap> {
  const text = await readStateText(file);
  if (text === undefined) return new Map();
  const { ids, diagnostics } = parseIdMap(text, file);
  if (diagnostics.some((d) => d.severity === "error")) throw new StateFileError(`${file} is not a valid id map`, diagnostics);
  return ids;
}

/** The map in `file` as `readIdMap` reads it, looked up in place when its text is canonical (`idMapOfText`). */
export async function readIdMapInPlace(file: string): Promise<ReadonlyMap<string, string>> {
  const text = await readStateText(file);
  if (text === undefined) return new Map();
  const { ids, diagnostics } = idMapOfText(text, file);
  if (diagnostics.some((d) => d.severity === "error")) throw new StateFileError(`${file} is not a valid id map`, diagnostics);
  return ids;
}

/** Writes the map atomically; false when the file already held exactly this text. */
export async function writeIdMap(file: string, ids: ReadonlyMap<string, string>, environment: string | undefined): Promise<boolean> {
  return writeStateText(file, formatIdMap(ids, environment));
}

/** Ids that documents still carry in an `id:` line (repositories from before the id map). */
export function idsInDocuments(documents: readonly EntraDocument[]): IdMap {
  const ids: IdMap = new Map();
  for (const doc of documents) if (doc.id !== undefined) ids.set(address(doc.kind, doc.name), doc.id);
  return ids;
}

/**
 * The documents with this environment's ids: the map's id when it has one, else the id the
 * document still carries (compatibility with repositories not migrated yet), else none (matched by
 * natural key in the tenant).
 */
export function withEnvironmentIds<T extends EntraDocument>(documents: readonly T[], ids: ReadonlyMap<string, string>): T[] {
  return documents.map((doc) => {
    const id = ids.get(address(doc.kind, doc.name));
    return id === undefined || id === doc.id ? doc : { ...doc, id };
  });
}

/** Existing document names by kind and id, so a re-export keeps every file name. */
export function namesFromIds(ids: ReadonlyMap<string, string>): Map<string, Map<string, string>> {
  const names = new Map<string, Map<string, string>>();
  for (const [key, id] of ids) {
    const slash = key.indexOf("/");
    const kind = key.slice(0, slash);
    let byId = names.get(kind);
    if (!byId) names.set(kind, (byId = new Map()));
    byId.set(id, key.slice(slash + 1));
  }
  return names;
}
