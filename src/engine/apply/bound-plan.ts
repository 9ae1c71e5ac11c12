import type { JsonValue } from "../../model/document.js";
import { canonicalJson, jsonEqual } from "../../model/json.js";
import type { Plan, PlanChange } from "../../model/plan.js";
import type { StaleReason } from "./stale.js";

/** At most this many differing field paths are named per change. */
const MAX_PATHS = 5;

/**
 * A saved plan is bound to its content: apply computes the plan again from the configuration it
 * names (same digest) and the live tenant (same fingerprints), and the saved changes must be
 * exactly the recomputed ones. A plan.json edited by hand (a change added, removed or altered) is
 * refused, naming each change that differs and the fields where it differs.
 */
export function planContentDifferences(saved: Plan, recomputed: Plan): StaleReason[] {
  const reasons: StaleReason[] = [];
  const key = (c: PlanChange): string => `${c.address}\u0000${c.action}`;
  const ours = new Map(recomputed.changes.map((c) => [key(c), c]));
  const theirs = new Map<string, PlanChange>();
  for (const change of Array.isArray(saved.changes) ? saved.changes : []) {
    if (!change || typeof change !== "object" || typeof change.address !== "string") {
      reasons.push({ address: "(plan)", reason: "the saved plan holds a change that is not a change object" });
      continue;
    }
    theirs.set(key(change), change);
  }
  for (const [k, change] of theirs) {
    const expected = ours.get(k);
    if (!expected) {
      reasons.push({ address: change.address, reason: `the saved plan has a ${change.action} that the configuration and the tenant do not give` });
      continue;
    }
    const a = asJson(change);
    const b = asJson(expected);
    if (canonicalJson(a as never) === canonicalJson(b as never)) continue;
    const paths = differingPaths(a, b, "", []);
    reasons.push({ address: change.address, reason: `the saved ${change.action} differs from what the configuration gives at ${paths.join(", ")}` });
  }
  for (const [k, change] of ours) {
    if (!theirs.has(k)) reasons.push({ address: change.address, reason: `the configuration gives a ${change.action} that the saved plan leaves out` });
  }
  return reasons;
}

function asJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

/** Up to MAX_PATHS JSON paths (`diff[0].after`, `spec.state`) where two values differ. */
function differingPaths(a: JsonValue | undefined, b: JsonValue | undefined, at: string, found: string[]): string[] {
  if (found.length >= MAX_PATHS || jsonEqual(a, b)) return found;
  const objects = a !== null && b !== null && typeof a === "object" && typeof b === "object";
  if (!objects || Array.isArray(a) !== Array.isArray(b)) {
    found.push(at || "(whole change)");
    return found;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      found.push(`${at} (${a.length} entries instead of ${b.length})`);
      return found;
    }
    a.forEach((item, i) => differingPaths(item, b[i], `${at}[${i}]`, found));
    return found;
  }
  const left = a as Record<string, JsonValue>;
  const right = b as Record<string, JsonValue>;
  for (const name of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
    differingPaths(left[name], right[name], at ? `${at}.${name}` : name, found);
  }
  return found;
}
