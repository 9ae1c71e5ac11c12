import type { FileChange } from "../../git/commit-files.js";
import type { Actor } from "./actor.js";
import type { DirectoryAudit } from "./audit-entry.js";
import { compareAudits, indexAuditsByTarget, matchActivities } from "./audit-match.js";
import { attributedBody, commitSubject, unattributedBody } from "./commit-message.js";
import type { AttributedObject, AttributionInput, ChangedObject, DriftAttribution, DriftCommit } from "./types.js";

export const DEFAULT_BURST_GAP_MS = 10 * 60 * 1000;

/**
 * Pure: turns the changed objects of a sync and the directory audit entries of its window into
 * the commits to make, in order.
 *
 * 1. Deletions of kinds that failed to export are withheld (a failed read is not a deletion).
 * 2. Each object is matched to audit entries: by its id among `targetResources`, else by display
 *    name for the kind's activities (deletes and creates whose ids differ), singletons by
 *    activity. Failed operations (`result: failure`) and the engine's own writes of the committed
 *    document (`engine`) never match.
 * 3. The entries that matched something are split per actor into bursts: sorted by time, a gap
 *    longer than `burstGapMs` starts a new burst.
 * 4. An object belongs to the burst of its latest matching entry (the last actor's change is
 *    what the tenant holds now); the body still lists earlier entries by others.
 * 5. One commit per non-empty burst: author = actor, author date = latest entry of the burst,
 *    committer = bot. Objects no entry explains go into one last commit by the bot dated `now`.
 * Commits are ordered by author date, then actor key; objects by address; files by path.
 */
export function attributeDrift(input: AttributionInput): DriftAttribution {
  const gap = input.burstGapMs ?? DEFAULT_BURST_GAP_MS;
  const failed = new Set(input.failedKinds);
  const withheld = input.changes.filter((c) => c.change === "deleted" && failed.has(c.kind));
  const changes = input.changes.filter((c) => !withheld.includes(c)).sort(byAddress);
  const audits = input.audits.filter((a) => a.result?.toLowerCase() !== "failure").sort(compareAudits);

  const index = indexAuditsByTarget(audits);
  const attributed: AttributedObject[] = changes.map((change) => ({ change, activities: matchActivities(change, audits, index, input.engine) }));
  const used = new Set(attributed.flatMap((o) => o.activities.map((a) => a.audit.id)));

  // Bursts per actor over the entries that explain something.
  const burstOf = new Map<string, Burst>();
  const bursts: Burst[] = [];
  const byActor = new Map<string, { actor: Actor; audits: DirectoryAudit[] }>();
  for (const o of attributed) {
    for (const { audit, actor } of o.activities) {
      const group = byActor.get(actor.key) ?? { actor, audits: [] };
      if (!group.audits.includes(audit)) group.audits.push(audit);
      byActor.set(actor.key, group);
    }
  }
  for (const { actor, audits: list } of byActor.values()) {
    let current: Burst | undefined;
    for (const audit of list.sort(compareAudits)) {
      const t = Date.parse(audit.activityDateTime);
      if (!current || t - current.end > gap) {
        current = { actor, start: t, end: t, objects: [] };
        bursts.push(current);
      }
      current.end = t;
      burstOf.set(`${actor.key}\n${audit.id}`, current);
    }
  }

  const unexplained: AttributedObject[] = [];
  for (const o of attributed) {
    const last = o.activities.at(-1);
    const burst = last ? burstOf.get(`${last.actor.key}\n${last.audit.id}`) : undefined;
    if (burst) burst.objects.push(o);
    else unexplained.push(o);
  }

  const commits: DriftCommit[] = bursts
    .filter((b) => b.objects.length > 0)
    .sort((a, b) => a.end - b.end || (a.actor.key < b.actor.key ? -1 : a.actor.key > b.actor.key ? 1 : 0) || a.start - b.start)
    .map((b) => ({
      actor: b.actor,
      objects: b.objects,
      window: { from: new Date(b.start).toISOString(), to: new Date(b.end).toISOString() },
      author: { name: b.actor.name, email: b.actor.email, date: new Date(b.end) },
      committer: input.bot,
      files: filesOf(b.objects),
      message: `${commitSubject(b.actor.label, b.objects)}\n\n${attributedBody(b.actor, b.objects)}\n`,
    }));
  if (unexplained.length > 0) {
    commits.push({
      objects: unexplained,
      author: { ...input.bot, date: input.now },
      committer: input.bot,
      files: filesOf(unexplained),
      message: `${commitSubject(input.graceMinutes ? `Drift with no audit record after ${input.graceMinutes} min` : "Drift with no audit record", unexplained)}\n\n${unattributedBody(unexplained, input.graceMinutes)}\n`,
    });
  }
  return {
    commits,
    withheldDeletions: withheld.map((c) => ({ address: c.address, kind: c.kind })),
    unmatchedAudits: audits.filter((a) => !used.has(a.id)),
  };
}

interface Burst {
  actor: Actor;
  start: number;
  end: number;
  objects: AttributedObject[];
}

function filesOf(objects: readonly AttributedObject[]): FileChange[] {
  return objects.flatMap((o) => [o.change.file, ...(o.change.streams ?? [])]).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function byAddress(a: ChangedObject, b: ChangedObject): number {
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}
