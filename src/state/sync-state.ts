/**
 * The per-environment sync state (`.entra-gitops/state/<env>/sync.yaml`, README "Sync state"):
 * the changes `sync` holds back because their directory audit entry has not arrived yet, each by
 * document address with a hash of the exported text and the time a sync first saw it. Committed by
 * the bot with the drift commits (or alone), so a fresh CI clone continues where the last run
 * stopped (ARCHITECTURE.md "Git and sync").
 */
import { createHash } from "node:crypto";
import { Document } from "yaml";
import type { Diagnostic, JsonValue } from "../model/document.js";
import { parseYamlText } from "../documents/yaml-source.js";
import { isKind, parseAddress } from "../model/kind.js";
import type { Kind } from "../model/kind.js";
import { stateEnvironment } from "./paths.js";

export const SYNC_STATE_FILE = "sync.yaml";

/** A change seen by a sync and not committed yet: no audit entry explained it so far. */
export interface PendingChange {
  /** `contentHash` of the exported text (`deleted` for a deletion): another edit restarts the wait. */
  hash: string;
  /** When a sync first saw the change with this hash (ISO 8601). */
  firstSeen: string;
  /** Start of that sync's audit window (ISO 8601): later runs read the audit log from here at the latest. */
  since: string;
}

/**
 * Where the last read of the tenant stopped (README "Incremental sync"): a delta link per directory
 * kind, the time of that read (the next one reads the audit log from there, less its lag) and of
 * the last full read. Delta links are Graph URLs with an opaque token: no secret.
 */
export interface ReadState {
  /** When the last read (full or incremental) started (ISO 8601). */
  at: string;
  /** When the last full read started (ISO 8601). */
  fullAt: string;
  /** Kind → the deltaLink to continue from. */
  deltaLinks: Map<Kind, string>;
  /** What the run that recorded this read found checking the committed folder and id map (absent: nothing recorded). */
  checked?: CheckedContent;
}

/**
 * Facts about committed content, by git object id (README "Incremental sync"): the id map of blob
 * `idMap` is canonical (sorted plain lines) with `entries` entries, and, but for the kinds in
 * `listedKinds`, holds an id for exactly the documents of the folder of tree `folderTree` (none
 * without an id, no id without its document). The listed kinds (singletons, which have no id, and
 * any kind where the two differ) are listed from git each time. `lowerCaseIds`: no id of the map
 * has an upper-case letter (false: not known). A later run checks only what git changed since these
 * objects instead of walking every document and id.
 */
export interface CheckedContent {
  folderTree: string;
  idMap: string;
  entries: number;
  lowerCaseIds: boolean;
  listedKinds: Kind[];
}

export interface SyncState {
  pending: Map<string, PendingChange>;
  /** Absent: no read recorded yet (the next sync reads everything). */
  read?: ReadState;
}

