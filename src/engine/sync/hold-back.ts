import { createHash } from "node:crypto";
import type { Address } from "../../model/kind.js";
import { contentHash } from "../../state/sync-state.js";
import type { PendingChange, SyncState } from "../../state/sync-state.js";
import type { ChangedObject, DriftAttribution } from "./types.js";

export interface HeldChange {
  address: Address;
  /**
   * `noAuditYet`: no audit entry explains it and the grace period has not passed;
   * `earlierChangeUnaudited`: entries explain a later change of the object, but not the change a
   * sync saw first (no entry is older than that sighting): it waits for the earlier entry too.
   */
  reason: "noAuditYet" | "earlierChangeUnaudited";
  /** How long a sync has seen it unexplained. */
  waitedMs: number;
}

export interface HoldBackInput {
  /** Attribution of the changes to record (kinds whose drift policy is commit or pr). */
  attribution: DriftAttribution;
  /** Sync state committed at HEAD. */
  state: SyncState;
  /** Grace period; 0 records unexplained changes at once. */
  graceMs: number;
  now: Date;
  /** Start of this run's audit window. */
  since: Date;
  /**
   * Changes that are no one's edit to wait for: the exported spec means what the committed one
   * means (a hand-written document the engine applied, rewritten in canonical form). Recorded at once.
   */
  canonicalOnly?: (change: ChangedObject) => boolean;
}

export interface HoldBackResult {
  /** Changes not to commit in this run, by address. */
  held: HeldChange[];
  /** Unexplained changes past the grace period: committed saying so. */
  expired: Address[];
  /** The state to commit: one pending entry per change held for want of its audit entry. */
  state: SyncState;
}

/**
 * Pure: which changes a sync leaves as at HEAD this time (docs/design.md §1 step 4, "hold-back").
 * A change no audit entry explains waits alone while it is younger than the grace period, its age
 * counted from the first sync that saw it with the same content (the committed sync state).
 * Attributed changes of other objects never wait for it: they are committed now, in the order of
 * their audit times (a change whose entry never comes must not delay them by the grace period), so
 * a held change whose entry arrives later is committed after them with its own, earlier, author
 * date. The same object changed again by someone whose entry has arrived (one change per sync:
 * the tenant's state against HEAD) is credited to that latest entry, but only once the entry of the
 * change an earlier sync saw has arrived too (then the commit lists both) or the grace period,
 * counted from that first sighting, has passed (then it is committed as the latest actor's).
 */
export function holdBack(input: HoldBackInput): HoldBackResult {
  const now = input.now.getTime();
  const pending = new Map<string, PendingChange>();
  const held: HeldChange[] = [];
  const expired: Address[] = [];
  const unexplained = input.attribution.commits.filter((c) => !c.actor).flatMap((c) => c.objects.map((o) => o.change));
  for (const change of unexplained) {
    if (input.canonicalOnly?.(change)) continue;
    const entry = pendingEntry(change, input.state, input.now, input.since);
    const waitedMs = Math.max(0, now - Date.parse(entry.firstSeen));
    if (input.graceMs > 0 && waitedMs < input.graceMs) {
      pending.set(change.address, entry);
      held.push({ address: change.address, reason: "noAuditYet", waitedMs });
    } else {
      expired.push(change.address);
    }
  }
  if (input.graceMs > 0) {
    for (const commit of input.attribution.commits) {
      if (!commit.actor) continue;
      for (const o of commit.objects) {
        const known = input.state.pending.get(o.change.address);
        if (!known) continue;
        const seen = Date.parse(known.firstSeen);
        const waitedMs = Math.max(0, now - seen);
        const explainsSighting = o.activities.some((a) => Date.parse(a.audit.activityDateTime) < seen);
        if (explainsSighting || waitedMs >= input.graceMs) continue;
        pending.set(o.change.address, known);
        held.push({ address: o.change.address, reason: "earlierChangeUnaudited", waitedMs });
      }
    }
  }
  held.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { held, expired, state: { pending } };
}

/** The text a held change is known by: the document's, with its changed images' digests when any (another image restarts the wait). */
function heldContent(change: ChangedObject): string | null {
  const text = change.file.content;
  if (text === null || !change.streams?.length) return text;
  return [text, ...change.streams.map((s) => `${s.path} ${s.content === null ? "removed" : createHash("sha256").update(s.content).digest("hex")}`)].join("\n");
}

function pendingEntry(change: ChangedObject, state: SyncState, now: Date, since: Date): PendingChange {
  const hash = contentHash(heldContent(change));
  const known = state.pending.get(change.address);
  if (known && known.hash === hash) return known;
  return { hash, firstSeen: now.toISOString(), since: since.toISOString() };
}
