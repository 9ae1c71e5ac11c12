/**
 * Sync's second step (docs/design.md §1 step 4): find the documents that changed, date them with
 * git's record and the directory audit log, and sort them: by drift policy (policy.ts), drift that
 * cannot be reverted, a person's commit apply has not written yet (not-applied.ts), and changes held
 * back for want of an audit entry (hold-back.ts).
 */
import type { KindDescriptor } from "../../kinds/types.js";
import { EditedIdMap } from "../../state/edited-id-map.js";
import type { SyncOptions } from "../sync-tenant.js";
import { attributeDrift } from "./attribution.js";
import { indexAuditsByTarget, matchActivities } from "./audit-match.js";
import { auditWindowStart, reachingBackToPending, readAudits } from "./audit-window.js";
import { detectChanges } from "./changes.js";
import { holdBack } from "./hold-back.js";
import type { HoldBackResult } from "./hold-back.js";
import { notAppliedChanges, sameMeaning } from "./not-applied.js";
import type { NotApplied } from "./not-applied.js";
import { engineIdentity } from "./own-writes.js";
import type { EngineIdentity } from "./own-writes.js";
import { followsDeletedPrincipal, splitByPolicy } from "./policy.js";
import type { DriftByPolicy } from "./policy.js";
import { changesWithEntries, recordedTimes } from "./recorded-at.js";
import type { SyncRead } from "./sync-read.js";
import type { ChangedObject, DriftAttribution } from "./types.js";

/** The run's changes, sorted. */
export interface ClassifiedChanges {
  /** The committed ids with the export's over them. */
  liveIds: EditedIdMap;
  /** Every change found, dated with git's record. */
  found: ChangedObject[];
  /** By drift policy, without the changes not applied and those held back. */
  split: DriftByPolicy;
  notApplied: NotApplied[];
  held: HoldBackResult;
  /** Every change found but those held back and not applied, attributed. */
  attribution: DriftAttribution;
  /** Attributes a list of changes with this run's audit entries (saying so when held changes expired). */
  attribute: (list: readonly ChangedObject[]) => DriftAttribution;
  /** The grace period the held changes wait for, in minutes. */
  graceMinutes: number;
}

/** Finds, dates, attributes and sorts the changes the read shows. */
export async function classifyChanges(options: SyncOptions, synced: SyncRead): Promise<ClassifiedChanges> {
  const { repo, folder } = options;
  const { read, before, idState, now, head, migrated } = synced;
  const { exported, after } = read;
  // The committed ids with the export's over them (looked up, never copied: README "Incremental sync").
  const liveIds = new EditedIdMap(idState.ids, exported.ids);
  const detected = detectChanges({ folder, before, after, ids: liveIds, streams: { descriptors: options.descriptors, before: read.streams.before, after: read.streams.after } }).changes;
  // Entries older than what git last recorded of an object explain that state, not this change.
  // A document's record is its file's last commit, or a later one of the images beside it.
  const recordedPaths = (c: ChangedObject): string[] => (c.previous !== undefined && before.has(c.file.path) ? [c.file.path, ...(c.streams ?? []).map((f) => f.path)] : []);
  const syncState = synced.stateAtHead;
  const since = options.since ?? reachingBackToPending(await auditWindowStart(repo, folder, now), syncState);
  const audits = detected.length === 0 ? [] : await readAudits(options.gateway, since);
  const auditIndex = indexAuditsByTarget(audits);
  // Only a change some entry matches needs git's record (its file's history walked).
  const recorded = head ? await recordedTimes(repo, head, changesWithEntries(detected, audits, auditIndex).flatMap(recordedPaths), options.config.git) : new Map<string, Date>();
  const found = detected.map((c): ChangedObject => {
    const at = recordedPaths(c).flatMap((path) => recorded.get(path) ?? []).reduce<Date | undefined>((latest, time) => (latest && latest >= time ? latest : time), undefined);
    return at ? { ...c, recordedAt: at } : c;
  });
  const failedKinds = [...exported.failed.keys()];
  // Held back only when the state can be kept; --no-commit writes every change for review.
  const graceMs = options.syncStatePath && !options.noCommit ? (options.auditGraceMs ?? options.config.sync.auditGraceMinutes * 60_000) : 0;
  const graceMinutes = graceMs / 60_000;
  let expired = false;
  // The engine's own writes of committed documents explain no change (README "Sync state").
  const engine = audits.length === 0 ? undefined : await engineOf(options);
  const attribute = (list: readonly ChangedObject[]): DriftAttribution =>
    attributeDrift({ changes: list, audits, failedKinds, bot: options.config.git, now, ...(engine ? { engine } : {}), ...(expired ? { graceMinutes } : {}) });
  const split = splitByPolicy(found, options.config.drift, { failedKinds, committedKinds: new Set(read.committed.names.keys()) });
  // Drift that follows a deleted principal or member cannot be reverted: it is recorded instead.
  const unrevertable = split.revert.filter((change) => followsDeletedPrincipal(change, matchActivities(change, audits, auditIndex)));
  if (unrevertable.length > 0) {
    split.revert = split.revert.filter((change) => !unrevertable.includes(change));
    split.commit.push(...unrevertable);
  }
  // A person's commit apply has not written yet is not drift: never committed over, nor applied
  // by a revert without apply's review (README "Sync state").
  const untouched = [...split.commit, ...split.pr, ...split.revert].filter((change) => matchActivities(change, audits, auditIndex).length === 0);
  const notApplied = head && !migrated?.commit ? await notAppliedChanges({ repo, revision: head, changes: untouched, bot: options.config.git, descriptors: options.descriptors }) : [];
  const notAppliedAddresses = new Set(notApplied.map((n) => n.address));
  split.commit = split.commit.filter((c) => !notAppliedAddresses.has(c.address));
  split.pr = split.pr.filter((c) => !notAppliedAddresses.has(c.address));
  split.revert = split.revert.filter((c) => !notAppliedAddresses.has(c.address));
  // A recorded change no audit entry explains yet waits (README "Sync state"); revert kinds never wait.
  const held = holdBack({ attribution: attribute([...split.commit, ...split.pr]), state: syncState, graceMs, now, since, canonicalOnly: (change) => canonicalOnly(change, options.descriptors) });
  const heldAddresses = new Set(held.held.map((h) => h.address));
  expired = held.expired.length > 0;
  split.commit = split.commit.filter((c) => !heldAddresses.has(c.address));
  split.pr = split.pr.filter((c) => !heldAddresses.has(c.address));
  const changes = found.filter((c) => !heldAddresses.has(c.address) && !notAppliedAddresses.has(c.address));
  const attribution = attribute(changes);
  return { liveIds, found, split, notApplied, held, attribution, attribute, graceMinutes };
}

/** Who the engine writes as: this run's identity and `sync.engineIdentities`. */
export async function engineOf(options: Pick<SyncOptions, "gateway" | "config">): Promise<EngineIdentity> {
  const token = await options.gateway.whoAmI().catch(() => undefined);
  return engineIdentity(token, options.config.sync.engineIdentities);
}

/**
 * A modified document whose exported spec means what the committed one means, as plan compares
 * them (defaults, empty values, order): the engine's own write of a hand-written document,
 * rewritten in canonical form, not someone's change to wait for.
 */
function canonicalOnly(change: ChangedObject, descriptors: readonly KindDescriptor[]): boolean {
  if (change.change !== "modified" || !change.document || !change.previous) return false;
  return sameMeaning(change.document.spec, change.previous.spec, change.kind, descriptors);
}