/** The hash a pending change is recorded with: sha256 of the exported text, or `deleted`. */
export function contentHash(text: string | null): string {
  return text === null ? "deleted" : `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

export function emptySyncState(): SyncState {
  return { pending: new Map() };
}

/** Reads the file's text; every problem is a diagnostic naming the file, line and field. */
export function parseSyncState(text: string, file: string): { state: SyncState; diagnostics: Diagnostic[] } {
  const state = emptySyncState();
  if (/^(\s*#.*\n?)*\s*$/.test(text)) return { state, diagnostics: [] };
  const parsed = parseYamlText(text, file);
  const diagnostics = [...parsed.diagnostics];
  const root = parsed.value as JsonValue | undefined;
  if (root === undefined) return { state, diagnostics };
  if (!isObject(root)) return { state, diagnostics: [...diagnostics, { severity: "error", file, line: 1, message: "the sync state must be a mapping with a `pending` key" }] };
  for (const key of Object.keys(root)) {
    if (key !== "pending" && key !== "read") diagnostics.push({ severity: "error", file, ...(parsed.positionOf([key], "key") ?? {}), path: key, message: `unknown key "${key}" (expected: pending, read)` });
  }
  const read = parseReadState(root.read, file, parsed.positionOf, diagnostics);
  if (read) state.read = read;
  const pending = root.pending;
  if (pending === undefined || pending === null) return { state, diagnostics };
  if (!isObject(pending)) return { state, diagnostics: [...diagnostics, { severity: "error", file, ...(parsed.positionOf(["pending"], "value") ?? {}), path: "pending", message: "pending must be a mapping of document addresses" }] };
  for (const [address, value] of Object.entries(pending)) {
    const at = (path: string[], which: "key" | "value"): { line?: number; column?: number } => parsed.positionOf(path, which) ?? {};
    if (!parseAddress(address)) {
      diagnostics.push({ severity: "error", file, ...at(["pending", address], "key"), path: `pending.${address}`, message: `"${address}" is not a document address KIND/NAME` });
      continue;
    }
    if (!isObject(value)) {
      diagnostics.push({ severity: "error", file, ...at(["pending", address], "value"), path: `pending.${address}`, message: "must be a mapping with hash, firstSeen and since" });
      continue;
    }
    const problems: string[] = [];
    const field = (name: "hash" | "firstSeen" | "since", time: boolean): string | undefined => {
      const v = value[name];
      if (typeof v !== "string" || v === "" || (time && Number.isNaN(Date.parse(v)))) {
        problems.push(name);
        diagnostics.push({
          severity: "error",
          file,
          ...at(["pending", address, name], v === undefined ? "key" : "value"),
          path: `pending.${address}.${name}`,
          message: time ? `${name} must be an ISO 8601 time` : `${name} must be a non-empty string`,
        });
        return undefined;
      }
      return v;
    };
    const hash = field("hash", false);
    const firstSeen = field("firstSeen", true);
    const since = field("since", true);
    if (hash && firstSeen && since && problems.length === 0) state.pending.set(address, { hash, firstSeen, since });
  }
  return { state, diagnostics };
}

type PositionOf = (path: string[], which: "key" | "value") => { line?: number; column?: number } | undefined;

function parseReadState(value: JsonValue | undefined, file: string, positionOf: PositionOf, diagnostics: Diagnostic[]): ReadState | undefined {
  if (value === undefined || value === null) return undefined;
  const at = (path: string[], which: "key" | "value"): { line?: number; column?: number } => positionOf(path, which) ?? {};
  const problem = (path: string[], which: "key" | "value", message: string): undefined => {
    diagnostics.push({ severity: "error", file, ...at(path, which), path: path.join("."), message });
    return undefined;
  };
  if (!isObject(value)) return problem(["read"], "value", "read must be a mapping with at, fullAt and deltaLinks");
  let ok = true;
  for (const key of Object.keys(value)) {
    if (!["at", "fullAt", "deltaLinks", "checked"].includes(key)) ok = problem(["read", key], "key", `unknown key "${key}" (expected: at, fullAt, deltaLinks, checked)`) ?? false;
  }
  const time = (name: "at" | "fullAt"): string | undefined => {
    const v = value[name];
    if (typeof v === "string" && !Number.isNaN(Date.parse(v))) return v;
    ok = false;
    return problem(["read", name], v === undefined ? "key" : "value", `${name} must be an ISO 8601 time`);
  };
  const readAt = time("at");
  const fullAt = time("fullAt");
  const deltaLinks = new Map<Kind, string>();
  const links = value.deltaLinks;
  if (links !== undefined && links !== null) {
    if (!isObject(links)) {
      ok = problem(["read", "deltaLinks"], "value", "deltaLinks must be a mapping of kind to deltaLink") ?? false;
    } else {
      for (const [kind, link] of Object.entries(links)) {
        if (!isKind(kind)) ok = problem(["read", "deltaLinks", kind], "key", `"${kind}" is not a kind`) ?? false;
        else if (typeof link !== "string" || !/^https:\/\/\S+$/.test(link)) ok = problem(["read", "deltaLinks", kind], "value", "a deltaLink must be an https URL") ?? false;
        else deltaLinks.set(kind, link);
      }
    }
  }
  const checked = parseChecked(value.checked, (path, which, message) => (ok = problem(["read", "checked", ...path], which, message) ?? false));
  return ok && readAt && fullAt ? { at: readAt, fullAt, deltaLinks, ...(checked ? { checked } : {}) } : undefined;
}

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

function parseChecked(value: JsonValue | undefined, problem: (path: string[], which: "key" | "value", message: string) => void): CheckedContent | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    problem([], "value", "checked must be a mapping with folderTree, idMap, entries, lowerCaseIds and listedKinds");
    return undefined;
  }
  let ok = true;
  const fail = (path: string[], which: "key" | "value", message: string): void => {
    ok = false;
    problem(path, which, message);
  };
  for (const key of Object.keys(value)) {
    if (!["folderTree", "idMap", "entries", "lowerCaseIds", "listedKinds"].includes(key)) fail([key], "key", `unknown key "${key}" (expected: folderTree, idMap, entries, lowerCaseIds, listedKinds)`);
  }
  const { folderTree, idMap, entries, lowerCaseIds, listedKinds } = value;
  for (const [name, id] of [["folderTree", folderTree], ["idMap", idMap]] as const) {
    if (typeof id !== "string" || !OBJECT_ID.test(id)) fail([name], id === undefined ? "key" : "value", `${name} must be a git object id`);
  }
  if (typeof entries !== "number" || !Number.isInteger(entries) || entries < 1) fail(["entries"], entries === undefined ? "key" : "value", "entries must be a positive integer");
  if (typeof lowerCaseIds !== "boolean") fail(["lowerCaseIds"], lowerCaseIds === undefined ? "key" : "value", "lowerCaseIds must be true or false");
  const kinds: Kind[] = [];
  if (!Array.isArray(listedKinds)) fail(["listedKinds"], listedKinds === undefined ? "key" : "value", "listedKinds must be a list of kinds");
  else {
    for (const kind of listedKinds) {
      if (typeof kind === "string" && isKind(kind)) kinds.push(kind);
      else fail(["listedKinds"], "value", `"${String(kind)}" is not a kind`);
    }
  }
  return ok ? { folderTree: folderTree as string, idMap: idMap as string, entries: entries as number, lowerCaseIds: lowerCaseIds as boolean, listedKinds: kinds } : undefined;
}

/** The file's text: a comment header, then the pending changes sorted by address, then the read state. */
export function formatSyncState(state: SyncState, environment: string | undefined): string {
  const header = [
    `# Sync state of environment "${stateEnvironment(environment)}": changes held back until their audit entry`,
    "# arrives or the grace period (sync.auditGrace) passes, and where the last read of the tenant",
    "# stopped (delta links). Written by entra-gitops sync; do not edit.",
  ].join("\n");
  const pending: Record<string, JsonValue> = {};
  for (const address of [...state.pending.keys()].sort()) {
    const p = state.pending.get(address);
    if (p) pending[address] = { hash: p.hash, firstSeen: p.firstSeen, since: p.since };
  }
  const root: Record<string, JsonValue> = { pending };
  if (state.read) {
    const links: Record<string, JsonValue> = {};
    for (const kind of [...state.read.deltaLinks.keys()].sort()) links[kind] = state.read.deltaLinks.get(kind) ?? "";
    const checked = state.read.checked;
    root.read = {
      at: state.read.at,
      fullAt: state.read.fullAt,
      deltaLinks: links,
      ...(checked ? { checked: { folderTree: checked.folderTree, idMap: checked.idMap, entries: checked.entries, lowerCaseIds: checked.lowerCaseIds, listedKinds: [...checked.listedKinds] } } : {}),
    };
  }
  if (Object.keys(pending).length === 0 && !state.read) return `${header}\npending: {}\n`;
  const body = new Document(root, { version: "1.2" }).toString({ lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: true });
  return `${header}\n${body.endsWith("\n") ? body : `${body}\n`}`;
}

function isObject(value: JsonValue | undefined): value is Record<string, JsonValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
