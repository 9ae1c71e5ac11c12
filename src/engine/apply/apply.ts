import type { JsonObject } from "../../documents/types.js";
import type { GraphGateway } from "../../graph/types.js";
import type { Address, Kind } from "../../kinds/kind-names.js";
import type { KindDescriptor } from "../../kinds/types.js";
import type { Plan, PlanChange } from "../plan/types.js";
import type { DirectoryIndex } from "../snapshot/directory-index.js";
import type { RetryOptions } from "./replication.js";
import { verifyWrite } from "./verify.js";
import { applyCreate, applyDelete, applyReplace, applyRestore, applyUpdate } from "./write-change.js";
import type { WriteContext } from "./write-change.js";

export type ObjectStatus = "done" | "failed" | "skipped";

/** What happened to one object: every change gets a result, so one failure loses nothing else. */
export interface ObjectResult {
  address: Address;
  action: Exclude<PlanChange["action"], "noop">;
  status: ObjectStatus;
  id?: string;
  message?: string;
  /** Fields Graph accepted but did not take (re-read after the write differs). */
  notTaken?: string[];
  /** The id the object had before it was re-created (an update of a create-only field). */
  replacedId?: string;
}

export interface ApplyOptions {
  gateway: GraphGateway;
  descriptors: ReadonlyMap<Kind, KindDescriptor>;
  /** Ids ↔ names of the target tenant (from the snapshot the plan was computed against). */
  index: DirectoryIndex;
  /** e.g. `https://graph.microsoft.com`: host of `@odata.id` in `$ref` writes. */
  graphRoot: string;
  retry?: RetryOptions;
  /** Apply updates that need a create-only field changed by deleting and re-creating. Off by default. */
  allowRecreate?: boolean;
  onResult?: (result: ObjectResult) => void;
}

/**
 * Executes a reviewed plan in its order (STYLE §6, §7). A failed change stops the changes that
 * depend on it and only those; the rest go on. Each write is read back and compared.
 */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ObjectResult[]> {
  const created = new Set<string>();
  const ctx: WriteContext = { gateway: options.gateway, index: options.index, graphRoot: options.graphRoot, retry: { ...options.retry, recentIds: created }, created };
  const results: ObjectResult[] = [];
  const broken = new Set<Address>();
  for (const change of plan.changes) {
    if (change.action === "noop") continue;
    const descriptor = options.descriptors.get(change.kind);
    const blockedBy = change.dependsOn.find((dep) => broken.has(dep));
    let result: ObjectResult;
    if (!descriptor) {
      result = { address: change.address, action: change.action, status: "failed", message: `kind ${change.kind} is not known` };
    } else if (blockedBy) {
      result = { address: change.address, action: change.action, status: "skipped", message: `depends on ${blockedBy}, which was not applied` };
    } else {
      result = await applyOne(ctx, descriptor, change, options.allowRecreate ?? false);
    }
    if (result.status !== "done") broken.add(change.address);
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

async function applyOne(
  ctx: WriteContext,
  descriptor: KindDescriptor,
  change: Exclude<PlanChange, { action: "noop" }>,
  allowRecreate: boolean,
): Promise<ObjectResult> {
  const base = { address: change.address, action: change.action };
  try {
    switch (change.action) {
      case "create": {
        const id = await applyCreate(ctx, descriptor, change);
        return { ...base, status: "done", id, ...(await verified(ctx, descriptor, id, change.after)) };
      }
      case "update": {
        if (change.replace && !allowRecreate) {
          return { ...base, status: "failed", id: change.id, message: `Graph cannot change ${change.replace.fields.join(", ")} after creation; re-create the object (delete and create) to change it` };
        }
        if (change.replace) {
          const id = await applyReplace(ctx, descriptor, change);
          return { ...base, status: "done", id, replacedId: change.id, ...(await verified(ctx, descriptor, id, change.after)) };
        }
        await applyUpdate(ctx, descriptor, change, change.before);
        return { ...base, status: "done", id: change.id, ...(await verified(ctx, descriptor, change.id, change.after)) };
      }
      case "restore": {
        await applyRestore(ctx, descriptor, change);
        return { ...base, status: "done", id: change.id, ...(await verified(ctx, descriptor, change.id, change.after)) };
      }
      case "delete":
        await applyDelete(ctx, descriptor, change);
        return { ...base, status: "done", id: change.id };
    }
  } catch (error) {
    return { ...base, status: "failed", ...("id" in change ? { id: change.id } : {}), message: error instanceof Error ? error.message : String(error) };
  }
}

async function verified(ctx: WriteContext, descriptor: KindDescriptor, id: string, after: JsonObject): Promise<{ notTaken?: string[] }> {
  const notTaken = await verifyWrite(ctx, descriptor, id, after);
  return notTaken.length > 0 ? { notTaken } : {};
}
