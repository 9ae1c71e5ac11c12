import { fingerprint } from "./canonical.js";
import type { LiveFingerprint, LiveObject, Plan } from "./types.js";

export interface Staleness {
  /** Objects whose normalized spec differs from what the plan read. */
  changed: LiveFingerprint[];
  /** Objects the plan read that are gone now. */
  missing: LiveFingerprint[];
  /** Objects of the plan's kinds that appeared since (created outside git after the plan). */
  added: Array<Pick<LiveObject, "kind" | "id" | "name">>;
}

/**
 * Compares a saved plan's fingerprints with the tenant as read again before apply (STYLE §6:
 * "Saved plan is stale"). `current` must be normalized the same way as when planning.
 */
export function findStale(plan: Pick<Plan, "fingerprints" | "settings">, current: readonly LiveObject[]): Staleness {
  const now = new Map(current.map((o) => [`${o.kind}/${o.id.toLowerCase()}`, o]));
  const known = new Set<string>();
  const changed: LiveFingerprint[] = [];
  const missing: LiveFingerprint[] = [];
  for (const item of plan.fingerprints) {
    const key = `${item.kind}/${item.id.toLowerCase()}`;
    known.add(key);
    const live = now.get(key);
    if (!live) missing.push(item);
    else if (fingerprint(live.spec) !== item.sha256) changed.push(item);
  }
  const scope = new Set(plan.settings.scope);
  const added = current.filter((o) => scope.has(o.kind) && !known.has(`${o.kind}/${o.id.toLowerCase()}`)).map((o) => ({ kind: o.kind, id: o.id, name: o.name }));
  return { changed, missing, added };
}

export function isStale(staleness: Staleness): boolean {
  return staleness.changed.length + staleness.missing.length + staleness.added.length > 0;
}
