import type { LiveObject, PlanChange } from "../model/plan.js";
import type { Address } from "../model/kind.js";
import { buildWorld, type CaObject, type CaWorld } from "./world.js";

/** Kinds whose changes can change a Conditional Access outcome. */
export const CA_RELEVANT_KINDS = new Set(["conditionalAccessPolicy", "group", "roleAssignment", "namedLocation", "user", "authenticationStrengthPolicy"]);

export interface PlanWorlds {
  before: CaWorld;
  after: CaWorld;
  /** Relevant changes (not noop), by address. */
  changes: PlanChange[];
  /** Names of policies created, updated, restored or deleted by the plan. */
  changedPolicies: Set<string>;
  /** Policy name → the change's address. */
  policyAddress: Map<string, Address>;
}

/**
 * The tenant as it is (`live`) and as it will be once the plan is applied: updates and restores
 * replace the object, creates add it, deletes remove it; everything the plan does not touch stays.
 * Without `live` (a plan on its own), only the objects the changes carry are known.
 */
export function planWorlds(changes: readonly PlanChange[], live?: readonly LiveObject[]): PlanWorlds {
  const relevant = changes.filter((c) => c.action !== "noop" && CA_RELEVANT_KINDS.has(c.kind));
  const beforeObjects: CaObject[] = live ? live.filter((o) => CA_RELEVANT_KINDS.has(o.kind)).map((o) => ({ kind: o.kind, name: o.name, id: o.id, spec: o.spec })) : [];
  if (!live) {
    for (const c of relevant) if ((c.action === "update" || c.action === "delete") && c.before) beforeObjects.push({ kind: c.kind, name: c.name, id: c.id, spec: c.before });
  }
  const touched = new Set<string>();
  const afterObjects: CaObject[] = [];
  const added: CaObject[] = [];
  for (const c of relevant) {
    if (c.action === "update" || c.action === "delete" || c.action === "restore") touched.add(`${c.kind}:${c.id.toLowerCase()}`);
    if (c.action === "create" || c.action === "update" || c.action === "restore") added.push({ kind: c.kind, name: c.name, ...(c.action !== "create" ? { id: c.id } : {}), spec: c.after });
  }
  for (const o of beforeObjects) if (!o.id || !touched.has(`${o.kind}:${o.id.toLowerCase()}`)) afterObjects.push(o);
  afterObjects.push(...added);
  const changedPolicies = new Set<string>();
  const policyAddress = new Map<string, Address>();
  for (const c of relevant) {
    if (c.kind !== "conditionalAccessPolicy") continue;
    changedPolicies.add(c.name);
    policyAddress.set(c.name, c.address);
  }
  return { before: buildWorld(beforeObjects), after: buildWorld(afterObjects), changes: relevant, changedPolicies, policyAddress };
}
