/**
 * What an incremental sync reads (README "Incremental sync", docs/design.md §1): directory kinds by
 * delta from the links the sync state recorded, plus the objects the audit log names since the last
 * read (owner changes, which no delta reports) and those still held back; kinds with no delta
 * (policies, role assignments, singletons) whole when they are small or when the audit log names
 * them; the documents git changed since the read was recorded (a merge, applied or not); and the
 * documents that name a principal deleted or renamed since, so their references change as a full
 * read would change them. Anything that cannot be read this way (no state yet, a
 * kind without a link, an expired token, no audit log) is a full read, with the reason.
 */
import type { JsonValue } from "../../model/document.js";
import { auditNames } from "../../kinds/descriptor-read.js";
import { GraphError } from "../../graph/errors.js";
import type { GraphGateway } from "../../graph/types.js";
import type { Kind } from "../../model/kind.js";
import { parseAddress } from "../../model/kind.js";
import { getKind, prefixOfKind } from "../../kinds/registry.js";
import type { KindDescriptor } from "../../kinds/types.js";
import type { ReadState } from "../../state/sync-state.js";
import type { DirectoryAudit } from "./audit-entry.js";
import { AUDIT_LAG_MS, readAudits } from "./audit-window.js";

/** Whether Graph has delta for a kind (docs/graph-behaviour.md §7): its descriptor says `delta`. */
export function hasDelta(kind: Kind): boolean {
  return getKind(kind).delta === true;
}

/** A kind without delta with at most this many documents is simply read again: a page or two. */
export const SMALL_KIND = 100;

/** Delta tokens live 7 days (§7); a full read at least this often also refreshes every display-name comment. */
export const FULL_READ_EVERY_MS = 7 * 24 * 60 * 60 * 1000;

export type ReadDecision =
  | { mode: "full"; reason: string }
  | {
      mode: "incremental";
      /** Delta kinds: the ids to read again (new, changed, named by the audit log, held back, referring). */
      objects: Map<Kind, Set<string>>;
      /** Delta kinds: ids delta reported removed (their documents go, their ids name nothing). */
      removed: Map<Kind, Set<string>>;
      /** Kinds read whole, with why. */
      whole: Map<Kind, string>;
      /**
       * Non-delta kinds the audit log names (or with a change held back or made in git since): a
       * kind's stream properties (branding images, 7 reads per object) are read again only then.
       */
      named: Set<Kind>;
      /** The links to record once the read succeeded. */
      links: Map<Kind, string>;
      /** Delta items, requests and audit entries seen, for the report. */
      deltaItems: number;
    };

export interface IncrementalInput {
  gateway: GraphGateway;
  descriptors: readonly KindDescriptor[];
  state: ReadState | undefined;
  /** The committed id map: address → id. */
  ids: ReadonlyMap<string, string>;
  /** The same map the other way: object id (lower case) → address. */
  byId: { get(id: string): string | undefined };
  /** Document names at HEAD by kind. */
  names: ReadonlyMap<Kind, ReadonlySet<string>>;
  /** Addresses of changes held back: read again until committed. */
  pending: Iterable<string>;
  /**
   * Addresses of the documents git changed since the read was recorded (changed-in-git.ts): read
   * again, so a merge made after the read is compared even when nobody changed its object.
   */
  changedInGit?: Iterable<string>;
  /** Addresses of the documents at HEAD that contain any of these texts (`git grep -F`). */
  documentsContaining(texts: readonly string[]): Promise<string[]>;
  /** A document's text at HEAD, by address. */
  documentText(address: string): Promise<string | undefined>;
  now: Date;
  /** `--full`. */
  full?: boolean;
}

/** The delta query of a kind: its collection's `delta` with the kind's `$select` (and `members` for groups' `members@delta`). */
export function deltaQuery(descriptor: KindDescriptor, latest: boolean): { path: string; query: Record<string, string> } {
  const query: Record<string, string> = {};
  const select = descriptor.listQuery?.$select;
  if (select !== undefined) query.$select = descriptor.kind === "group" ? `${select},members` : select;
  if (latest) query.$deltatoken = "latest";
  return { path: `${descriptor.collectionPath}/delta`, query };
}

/**
 * Before a full read: a deltaLink per delta kind in scope that starts now (`$deltaToken=latest`), so
 * the next sync continues from here; changes made during the read are reported again then (harmless).
 */
export async function latestLinks(gateway: GraphGateway, descriptors: readonly KindDescriptor[]): Promise<Map<Kind, string>> {
  const links = new Map<Kind, string>();
  for (const descriptor of descriptors) {
    if (!hasDelta(descriptor.kind)) continue;
    const { path, query } = deltaQuery(descriptor, true);
    const round = await gateway.delta(path, { version: descriptor.apiVersion, query });
    if (round.deltaLink) links.set(descriptor.kind, round.deltaLink);
  }
  return links;
}

/** Decides between a full and an incremental read, running the delta rounds and the audit read of the latter. */
export async function planRead(input: IncrementalInput): Promise<ReadDecision> {
  const { state, descriptors } = input;
  if (input.full) return { mode: "full", reason: "--full" };
  if (!state) return { mode: "full", reason: "no earlier read is recorded in the sync state" };
  if (input.now.getTime() - Date.parse(state.fullAt) >= FULL_READ_EVERY_MS) return { mode: "full", reason: "the last full read is 7 days old" };
  const missing = descriptors.filter((d) => hasDelta(d.kind) && !state.deltaLinks.has(d.kind)).map((d) => d.kind);
  if (missing.length > 0) return { mode: "full", reason: `no delta link recorded for ${missing.join(", ")}` };

  const byId = {
    get(id: string): { kind: Kind; address: string } | undefined {
      const address = input.byId.get(id);
      const parsed = address === undefined ? undefined : parseAddress(address);
      return parsed && address !== undefined ? { kind: parsed.kind, address } : undefined;
    },
  };
  const objects = new Map<Kind, Set<string>>();
  const removed = new Map<Kind, Set<string>>();
  const links = new Map<Kind, string>();
  const add = (map: Map<Kind, Set<string>>, kind: Kind, id: string): void => {
    map.set(kind, (map.get(kind) ?? new Set()).add(id.toLowerCase()));
  };
  /** Texts whose documents must be read again: references to principals deleted or renamed. */
  const tokens = new Set<string>();
  let deltaItems = 0;
  for (const descriptor of descriptors) {
    if (!hasDelta(descriptor.kind)) continue;
    objects.set(descriptor.kind, new Set());
    const link = state.deltaLinks.get(descriptor.kind) as string;
    let round;
    try {
      round = await input.gateway.delta(link, { version: descriptor.apiVersion });
    } catch (error) {
      // A token Graph cannot read (corrupted, from another tenant or API version): start over too.
      if (error instanceof GraphError && [400, 404, 410].includes(error.status)) return { mode: "full", reason: `the delta token of ${descriptor.kind} was refused (${error.status} ${error.code})` };
      throw error;
    }
    if (round.resync || !round.deltaLink) return { mode: "full", reason: `the delta token of ${descriptor.kind} expired (resync)` };
    links.set(descriptor.kind, round.deltaLink);
    deltaItems += round.items.length;
    for (const item of round.items) {
      const id = typeof item.id === "string" ? item.id : undefined;
      if (!id) continue;
      const known = byId.get(id.toLowerCase());
      if (item["@removed"] !== undefined) {
        add(removed, descriptor.kind, id);
        if (known) tokens.add(await referenceText(input, known.kind, known.address));
        continue;
      }
      add(objects, descriptor.kind, id);
      // An object referenced by a key that changed (a user's UPN): the documents that name the old one (`user:<upn>`).
      const key = descriptor.reference?.key;
      const value = key === undefined ? undefined : item[key];
      if (key !== undefined && known && typeof value === "string") {
        const old = await referenceText(input, descriptor.kind, known.address);
        if (old.toLowerCase() !== `${descriptor.reference?.prefix ?? ""}:${value}`.toLowerCase()) tokens.add(old);
      }
    }
  }

  let audits: DirectoryAudit[];
  try {
    audits = await readAudits(input.gateway, new Date(Date.parse(state.at) - AUDIT_LAG_MS));
  } catch (error) {
    return { mode: "full", reason: `the audit log could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
  const inScope = new Set(descriptors.map((d) => d.kind));
  const namedKinds = new Map<Kind, string>();
  for (const audit of audits) {
    for (const target of audit.targetResources) {
      const known = target.id ? byId.get(target.id.toLowerCase()) : undefined;
      if (known && inScope.has(known.kind)) {
        if (hasDelta(known.kind)) add(objects, known.kind, target.id as string);
        else if (!namedKinds.has(known.kind)) namedKinds.set(known.kind, `the audit log names ${known.address}`);
      }
      for (const upn of removedOrRenamedUpns(audit, target)) tokens.add(`user:${upn}`);
    }
    for (const descriptor of descriptors) {
      if (!hasDelta(descriptor.kind) && !namedKinds.has(descriptor.kind) && auditNames(descriptor.audit, audit)) {
        namedKinds.set(descriptor.kind, `the audit log has "${audit.activityDisplayName}"`);
      }
    }
  }
  const readAgain = (address: string, why: string): void => {
    const id = input.ids.get(address);
    const parsed = parseAddress(address);
    if (!parsed || !inScope.has(parsed.kind)) return;
    if (hasDelta(parsed.kind)) {
      if (id) add(objects, parsed.kind, id);
    } else if (!namedKinds.has(parsed.kind)) namedKinds.set(parsed.kind, `${address} ${why}`);
  };
  for (const address of input.pending) readAgain(address, "is held back");
  for (const address of input.changedInGit ?? []) readAgain(address, "changed in git since the last read");
  const referring = tokens.size === 0 ? [] : await input.documentsContaining([...tokens].filter((t) => t !== ""));
  for (const address of referring) {
    const parsed = parseAddress(address);
    if (!parsed || !inScope.has(parsed.kind)) continue;
    const id = input.ids.get(address);
    if (hasDelta(parsed.kind)) {
      if (id) add(objects, parsed.kind, id);
    } else if (!namedKinds.has(parsed.kind)) namedKinds.set(parsed.kind, `${address} names a principal deleted or renamed`);
  }
  const whole = new Map<Kind, string>();
  for (const descriptor of descriptors) {
    if (hasDelta(descriptor.kind)) continue;
    const count = input.names.get(descriptor.kind)?.size ?? 0;
    const why = count <= SMALL_KIND ? `small (${count} document(s))` : namedKinds.get(descriptor.kind);
    if (why !== undefined) whole.set(descriptor.kind, why);
  }
  for (const [kind, ids] of removed) for (const id of ids) objects.get(kind)?.delete(id);
  return { mode: "incremental", objects, removed, whole, named: new Set(namedKinds.keys()), links, deltaItems };
}

/**
 * How other documents name the object of `address`: by its kind's reference key read from its
 * document (`user:<upn>`), else `<prefix>:<name>`.
 */
async function referenceText(input: IncrementalInput, kind: Kind, address: string): Promise<string> {
  const name = address.slice(address.indexOf("/") + 1);
  const prefix = prefixOfKind(kind);
  if (!prefix) return "";
  const key = getKind(kind).reference?.key;
  if (key !== undefined) {
    const text = await input.documentText(address);
    const value = text === undefined ? undefined : new RegExp(`^\\s+${key}:\\s*['"]?([^'"\\s#]+)`, "m").exec(text)?.[1];
    return value ? `${prefix}:${value}` : "";
  }
  return `${prefix}:${name}`;
}

/** UPNs a user audit entry removes from use: the deleted user's, or the old one of a rename. */
function removedOrRenamedUpns(audit: DirectoryAudit, target: DirectoryAudit["targetResources"][number]): string[] {
  if (!/user/i.test(target.type ?? "")) return [];
  const out: string[] = [];
  if (/^(delete|hard delete)\b/i.test(audit.activityDisplayName) && target.userPrincipalName) out.push(target.userPrincipalName);
  for (const property of target.modifiedProperties) {
    if (property.displayName?.toLowerCase() !== "userprincipalname" || !property.oldValue) continue;
    out.push(...stringsOf(property.oldValue));
  }
  return out;
}

/** Audit values are JSON text (`["a@b"]`) or plain text. */
function stringsOf(text: string): string[] {
  try {
    const parsed = JSON.parse(text) as JsonValue;
    if (typeof parsed === "string") return [parsed];
    if (Array.isArray(parsed)) return parsed.filter((v): v is string => typeof v === "string");
  } catch {
    // plain text
  }
  return text.trim() === "" ? [] : [text.trim()];
}

